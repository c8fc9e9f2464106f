-- The quota smallest keys of one stratum (protocol section 4), one row per pick in key order: each shard hashes its
-- rows of the stratum and sends its own first $quota, the entry server merges them. Keys are compared as the raw
-- 32 bytes of SHA-256, which order exactly as their lowercase hex.
SELECT id, lower(hex(key)) AS key
FROM (
  SELECT id, SHA256(concat($protocol, '|', $seed, '|', $taskId, '|', stratum, '|', id)) AS key
  FROM $population
  WHERE population_id = $populationId AND stratum = $stratum
  ORDER BY key
  LIMIT $quota
)
FORMAT TabSeparatedRaw
