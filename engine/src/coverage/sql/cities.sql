-- Coverage per prefecture-level city (the 21 of Guangdong), for a department ($department; NULL: all): active entities,
-- the yearly target (per tier, summed), tasks and items covering the city, entities drawn and inspected there, results
-- due for its objects against the deadline ($due: deadlines-by.sql per city_code). Grain: one row per city.
WITH cities AS (SELECT code, name_zh, name_en FROM regions WHERE level = 'city'),
population AS (
  SELECT cp.city_code, CAST(sum(cp.entities) AS BIGINT) AS entities,
         CAST(coalesce(sum(coverage_target(cp.entities, p.target_bp)) FILTER (WHERE cp.tier IS NOT NULL), 0) AS BIGINT) AS target
  FROM coverage_population cp
  LEFT JOIN coverage_policy p ON p.tier = cp.tier
  GROUP BY cp.city_code
),
city_tasks AS (
  SELECT c.code AS city_code, t.task_id
  FROM cities c, coverage_scope_tasks($department::VARCHAR, NULL) t
  WHERE len(list_filter(t.regions, lambda r: right(r, 4) = '0000' OR left(r, 4) = left(c.code, 4))) > 0
),
city_items AS (
  SELECT ct.city_code, count(DISTINCT ti.item_code) AS items_covered
  FROM city_tasks ct
  JOIN task_items ti ON ti.task_id = ct.task_id
  SEMI JOIN coverage_items_in_force($year::INTEGER, $department::VARCHAR) f ON f.code = ti.item_code
  GROUP BY ct.city_code
),
drawn AS (
  SELECT city_code, count(*) AS entities_drawn
  FROM (SELECT DISTINCT city_code, object_key FROM coverage_scope_selection($department::VARCHAR, NULL)) GROUP BY city_code
),
inspected AS (
  SELECT city_code, count(*) AS entities_inspected
  FROM (SELECT DISTINCT city_code, object_key FROM coverage_scope_assignments($department::VARCHAR, NULL) WHERE entered) GROUP BY city_code
),
due AS ($due),
rows AS (
  SELECT c.code, c.name_zh, c.name_en,
         coalesce(p.entities, 0) AS entities,
         coalesce(p.target, 0) AS target,
         (SELECT count(*) FROM city_tasks ct WHERE ct.city_code = c.code) AS tasks,
         coalesce(ci.items_covered, 0) AS items_covered,
         coalesce(d.entities_drawn, 0) AS entities_drawn,
         coalesce(i.entities_inspected, 0) AS entities_inspected,
         u.* EXCLUDE (city_code)
  FROM cities c
  LEFT JOIN population p ON p.city_code = c.code
  LEFT JOIN city_items ci ON ci.city_code = c.code
  LEFT JOIN drawn d ON d.city_code = c.code
  LEFT JOIN inspected i ON i.city_code = c.code
  LEFT JOIN due u ON u.city_code = c.code
)
SELECT *,
       coverage_rate(entities_drawn, entities) AS coverage_rate,
       coverage_rate(entities_drawn, target) AS attainment,
       coverage_rate(entities_inspected, entities) AS inspected_share,
       coverage_rate(published_on_time, published_on_time + published_late + overdue) AS on_time_rate
FROM rows
ORDER BY code
