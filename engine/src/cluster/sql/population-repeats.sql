-- One row per shard (run on each shard's local table): rows of a population and distinct 64-bit hashes of their ids.
-- Equal counts prove every id appears once, since an id always lives on the one shard sipHash64(id) names.
SELECT count() AS rows, uniqExact(sipHash64(id)) AS distinct_hashes
FROM $population
WHERE population_id = $populationId
