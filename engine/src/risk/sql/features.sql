-- Risk features of each entity as of $as_of, derived from its facts ($facts: a relation with facts.sql's columns as of
-- the same $as_of — facts.sql itself, or the stored risk_entity_facts) and the norms of its industry and district
-- ($cell_rates: norms.sql, whatever the population). Grain: one row per entity that existed on $as_of and matches
-- $population (a boolean over alias o, which has the facts' columns and id). $cell_columns after the last column: more
-- columns of the norms (alias r), or nothing.
-- Over the stored facts this is one scan of narrow columns and one hash join with a small table: no aggregate or
-- join keyed by entity.
WITH
-- Grain: one row per entity that existed on $as_of.
base AS (
  SELECT f.*, f.object_id AS id, ($as_of::DATE - f.established_on)::INTEGER AS age
  FROM $facts f
  WHERE f.established_on IS NULL OR f.established_on <= $as_of::DATE
)
SELECT o.object_id,
       o.entity_type,
       -- the latest class, and whether it is over two years old (classes are not updated every year everywhere)
       CASE WHEN o.class_code = 0 THEN 'none'
            WHEN $as_of::DATE - o.class_on >= 730 THEN CASE WHEN o.class_code <= 2 THEN 'AB_stale' ELSE 'CD_stale' END
            ELSE chr(64 + o.class_code) END AS credit_state,
       o.penalties_3y,
       CASE o.abnormal_state WHEN 0 THEN 'never'
            WHEN 1 THEN CASE WHEN $as_of::DATE - o.abnormal_on < 365 THEN 'listed_recent' ELSE 'listed' END
            ELSE CASE WHEN $as_of::DATE - o.abnormal_on < 365 THEN 'removed_recent' ELSE 'removed' END END AS abnormal,
       o.substantiated_12m,
       o.other_12m,
       -- the other complaints against what the district and industry file per entity-year
       CASE WHEN o.other_12m = 0 THEN 0 ELSE o.other_12m / greatest(r.other_norm, 0.001) END AS complaint_ratio,
       o.complaint_months,
       CASE WHEN o.substantiated_12m + o.other_12m = 0 THEN 'none'
            WHEN o.complaints_3m = 0 THEN 'quiet'
            WHEN o.complaints_3m >= 2 AND o.complaints_3m * 4 >= 2 * (o.substantiated_12m + o.other_12m) THEN 'rising'
            ELSE 'steady' END AS complaint_trend,
       CASE o.topic_group WHEN 1 THEN 'safety' WHEN 2 THEN 'fraud' WHEN 3 THEN 'unlicensed' WHEN 4 THEN 'dispute' ELSE 'none' END AS topic_group,
       (o.complaints_36m - o.substantiated_12m - o.other_12m)::INTEGER AS complaints_13_36m,
       CASE WHEN o.inspections = 0 THEN 'none'
            WHEN o.last_visit_found THEN 'finding'
            ELSE 'clean' END AS last_outcome,
       o.inspections AS prior_inspections,
       o.findings AS prior_findings,
       ($as_of::DATE - o.last_inspected_on)::INTEGER AS days_since_last_inspection,
       o.age AS age_days,
       -- industry group x age band: young shops and ageing factories carry opposite risks
       CASE WHEN o.industry_code IN ('F', 'H', 'O', 'R') THEN 'retail'
            WHEN o.industry_code IN ('B', 'C', 'D') THEN 'factory'
            WHEN o.industry_code IN ('E', 'G', 'K') THEN 'build'
            ELSE 'other' END || '|' ||
       CASE WHEN o.age < 365 THEN '<1' WHEN o.age < 1096 THEN '1-3' WHEN o.age < 3653 THEN '3-10' ELSE '10+' END AS age_industry,
       r.industry_base_rate,
       r.district_substantiated,
       r.district_true_share,
       o.region_code,
       o.industry_code,
       (o.class_code > 0 OR o.penalties_3y > 0 OR o.abnormal_state > 0 OR o.complaints_36m > 0 OR o.inspections > 0) AS has_records$cell_columns
FROM base o
JOIN $cell_rates r ON r.industry_code IS NOT DISTINCT FROM o.industry_code AND r.region_code = o.region_code
WHERE ($population)
