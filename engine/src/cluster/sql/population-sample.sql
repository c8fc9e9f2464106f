-- A sample of one stratum's ids in byte order (those whose sipHash64 is a multiple of $every), from which the digest
-- cuts the stratum into pieces of about equal size.
SELECT id
FROM $population
WHERE population_id = $populationId AND stratum = $stratum AND sipHash64(id) % $every = 0
ORDER BY id
FORMAT TabSeparatedRaw
