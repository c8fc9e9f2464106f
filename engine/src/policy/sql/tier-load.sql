-- Inspection load of active entities as of $as_of under a policy's burden window and yearly cap.
-- Grain: one row per risk tier (tier NULL: active entities with no current risk score).
WITH active AS (
  SELECT o.id, rs.tier
  FROM objects o
  LEFT JOIN risk_scores rs ON rs.object_id = o.id
  WHERE o.object_kind = 'entity' AND o.status = 'active'
),
load AS (
  SELECT object_id, last_drawn_on, inspections_this_year
  FROM entity_inspection_load_at(CAST($as_of AS DATE))
),
flagged AS (
  SELECT a.tier,
         coalesce(l.inspections_this_year, 0) AS inspections_this_year,
         l.last_drawn_on IS NOT NULL AND CAST($as_of AS DATE) - l.last_drawn_on < $burden_window_days AS in_burden_window,
         l.last_drawn_on IS NULL OR l.last_drawn_on <= CAST($as_of AS DATE) - INTERVAL 3 YEAR AS not_inspected_3y
  FROM active a
  LEFT JOIN load l ON l.object_id = a.id
)
SELECT tier,
       CAST(count(*) AS INTEGER) AS active_entities,
       CAST(count(*) FILTER (WHERE in_burden_window) AS INTEGER) AS in_burden_window,
       CAST(count(*) FILTER (WHERE inspections_this_year >= $yearly_cap) AS INTEGER) AS at_cap,
       CAST(count(*) FILTER (WHERE inspections_this_year < $yearly_cap
                               AND inspections_this_year >= $yearly_cap - $cap_alert_margin) AS INTEGER) AS near_cap,
       CAST(count(*) FILTER (WHERE inspections_this_year < $yearly_cap
                               AND (tier = 'D' OR NOT in_burden_window)) AS INTEGER) AS eligible,
       CAST(count(*) FILTER (WHERE not_inspected_3y) AS INTEGER) AS not_inspected_3y
FROM flagged
GROUP BY tier
ORDER BY tier NULLS LAST
