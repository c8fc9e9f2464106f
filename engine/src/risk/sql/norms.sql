-- Norms and base rates as of $as_of, from the facts of every entity that existed then ($facts: a relation with
-- facts.sql's columns as of the same $as_of): complaints per entity by industry x city, and findings per inspection
-- visit by industry and by district, shrunk toward the province-wide rate.
-- Grain: one row per industry x district with entities (a few thousand).
WITH
-- Grain: one row per entity that existed on $as_of.
base AS (
  SELECT industry_code, region_code, complaints_12m, inspections, findings
  FROM $facts f
  WHERE f.established_on IS NULL OR f.established_on <= $as_of::DATE
),
-- Grain: one row per industry x district (a few thousand): the sums every norm and base rate is taken from, in one
-- scan of the entities.
cells AS MATERIALIZED (
  SELECT industry_code, region_code, count(*) AS entities, sum(complaints_12m) AS complaints_12m,
         sum(inspections) AS inspections, sum(findings) AS findings
  FROM base GROUP BY industry_code, region_code
),
province_rate AS (
  SELECT coalesce(sum(findings) / nullif(sum(inspections), 0), 0) AS rate FROM cells
),
-- complaints per entity by industry x city
complaint_norms AS (
  SELECT industry_code, left(region_code, 4) || '00' AS city_code, sum(complaints_12m) / sum(entities) AS complaints_per_entity
  FROM cells GROUP BY industry_code, city_code
),
-- findings per inspection visit, shrunk toward the province-wide rate so small groups do not swing on a few visits
industry_rates AS (
  SELECT c.industry_code, (sum(c.findings) + 20 * any_value(p.rate)) / (sum(c.inspections) + 20) AS finding_rate
  FROM cells c, province_rate p
  GROUP BY c.industry_code
),
district_rates AS (
  SELECT c.region_code, (sum(c.findings) + 20 * any_value(p.rate)) / (sum(c.inspections) + 20) AS finding_rate
  FROM cells c, province_rate p
  GROUP BY c.region_code
),
-- the norm and both base rates, so each entity needs one join
cell_rates AS (
  SELECT c.industry_code, c.region_code, n.complaints_per_entity, ir.finding_rate AS industry_base_rate, dr.finding_rate AS district_base_rate
  FROM cells c
  JOIN complaint_norms n ON n.industry_code IS NOT DISTINCT FROM c.industry_code AND n.city_code = left(c.region_code, 4) || '00'
  JOIN industry_rates ir ON ir.industry_code IS NOT DISTINCT FROM c.industry_code
  JOIN district_rates dr ON dr.region_code = c.region_code
)
SELECT * FROM cell_rates
