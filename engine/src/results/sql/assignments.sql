-- Assignments to inspect: one row per (draw, selected object, checklist item) of every drawn draw whose object's team
-- holds an inspector of the item's department (team labels like SAMR:expert count for SAMR), with the result when
-- entered. Parameters: $department (NULL: all), $draw (NULL: all), $state ('not_entered' | 'entered' | 'published' | NULL),
-- $order (the columns to order by, ending in draw, draw order and item position so the pages are stable).
WITH team_departments AS (
  SELECT draw_id, object_id, split_part(department_code, ':', 1) AS department_code,
         list(inspector_id ORDER BY position) AS inspector_ids
  FROM draw_teams
  WHERE $draw::VARCHAR IS NULL OR draw_id = $draw
  GROUP BY ALL
),
assigned AS (
  SELECT d.id AS draw_id, d.task_id, t.name AS task_name, t.window_start, t.window_end, s.draw_order,
         td.object_id, o.name AS object_name, o.entity_type, o.region_code,
         ti.item_code, ti.item_version, ti.position, i.name_zh AS item_name_zh, i.name_en AS item_name_en,
         ti.department_code, td.inspector_ids
  FROM draws d
  JOIN tasks t ON t.id = d.task_id
  JOIN team_departments td ON td.draw_id = d.id
  JOIN draw_selection s ON s.draw_id = d.id AND s.object_id = td.object_id
  JOIN task_items ti ON ti.task_id = d.task_id AND ti.department_code = td.department_code
  JOIN items i ON i.code = ti.item_code AND i.version = ti.item_version
  JOIN objects o ON o.id = td.object_id
  WHERE d.status = 'drawn'
    AND ($draw::VARCHAR IS NULL OR d.id = $draw)
    AND ($department::VARCHAR IS NULL OR ti.department_code = $department)
)
SELECT a.*, r.id AS result_id, r.outcome_code, r.inspected_on, r.due_on, r.findings_review, r.version,
       r.entered_by, r.entered_at, r.updated_at, r.published_at,
       CASE WHEN r.id IS NULL THEN 'not_entered' WHEN r.published_at IS NULL THEN 'entered' ELSE 'published' END AS state,
       count(*) OVER () AS total
FROM assigned a
LEFT JOIN draw_results r ON r.draw_id = a.draw_id AND r.object_id = a.object_id AND r.item_code = a.item_code
WHERE $state::VARCHAR IS NULL
   OR $state = CASE WHEN r.id IS NULL THEN 'not_entered' WHEN r.published_at IS NULL THEN 'entered' ELSE 'published' END
ORDER BY $order
LIMIT $limit OFFSET $offset
