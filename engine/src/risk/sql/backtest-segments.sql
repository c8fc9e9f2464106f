-- Segments of the scored population ($features: features.sql's columns as of $as_of, the end of the year before the
-- test year) whose scores the backtest checks against their findings: entities with and without records; districts in
-- five groups by their finding rate in the years before ($visits that pass $counted, each entity-year weighted by
-- $weight as in the fit: lenient inspectors show here) and by complaints per entity (reporting-prone districts show here); industry x city cells
-- whose complaints rose most over the last 3 months against their year (the top tenth of cells with 20 or more).
-- Grain: one row per entity and segment family.
WITH
district_findings AS (
  SELECT o.region_code, sum(v.weight * v.found::INTEGER) / sum(v.weight) AS rate
  FROM (SELECT object_id, bool_or(found) AS found, $weight AS weight FROM ($visits) WHERE $counted GROUP BY object_id, year(inspected_on)) v
  JOIN objects o ON o.id = v.object_id
  GROUP BY o.region_code
  HAVING count(*) >= 20
),
district_finding_groups AS (
  SELECT region_code, ntile(5) OVER (ORDER BY rate) AS grp FROM district_findings
),
district_complaints AS (
  SELECT region_code, ntile(5) OVER (ORDER BY avg(substantiated_12m + other_12m)) AS grp FROM $features GROUP BY region_code
),
cell_trend AS (
  SELECT o.industry_code, left(o.region_code, 4) AS city,
         count(*) FILTER (WHERE c.received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 3 MONTH)::TIMESTAMPTZ) * 4.0 / count(*) AS ratio
  FROM complaints c JOIN objects o ON o.id = c.object_id
  WHERE c.category IN ('complaint', 'report')
    AND c.received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 12 MONTH)::TIMESTAMPTZ
    AND c.received_at < ($as_of::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ
  GROUP BY ALL
  HAVING count(*) >= 20
),
rising AS (
  SELECT industry_code, city FROM cell_trend QUALIFY ratio >= quantile_cont(ratio, 0.9) OVER ()
)
SELECT f.object_id, 'records' AS family, CASE WHEN f.has_records THEN 'with' ELSE 'without' END AS segment FROM $features f
UNION ALL
SELECT f.object_id, 'district_findings', 'q' || g.grp FROM $features f JOIN district_finding_groups g USING (region_code)
UNION ALL
SELECT f.object_id, 'district_complaints', 'q' || g.grp FROM $features f JOIN district_complaints g USING (region_code)
UNION ALL
SELECT f.object_id, 'complaint_trend', CASE WHEN r.city IS NULL THEN 'steady' ELSE 'rising' END
FROM $features f LEFT JOIN rising r ON r.industry_code IS NOT DISTINCT FROM f.industry_code AND r.city = left(f.region_code, 4)
