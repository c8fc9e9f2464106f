-- Active entities at or within $cap_alert_margin of the yearly cap as of $as_of, most inspected first: only entities
-- with a draw or inspection this calendar year can be, so only those events are read (their latest is this year's).
-- Grain: one row per entity (at most $limit rows).
WITH load AS (
  SELECT object_id, max(on_date) AS last_drawn_on, CAST(count(*) AS INTEGER) AS inspections_this_year
  FROM entity_inspection_events_at(CAST($as_of AS DATE))
  WHERE on_date >= make_date(year(CAST($as_of AS DATE)), 1, 1)
  GROUP BY object_id
  HAVING count(*) >= $yearly_cap - $cap_alert_margin
)
SELECT o.id AS object_id, o.name, o.region_code, o.industry_code, rs.tier,
       l.inspections_this_year, l.last_drawn_on
FROM load l
JOIN objects o ON o.id = l.object_id AND o.object_kind = 'entity' AND o.status = 'active'
LEFT JOIN risk_scores rs ON rs.object_id = o.id
ORDER BY l.inspections_this_year DESC, o.id
LIMIT $limit
