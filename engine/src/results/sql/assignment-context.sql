-- The draw, its window, whether the object was selected, the item on the checklist, and the departments on the object's
-- team, for one (draw, object, item): one row (none when the draw does not exist).
SELECT d.status, t.window_start, t.window_end,
  EXISTS (SELECT 1 FROM draw_selection s WHERE s.draw_id = d.id AND s.object_id = $object) AS selected,
  ti.item_version, ti.department_code AS item_department,
  coalesce((SELECT list(DISTINCT split_part(m.department_code, ':', 1)) FROM draw_teams m WHERE m.draw_id = d.id AND m.object_id = $object), []) AS team_departments
FROM draws d JOIN tasks t ON t.id = d.task_id
LEFT JOIN task_items ti ON ti.task_id = d.task_id AND ti.item_code = $item
WHERE d.id = $draw
