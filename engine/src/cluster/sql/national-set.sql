-- A simulated national directory as a population set: $count ids, each a valid 18-character unified social credit
-- code (GB 32100: authority 9, type 1 enterprise or 2 individual business, a province's code, an 8-digit
-- organisation body with its GB 11714 check, the final check character), unique because the body counts
-- number / 31 within the province number % 31; the stratum is a tier (A 40%, B 35%, C 18%, D 7%, by a hash of the
-- number) and the province: 'D|440000'. Inserted through the Distributed table, which places each id on its shard.
INSERT INTO $population (population_id, stratum, id)
SELECT $setName, concat(tier, '|', province), concat(body17, substring($alphabet, 1 + (31 - arraySum(arrayMap((i, w) -> (position($alphabet, substring(body17, i + 1, 1)) - 1) * w, range(17), [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])) % 31) % 31, 1))
FROM (
  SELECT tier, province, concat('9', toString(1 + number % 2), province, org8, multiIf(org_check = 10, 'X', org_check = 11, '0', toString(org_check))) AS body17
  FROM (
    SELECT number,
      arrayElement($provinces, 1 + number % 31) AS province,
      multiIf(intHash32(number) % 100 < 40, 'A', intHash32(number) % 100 < 75, 'B', intHash32(number) % 100 < 93, 'C', 'D') AS tier,
      substring(toString(100000000 + intDiv(number, 31)), 2) AS org8,
      11 - arraySum(arrayMap((i, w) -> toUInt8(substring(org8, i + 1, 1)) * w, range(8), [3, 7, 9, 10, 5, 8, 4, 2])) % 11 AS org_check
    FROM numbers($first, $count)
  )
)
