-- The draw, its task and the selected object as the directory holds it, with where it is (district, city) and its
-- industry: one row (none when the object was not selected in the draw).
SELECT d.id AS draw_id, d.status, t.id AS task_id, coalesce(t.public_name, t.name) AS task_public_name, t.lead_department,
  t.departments, t.window_start::VARCHAR AS window_start, t.window_end::VARCHAR AS window_end,
  o.id, o.name, o.entity_type, o.legal_representative, o.region_code,
  rn.name_zh AS region_zh, rn.name_en AS region_en,
  ind.name_zh AS industry_zh, ind.name_en AS industry_en
FROM draws d
JOIN tasks t ON t.id = d.task_id
JOIN draw_selection s ON s.draw_id = d.id AND s.object_id = $object
JOIN objects o ON o.id = s.object_id
LEFT JOIN region_labels rn ON rn.code = o.region_code
LEFT JOIN industries ind ON ind.code = o.industry_code
WHERE d.id = $draw
