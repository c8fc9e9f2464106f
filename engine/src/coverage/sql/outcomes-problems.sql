-- The problems found most often in published results: outcome codes that are findings, alone and per item.
-- Grain: one row per outcome code (item_code NULL) and one per outcome code x item.
SELECT outcome_code, any_value(outcome_name_zh) AS outcome_name_zh, any_value(outcome_name_en) AS outcome_name_en,
       item_code, any_value(item_name_zh) AS item_name_zh, any_value(item_name_en) AS item_name_en,
       count(*) AS results, count(DISTINCT object_id) AS entities
FROM outcomes_scope($year::INTEGER, $city::VARCHAR, $department::VARCHAR, $industry::VARCHAR, $tier::VARCHAR)
WHERE is_finding
GROUP BY GROUPING SETS ((outcome_code), (outcome_code, item_code))
ORDER BY results DESC, outcome_code, item_code NULLS FIRST
