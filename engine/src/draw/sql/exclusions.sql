-- Excluded pairs of one draw ($draw_id): one row per (selected object, pool inspector) that must not meet, with every
-- reason: a conflict declared by the inspector or by the object, a member of the object's latest inspection
-- (inspection_results of its latest date), or a member of its team in the latest earlier drawn, non-voided draw.
INSERT INTO draw_exclusions (draw_id, object_id, inspector_id, reasons)
WITH selected AS (
  SELECT object_id FROM draw_selection WHERE draw_id = $draw_id
),
pool AS (
  SELECT DISTINCT inspector_id FROM draw_pools WHERE draw_id = $draw_id
),
latest_inspection AS (
  SELECT r.object_id, r.inspector_ids
  FROM inspection_results r SEMI JOIN selected s ON s.object_id = r.object_id
  QUALIFY r.inspected_on = max(r.inspected_on) OVER (PARTITION BY r.object_id)
),
latest_draw AS (
  SELECT s.object_id, arg_max(s.draw_id, d.drawn_at) AS draw_id
  FROM draw_selection s JOIN draws d ON d.id = s.draw_id
  WHERE d.status = 'drawn' AND d.id <> $draw_id AND s.object_id IN (SELECT object_id FROM selected)
  GROUP BY s.object_id
),
pairs AS (
  SELECT c.object_id, c.inspector_id, 'conflict_' || c.declared_by AS reason
  FROM conflicts c SEMI JOIN selected s ON s.object_id = c.object_id
  UNION ALL
  SELECT object_id, unnest(inspector_ids) AS inspector_id, 'previous_inspection' AS reason FROM latest_inspection
  UNION ALL
  SELECT t.object_id, t.inspector_id, 'previous_draw' AS reason
  FROM draw_teams t JOIN latest_draw l ON l.draw_id = t.draw_id AND l.object_id = t.object_id
)
SELECT $draw_id, p.object_id, p.inspector_id, list_sort(list_distinct(list(p.reason)))
FROM pairs p SEMI JOIN pool ON pool.inspector_id = p.inspector_id
GROUP BY p.object_id, p.inspector_id
