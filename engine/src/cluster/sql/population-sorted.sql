-- The digest's exact input (protocol section 2): "stratum<TAB>id<LF>" per row, sorted by stratum then id in byte order
-- (ClickHouse compares strings as bytes). Each shard sorts its rows, the entry server merges the sorted streams.
-- TabSeparatedRaw writes values unescaped: strata and ids hold no tab, newline or control character.
SELECT stratum, id
FROM $population
WHERE population_id = $populationId
ORDER BY stratum, id
FORMAT TabSeparatedRaw
