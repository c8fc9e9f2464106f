-- The item list in force on $on: one row per item (the version valid that day), by department and code; $dept narrows
-- it to one department (NULL: all).
SELECT i.code, i.version, i.department_code, d.name_zh AS department_name_zh, d.name_en AS department_name_en, i.kind, i.name_zh, i.name_en,
  i.legal_basis, i.object_type, i.content, i.method, i.default_ratio_bp, i.frequency_per_year, i.valid_from, i.valid_to
FROM items i JOIN departments d ON d.code = i.department_code
WHERE i.valid_from <= $on::DATE AND (i.valid_to IS NULL OR i.valid_to >= $on::DATE)
  AND ($dept::VARCHAR IS NULL OR i.department_code = $dept)
ORDER BY i.department_code, i.code
