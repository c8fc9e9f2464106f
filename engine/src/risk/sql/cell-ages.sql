-- Entities per industry x district and founding date: the exposure of any as-of date is summed from it
-- (cell-sums-at.sql). Grain: one row per industry x district x established_on.
SELECT industry_code, region_code, established_on, count(*) AS entities
FROM objects
WHERE object_kind = 'entity'
GROUP BY ALL
