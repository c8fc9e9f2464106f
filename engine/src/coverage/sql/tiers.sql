-- Entities drawn and inspected this year per risk tier against the policy's yearly target (ratio x rounds a year) of the
-- tier's active entities, for a scope ($department, $city; the entities are the city's, or the province's).
-- Grain: one row per tier A..D.
WITH population AS (
  SELECT tier, CAST(sum(entities) AS BIGINT) AS entities FROM coverage_population
  WHERE tier IS NOT NULL AND ($city::VARCHAR IS NULL OR city_code = $city::VARCHAR)
  GROUP BY tier
),
drawn AS (
  SELECT tier, count(*) AS drawn FROM (SELECT DISTINCT tier, object_key FROM coverage_scope_selection($department::VARCHAR, $city::VARCHAR)) GROUP BY tier
),
inspected AS (
  SELECT tier, count(*) AS inspected FROM (SELECT DISTINCT tier, object_key FROM coverage_scope_assignments($department::VARCHAR, $city::VARCHAR) WHERE entered) GROUP BY tier
),
rows AS (
  SELECT p.tier, p.ratio_bp, p.frequency_per_year, p.target_bp,
         coalesce(pop.entities, 0) AS entities,
         coverage_target(coalesce(pop.entities, 0), p.target_bp) AS target,
         coalesce(d.drawn, 0) AS drawn,
         coalesce(i.inspected, 0) AS inspected
  FROM coverage_policy p
  LEFT JOIN population pop ON pop.tier = p.tier
  LEFT JOIN drawn d ON d.tier = p.tier
  LEFT JOIN inspected i ON i.tier = p.tier
)
SELECT *,
       coverage_rate(drawn, entities) AS drawn_share,
       coverage_rate(inspected, entities) AS inspected_share,
       coverage_rate(drawn, target) AS attainment
FROM rows
ORDER BY tier
