-- One piece of the digest's exact input (protocol section 2): "stratum<TAB>id<LF>" per row of one stratum whose id
-- lies in [$fromId, upper bound), sorted by id in byte order (ClickHouse compares strings as bytes). Each shard sorts
-- its rows of the piece, the entry server merges the sorted streams. The pieces, taken in stratum order and then id
-- order, are the whole population sorted; each stays small enough to sort in memory. TabSeparatedRaw writes values
-- unescaped: strata and ids hold no tab, newline or control character.
SELECT stratum, id
FROM $population
WHERE population_id = $populationId AND stratum = $stratum AND id >= $fromId $upperBound
ORDER BY id
FORMAT TabSeparatedRaw
