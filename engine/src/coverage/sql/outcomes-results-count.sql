-- How many published results a drill-down matches (same filters as outcomes-results.sql). Grain: one row.
SELECT count(*) AS total
FROM outcomes_scope($year::INTEGER, $city::VARCHAR, $department::VARCHAR, $industry::VARCHAR, $tier::VARCHAR) r
WHERE ($item::VARCHAR IS NULL OR r.item_code = $item::VARCHAR)
  AND ($outcome::VARCHAR IS NULL OR r.outcome_code = $outcome::VARCHAR)
  AND ($finding::BOOLEAN IS NULL OR r.is_finding = $finding::BOOLEAN)
  AND ($month::VARCHAR IS NULL OR r.month = $month::VARCHAR)
