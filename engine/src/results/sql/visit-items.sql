-- Every item on the task's checklist, department by department in checklist order, with the result entered for this
-- object (if any). Grain: one row per checklist item.
SELECT ti.item_code AS code, ti.item_version AS version, ti.department_code, dep.name_zh AS department_zh, dep.name_en AS department_en,
  i.name_zh, i.name_en, i.legal_basis, i.content, i.method, r.outcome_code, oc.name_zh AS outcome_zh, oc.name_en AS outcome_en, r.published_at
FROM draws d
JOIN task_items ti ON ti.task_id = d.task_id
JOIN items i ON i.code = ti.item_code AND i.version = ti.item_version
JOIN departments dep ON dep.code = ti.department_code
LEFT JOIN draw_results r ON r.draw_id = d.id AND r.object_id = $object AND r.item_code = ti.item_code
LEFT JOIN outcome_codes oc ON oc.code = r.outcome_code
WHERE d.id = $draw
ORDER BY ti.position
