-- Freezes a population set as a draw's population, on each shard from its own rows (both are placed by the same
-- sipHash64(id), so no row moves between shards).
INSERT INTO $population (population_id, stratum, id)
SELECT $drawId, stratum, id
FROM $population
WHERE population_id = $setName
