-- Inspection load of active entities as of $as_of under a policy's burden window and yearly cap.
-- Grain: one row per risk tier (tier NULL: active entities with no current risk score).
-- Shape, for 18 M entities: no join of every entity with its score. Active entities per tier are the scored ones
-- counted per bin code (risk_entity_codes holds one row per scored entity, and each code carries its tier), less
-- those no longer active; the active ones left over have no score. The burden window, the cap and the three years
-- without inspection concern only entities drawn or inspected since $since (no later than 1 January of $as_of's year,
-- the start of the burden window and three years before): their load and tier are read for them alone.
WITH
code_tiers AS (
  SELECT model_version, bin_code, tier FROM risk_score_codes
),
scored AS (
  SELECT c.tier, sum(e.entities) AS entities
  FROM (SELECT model_version, bin_code, count(*) AS entities FROM risk_entity_codes GROUP BY ALL) e
  JOIN code_tiers c USING (model_version, bin_code)
  GROUP BY c.tier
),
active_count AS (
  SELECT count(*) AS entities FROM objects WHERE object_kind = 'entity' AND status = 'active'
),
-- scored entities that are no longer active entities, and the entities with a recent draw or inspection
load AS MATERIALIZED (
  SELECT object_id, max(on_date) AS last_drawn_on,
         CAST(count(*) FILTER (WHERE on_date >= make_date(year(CAST($as_of AS DATE)), 1, 1)) AS INTEGER) AS inspections_this_year
  FROM entity_inspection_events_at(CAST($as_of AS DATE))
  WHERE on_date >= CAST($since AS DATE)
  GROUP BY object_id
),
inactive AS (
  SELECT id AS object_id FROM objects WHERE NOT (object_kind = 'entity' AND status = 'active')
),
-- the tier (NULL: unscored) and activity of each entity concerned, in one probe of the scored entities
concerned AS MATERIALIZED (
  SELECT k.object_id, c.tier, k.object_id NOT IN (SELECT object_id FROM inactive) AS active
  FROM (SELECT object_id FROM load UNION SELECT object_id FROM inactive) k
  LEFT JOIN risk_entity_codes e ON e.object_id = k.object_id
  LEFT JOIN code_tiers c ON c.model_version = e.model_version AND c.bin_code = e.bin_code
),
tiers AS (
  SELECT tier, entities - coalesce((SELECT count(*) FROM concerned k WHERE NOT k.active AND k.tier = s.tier), 0) AS entities
  FROM scored s
),
-- active entities with no score: the active count less the active scored ones
tier_counts AS (
  SELECT tier, entities FROM tiers
  UNION ALL
  SELECT NULL, (SELECT entities FROM active_count) - (SELECT coalesce(sum(entities), 0) FROM tiers)
),
flagged AS (
  SELECT k.tier, l.inspections_this_year, l.last_drawn_on,
         CAST($as_of AS DATE) - l.last_drawn_on < $burden_window_days AS in_burden_window
  FROM load l JOIN concerned k ON k.object_id = l.object_id
  WHERE k.active
),
load_counts AS (
  SELECT tier,
         count(*) FILTER (WHERE in_burden_window) AS in_burden_window,
         count(*) FILTER (WHERE inspections_this_year >= $yearly_cap) AS at_cap,
         count(*) FILTER (WHERE inspections_this_year < $yearly_cap AND inspections_this_year >= $yearly_cap - $cap_alert_margin) AS near_cap,
         -- not eligible: at the cap, or in the burden window (tier D excepted)
         count(*) FILTER (WHERE inspections_this_year >= $yearly_cap OR (tier IS DISTINCT FROM 'D' AND in_burden_window)) AS not_eligible,
         -- drawn or inspected within the last three years
         count(*) FILTER (WHERE last_drawn_on > CAST($as_of AS DATE) - INTERVAL 3 YEAR) AS inspected_3y
  FROM flagged
  GROUP BY tier
)
SELECT t.tier,
       CAST(t.entities AS INTEGER) AS active_entities,
       CAST(coalesce(c.in_burden_window, 0) AS INTEGER) AS in_burden_window,
       CAST(coalesce(c.at_cap, 0) AS INTEGER) AS at_cap,
       CAST(coalesce(c.near_cap, 0) AS INTEGER) AS near_cap,
       CAST(t.entities - coalesce(c.not_eligible, 0) AS INTEGER) AS eligible,
       CAST(t.entities - coalesce(c.inspected_3y, 0) AS INTEGER) AS not_inspected_3y
FROM tier_counts t
LEFT JOIN load_counts c ON c.tier IS NOT DISTINCT FROM t.tier
WHERE t.entities > 0
ORDER BY t.tier NULLS LAST
