-- Active entities at or within $cap_alert_margin of the yearly cap as of $as_of, most inspected first.
-- Grain: one row per entity (at most $limit rows).
SELECT o.id AS object_id, o.name, o.region_code, o.industry_code, rs.tier,
       l.inspections_this_year, l.last_drawn_on
FROM entity_inspection_load_at(CAST($as_of AS DATE)) l
JOIN objects o ON o.id = l.object_id AND o.object_kind = 'entity' AND o.status = 'active'
LEFT JOIN risk_scores rs ON rs.object_id = o.id
WHERE l.inspections_this_year >= $yearly_cap - $cap_alert_margin
ORDER BY l.inspections_this_year DESC, o.id
LIMIT $limit
