-- The sums per industry x district that norms.sql takes its norms and base rates from, as of $as_of, straight from
-- the records (events.sql of every entity, $events) and the directory, for the training years: the same sums as
-- cells-from-facts.sql over the facts of every entity, without building them. Entities that existed on $as_of count.
-- exposure: entity-years within the last 12 months (an entity younger than a year counts its share).
-- Grain: one row per industry x district with entities.
WITH
entity_cells AS (
  SELECT industry_code, region_code, count(*) AS entities,
         sum(coalesce(least(1, ($as_of::DATE - established_on) / 365.25), 1)) AS exposure
  FROM objects
  WHERE object_kind = 'entity' AND (established_on IS NULL OR established_on <= $as_of::DATE)
  GROUP BY ALL
),
event_cells AS (
  SELECT o.industry_code, o.region_code, sum((e.counts_a >> 21) & 2097151) AS substantiated_12m, sum(e.counts_a >> 42) AS other_12m,
         sum(e.visits_key & 2097151) AS inspections, sum(e.visits_key >> 21) AS findings
  FROM ($events) e JOIN objects o ON o.id = e.object_id
  WHERE o.object_kind = 'entity' AND (o.established_on IS NULL OR o.established_on <= $as_of::DATE)
  GROUP BY ALL
)
SELECT c.industry_code, c.region_code, c.entities, c.exposure,
       coalesce(v.substantiated_12m, 0) AS substantiated_12m, coalesce(v.other_12m, 0) AS other_12m, coalesce(v.inspections, 0) AS inspections, coalesce(v.findings, 0) AS findings
FROM entity_cells c
LEFT JOIN event_cells v ON v.industry_code IS NOT DISTINCT FROM c.industry_code AND v.region_code = c.region_code
