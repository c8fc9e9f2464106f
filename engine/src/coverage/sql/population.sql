-- Active market entities per city and current risk tier (tier NULL: not scored yet), the denominators of every coverage
-- rate. The one pass over the directory; cached until the directory or the scores change. Grain: one row per city x tier.
SELECT left(o.region_code, 4) || '00' AS city_code, rs.tier, CAST(count(*) AS BIGINT) AS entities
FROM objects o
LEFT JOIN risk_scores rs ON rs.object_id = o.id
WHERE o.object_kind = 'entity' AND o.status = 'active'
GROUP BY ALL
