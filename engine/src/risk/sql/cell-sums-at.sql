-- cells-from-facts.sql's sums per industry x district as of $as_of, a year end (its 12 months are a calendar year),
-- from the month and founding-date tables of cell-months.sql and cell-ages.sql ($months, $ages): the same sums as over
-- the facts of every entity as of that day, without building them. Grain: one row per industry x district with entities.
WITH
entity_cells AS (
  SELECT industry_code, region_code, sum(entities) AS entities,
         sum(entities * coalesce(least(1, ($as_of::DATE - established_on) / 365.25), 1)) AS exposure
  FROM $ages
  WHERE established_on IS NULL OR established_on <= $as_of::DATE
  GROUP BY ALL
),
record_cells AS (
  SELECT industry_code, region_code,
         sum(substantiated) FILTER (WHERE month > $as_of::DATE - INTERVAL 12 MONTH) AS substantiated_12m,
         sum(other) FILTER (WHERE month > $as_of::DATE - INTERVAL 12 MONTH) AS other_12m,
         sum(inspections) AS inspections, sum(findings) AS findings
  FROM $months
  WHERE month <= $as_of::DATE
  GROUP BY ALL
)
SELECT c.industry_code, c.region_code, c.entities, c.exposure,
       coalesce(r.substantiated_12m, 0) AS substantiated_12m, coalesce(r.other_12m, 0) AS other_12m,
       coalesce(r.inspections, 0) AS inspections, coalesce(r.findings, 0) AS findings
FROM entity_cells c
LEFT JOIN record_cells r ON r.industry_code IS NOT DISTINCT FROM c.industry_code AND r.region_code = c.region_code
