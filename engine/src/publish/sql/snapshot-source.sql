-- Everything one published result's snapshot is made from: one row. inspector_names: every inspector of the directory
-- named in the released text (not only the team: a colleague named in passing stays unnamed too); they only feed the
-- masking. Spaces and punctuation are ignored on both sides, as the masking ignores them ("黄 德春" names 黄德春).
SELECT r.id, r.draw_id, d.task_id, t.public_name AS task_name, r.object_id, o.name AS object_name, o.entity_type, o.legal_representative,
  o.region_code, rg.name_zh AS region_name_zh, city.name_zh AS city_name_zh, rg.level AS region_level,
  r.item_code, r.item_version, i.name_zh AS item_name_zh, i.name_en AS item_name_en,
  r.department_code, dep.name_zh AS department_name_zh, dep.name_en AS department_name_en,
  r.outcome_code, oc.name_zh AS outcome_name_zh, oc.name_en AS outcome_name_en, oc.is_finding,
  r.findings_public, r.findings, r.findings_review, r.inspected_on, r.due_on, r.published_at, r.updated_at, r.version,
  coalesce((SELECT list(DISTINCT ins.name) FROM inspectors ins
            WHERE length(ins.name) >= 2 AND contains(regexp_replace(coalesce(r.findings_public, ''), '[\s\pP\pS\pZ]', '', 'g'),
                                                     regexp_replace(ins.name, '[\s\pP\pS\pZ]', '', 'g'))), []) AS inspector_names
FROM draw_results r
JOIN draws d ON d.id = r.draw_id
JOIN tasks t ON t.id = d.task_id
JOIN objects o ON o.id = r.object_id
JOIN items i ON i.code = r.item_code AND i.version = r.item_version
JOIN departments dep ON dep.code = r.department_code
JOIN outcome_codes oc ON oc.code = r.outcome_code
LEFT JOIN regions rg ON rg.code = o.region_code
LEFT JOIN regions city ON city.code = left(o.region_code, 4) || '00'
WHERE r.id = $id
