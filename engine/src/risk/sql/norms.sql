-- Norms and base rates per industry x district from the sums of $cells (cells-from-facts.sql or cell-sums-at.sql):
-- other_norm, the complaints other than substantiated ones per entity-year of exposure in the district and industry,
-- shrunk toward the city's (a reporting-prone district files more of them whatever its entities do); and the
-- industry's findings per inspection visit, shrunk toward the province-wide rate; for the district (all industries),
-- the complaints 12345 found true per entity-year (district_substantiated) and their share of its complaints
-- (district_true_share), each shrunk toward the city's: a district's risk as its entities show it, the share so that a
-- district whose residents file more (mostly untrue) tickets does not read as riskier. No district finding rate: the
-- district's inspectors, not its entities, would speak through it.
-- Grain: one row per industry x district with entities (a few thousand).
WITH
cells AS MATERIALIZED ($cells),
province_rate AS (
  SELECT coalesce(sum(findings) / nullif(sum(inspections), 0), 0) AS rate FROM cells
),
city_norms AS (
  SELECT industry_code, left(region_code, 4) AS city, sum(other_12m) / greatest(sum(exposure), 1) AS norm
  FROM cells GROUP BY industry_code, city
),
district_substantiated AS (
  SELECT region_code, sum(substantiated_12m) AS substantiated, sum(substantiated_12m + other_12m) AS complaints, sum(exposure) AS exposure FROM cells GROUP BY region_code
),
city_substantiated AS (
  SELECT left(region_code, 4) AS city, sum(substantiated) / greatest(sum(complaints), 1) AS share, sum(substantiated) / greatest(sum(exposure), 1) AS rate
  FROM district_substantiated GROUP BY city
),
industry_rates AS (
  SELECT c.industry_code, (sum(c.findings) + 20 * any_value(p.rate)) / (sum(c.inspections) + 20) AS finding_rate
  FROM cells c, province_rate p
  GROUP BY c.industry_code
)
-- (rounded to 12 decimals: sums of exposures in another order, from the records or the stored facts, differ in the last bits)
SELECT c.industry_code, c.region_code,
       round((c.other_12m + 20 * n.norm) / (c.exposure + 20), 12) AS other_norm,
       ir.finding_rate AS industry_base_rate,
       round((ds.substantiated + 200 * cs.rate) / (ds.exposure + 200), 12) AS district_substantiated,
       round((ds.substantiated + 50 * cs.share) / (ds.complaints + 50), 12) AS district_true_share
FROM cells c
JOIN district_substantiated ds ON ds.region_code = c.region_code
JOIN city_substantiated cs ON cs.city = left(c.region_code, 4)
JOIN city_norms n ON n.industry_code IS NOT DISTINCT FROM c.industry_code AND n.city = left(c.region_code, 4)
JOIN industry_rates ir ON ir.industry_code IS NOT DISTINCT FROM c.industry_code
