-- One page of published results for a drill-down: the scope plus item, outcome, findings only and inspection month,
-- newest publication first. Grain: one published result. (Leaders' view: the tier is internal, shown here, never on the portal.)
SELECT r.result_id, r.draw_id, r.task_id, r.object_id, r.entity_name, r.entity_type, r.city_code, c.name_zh AS city_name_zh,
       c.name_en AS city_name_en, r.region_code, r.region_name_zh, r.industry_code, i.name_zh AS industry_name_zh,
       i.name_en AS industry_name_en, r.tier, r.item_code, r.item_name_zh, r.item_name_en, r.department_code,
       r.department_name_zh, r.department_name_en, r.outcome_code, r.outcome_name_zh, r.outcome_name_en, r.is_finding,
       r.findings, r.inspected_on, r.due_on, r.published_at
FROM outcomes_scope($year::INTEGER, $city::VARCHAR, $department::VARCHAR, $industry::VARCHAR, $tier::VARCHAR) r
LEFT JOIN regions c ON c.code = r.city_code
LEFT JOIN industries i ON i.code = r.industry_code
WHERE ($item::VARCHAR IS NULL OR r.item_code = $item::VARCHAR)
  AND ($outcome::VARCHAR IS NULL OR r.outcome_code = $outcome::VARCHAR)
  AND ($finding::BOOLEAN IS NULL OR r.is_finding = $finding::BOOLEAN)
  AND ($month::VARCHAR IS NULL OR r.month = $month::VARCHAR)
ORDER BY r.published_at DESC, r.result_id
LIMIT $limit OFFSET $offset
