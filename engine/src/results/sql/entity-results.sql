-- Every department's results for one entity ($object), newest first, with the items of other departments each counts
-- for (item_equivalences, both ways). Grain: one row per result (imported or entered), at most 1000.
SELECT r.inspected_on::VARCHAR AS inspected_on, r.department_code, r.item_code, i.name_zh AS item_zh, i.name_en AS item_en,
  r.outcome_code, oc.name_zh AS outcome_zh, oc.name_en AS outcome_en, oc.is_finding, r.findings, r.task_ref, r.source,
  coalesce((SELECT list(CASE WHEN e.item_a = r.item_code THEN e.item_b ELSE e.item_a END ORDER BY 1)
            FROM item_equivalences e WHERE r.item_code IN (e.item_a, e.item_b)), []) AS recognised_for
FROM inspection_results r
LEFT JOIN items i ON i.code = r.item_code AND i.valid_to IS NULL
LEFT JOIN outcome_codes oc ON oc.code = r.outcome_code
WHERE r.object_id = $object
ORDER BY r.inspected_on DESC, r.department_code, r.item_code
LIMIT 1000
