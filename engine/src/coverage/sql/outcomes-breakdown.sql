-- Findings rate of published results by item, department, city, industry, tier and inspection month, in one pass
-- (GROUPING SETS), with each key's names. Grain: one row per dimension x key (key NULL: industry or tier unknown).
WITH scoped AS (
  SELECT * FROM outcomes_scope($year::INTEGER, $city::VARCHAR, $department::VARCHAR, $industry::VARCHAR, $tier::VARCHAR)
),
grouped AS (
  SELECT CASE WHEN grouping(item_code) = 0 THEN 'item'
              WHEN grouping(department_code) = 0 THEN 'department'
              WHEN grouping(city_code) = 0 THEN 'city'
              WHEN grouping(industry_code) = 0 THEN 'industry'
              WHEN grouping(tier) = 0 THEN 'tier'
              ELSE 'month' END AS dimension,
         coalesce(item_code, department_code, city_code, industry_code, tier, month) AS key,
         count(*) AS results,
         count(*) FILTER (WHERE is_finding) AS findings,
         count(DISTINCT object_id) AS entities,
         any_value(item_name_zh) AS item_name_zh,
         any_value(item_name_en) AS item_name_en,
         any_value(department_code) AS item_department
  FROM scoped
  GROUP BY GROUPING SETS ((item_code), (department_code), (city_code), (industry_code), (tier), (month))
)
SELECT g.dimension, g.key,
       CASE g.dimension WHEN 'item' THEN g.item_name_zh WHEN 'department' THEN d.name_zh WHEN 'city' THEN c.name_zh
                        WHEN 'industry' THEN i.name_zh ELSE g.key END AS name_zh,
       CASE g.dimension WHEN 'item' THEN g.item_name_en WHEN 'department' THEN d.name_en WHEN 'city' THEN c.name_en
                        WHEN 'industry' THEN i.name_en ELSE g.key END AS name_en,
       CASE g.dimension WHEN 'item' THEN g.item_department END AS department_code,
       g.results, g.findings, g.entities,
       g.findings / g.results AS findings_rate
FROM grouped g
LEFT JOIN departments d ON g.dimension = 'department' AND d.code = g.key
LEFT JOIN regions c ON g.dimension = 'city' AND c.code = g.key
LEFT JOIN industries i ON g.dimension = 'industry' AND i.code = g.key
ORDER BY g.dimension, g.key NULLS LAST
