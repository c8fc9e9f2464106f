-- Published results of a scope in one row: results, findings, entities, first and last inspection day.
SELECT count(*) AS results, count(*) FILTER (WHERE is_finding) AS findings, count(DISTINCT object_id) AS entities,
       CASE WHEN count(*) = 0 THEN NULL ELSE count(*) FILTER (WHERE is_finding) / count(*) END AS findings_rate,
       CAST(min(inspected_on) AS VARCHAR) AS first_inspected_on, CAST(max(inspected_on) AS VARCHAR) AS last_inspected_on
FROM outcomes_scope($year::INTEGER, $city::VARCHAR, $department::VARCHAR, $industry::VARCHAR, $tier::VARCHAR)
