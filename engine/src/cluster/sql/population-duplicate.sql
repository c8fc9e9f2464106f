-- The first id on more than one row of a population, with its strata (run on each shard's local table, only after
-- population-repeats found a repeated hash).
SELECT id, groupArray(stratum) AS strata
FROM $population
WHERE population_id = $populationId
GROUP BY id
HAVING count() > 1
ORDER BY id
LIMIT 1
