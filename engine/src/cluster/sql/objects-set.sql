-- A population set from the object directory, on each shard from its own rows: every active object, its stratum by
-- $strataMode (none: ALL; tier: A..D; tier_city: D|440300; city: 440300). Objects without a tier cannot join a
-- tiered set (the caller checks that none are left out).
INSERT INTO $population (population_id, stratum, id)
SELECT $setName,
  multiIf($strataMode = 'none', 'ALL',
          $strataMode = 'tier', tier,
          $strataMode = 'tier_city', concat(tier, '|', city_code),
          city_code),
  id
FROM $objects
WHERE status = 'active' AND ($strataMode IN ('none', 'city') OR tier != '')
