-- The test year's tested entities among the scored ones ($scored: object_id, bin_code, score): found when a visit in
-- $test_year that passes $counted found a problem, weighted by $weight (with selection recorded: random draws with a
-- known probability count, and an entity weighs the inverse of the chance that they selected it at least once, so that
-- the tested stand for the whole population; otherwise every visit counts and each entity once; see selection.ts).
-- Grain: one row per tested entity.
SELECT v.object_id, bool_or(v.found) AS found,
       $weight AS weight,
       list_distinct(flatten(list(v.inspectors))) AS team,
       any_value(s.bin_code) AS bin_code, any_value(s.score) AS score
FROM ($visits) v
JOIN $scored s ON s.object_id = v.object_id
WHERE year(v.inspected_on) = $test_year
  AND $counted
GROUP BY v.object_id
