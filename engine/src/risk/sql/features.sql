-- Risk features of each entity as of $as_of, derived from its facts ($facts: a relation with facts.sql's
-- columns as of the same $as_of — facts.sql itself, or the stored risk_entity_facts) and the norms of its industry and
-- district ($cell_rates: norms.sql over the facts of every entity, whatever the population).
-- Grain: one row per entity that existed on $as_of and matches the population predicate (the $population
-- placeholder: a boolean SQL expression over alias o, which has the objects columns id, status, entity_type,
-- industry_code, region_code and established_on). The cell_columns placeholder after the last column: more columns of
-- the norms (alias r), or nothing.
-- Over the stored facts this is one scan of narrow columns and one hash join with a small table: no aggregate or
-- join keyed by entity.
WITH
-- Grain: one row per entity that existed on $as_of.
base AS (
  SELECT f.*, f.object_id AS id
  FROM $facts f
  WHERE f.established_on IS NULL OR f.established_on <= $as_of::DATE
)
SELECT o.object_id,
       o.entity_type,
       CASE o.class_code WHEN 1 THEN 'A' WHEN 2 THEN 'B' WHEN 3 THEN 'C' WHEN 4 THEN 'D' END AS credit_class,
       o.penalties_3y,
       CASE o.abnormal_state WHEN 1 THEN 'listed' WHEN 2 THEN 'removed' ELSE 'never' END AS abnormal_listing,
       o.complaints_12m,
       o.complaints_36m,
       (o.complaints_36m - o.complaints_12m)::INTEGER AS complaints_13_36m,
       CASE WHEN o.complaints_12m = 0 THEN 0
            ELSE o.complaints_12m / greatest(r.complaints_per_entity, 0.001) END AS complaint_ratio,
       CASE WHEN o.inspections = 0 THEN 'none'
            WHEN o.last_visit_found THEN 'finding'
            ELSE 'clean' END AS last_outcome,
       o.inspections AS prior_inspections,
       o.findings AS prior_findings,
       ($as_of::DATE - o.last_finding_on)::INTEGER AS days_since_last_finding,
       ($as_of::DATE - o.last_inspected_on)::INTEGER AS days_since_last_inspection,
       ($as_of::DATE - o.established_on)::INTEGER AS age_days,
       r.industry_base_rate,
       r.district_base_rate$cell_columns
FROM base o
JOIN $cell_rates r ON r.industry_code IS NOT DISTINCT FROM o.industry_code AND r.region_code = o.region_code
WHERE ($population)
