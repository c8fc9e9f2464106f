-- Published results with what leaders slice them by: the plan year of their task, city, industry, the tier the entity was
-- drawn in (NULL for an untiered stratum, filled from the current scores afterwards) and the inspection month.
-- Built once per data version; every outcomes answer reads it. Grain: one row per published result (public_results).
SELECT pr.result_id, pr.draw_id, pr.task_id, p.year, pr.object_id, pr.entity_name, pr.entity_type,
       left(pr.region_code, 4) || '00' AS city_code, pr.region_code, pr.region_name_zh,
       o.industry_code,
       CASE WHEN split_part(s.stratum, '|', 1) IN ('A', 'B', 'C', 'D') THEN split_part(s.stratum, '|', 1) END AS tier,
       pr.item_code, pr.item_name_zh, pr.item_name_en, pr.department_code, pr.department_name_zh, pr.department_name_en,
       pr.outcome_code, pr.outcome_name_zh, pr.outcome_name_en, pr.is_finding, pr.findings,
       pr.inspected_on, strftime(pr.inspected_on, '%Y-%m') AS month, pr.due_on, pr.published_at
FROM public_results pr
JOIN tasks t ON t.id = pr.task_id
JOIN plans p ON p.id = t.plan_id
LEFT JOIN draw_selection s ON s.draw_id = pr.draw_id AND s.object_id = pr.object_id
LEFT JOIN objects o ON o.id = pr.object_id
