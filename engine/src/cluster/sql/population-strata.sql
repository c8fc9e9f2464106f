-- One row per stratum of a population: its size and how many ids break the id rule (empty, or holding a space,
-- a control character, a comma, a double quote or "|"; fd1.ts idProblem). Runs on the Distributed table.
SELECT stratum, count() AS eligible, countIf(id = '' OR match(id, $forbidden)) AS bad_ids
FROM $population
WHERE population_id = $populationId
GROUP BY stratum
