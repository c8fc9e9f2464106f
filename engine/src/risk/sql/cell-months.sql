-- What the norms of any year end are summed from, per industry x district (the entity's) and calendar month
-- (Asia/Shanghai), in one pass over the records: 12345 complaints and reports naming an entity, found true apart from
-- the rest (found untrue or not known), as events.sql counts them; inspection visits (object x day) and those with a
-- finding. cell-sums-at.sql adds up the months a year end's windows cover. Only records up to $up_to (the latest year
-- end asked for) are read: at 18 M entities the join with objects is the costliest step of a fit, and later records
-- could only fall in months no year end up to $up_to covers (complaints are cut two days late, since the session's
-- time zone need not be Asia/Shanghai: cell-sums-at.sql drops the months after).
-- Grain: one row per industry x district x month with records.
WITH
complaint_months AS (
  -- the month in Asia/Shanghai (UTC+8, no daylight saving: plain arithmetic is cheaper than timezone())
  SELECT o.industry_code, o.region_code, date_trunc('month', DATE '1970-01-01' + ((epoch_us(c.received_at) + 28800000000) // 86400000000)::INTEGER)::DATE AS month,
         count(*) FILTER (WHERE c.substantiated) AS substantiated, count(*) FILTER (WHERE NOT coalesce(c.substantiated, false)) AS other,
         0 AS inspections, 0 AS findings
  FROM complaints c JOIN objects o ON o.id = c.object_id
  WHERE c.category IN ('complaint', 'report') AND o.object_kind = 'entity'
    AND c.received_at < ($up_to::DATE + INTERVAL 2 DAY)::TIMESTAMPTZ
  GROUP BY ALL
),
visits AS (
  SELECT r.object_id, r.inspected_on, bool_or(oc.is_finding) AS found
  FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE r.inspected_on <= $up_to::DATE
  GROUP BY r.object_id, r.inspected_on
),
visit_months AS (
  SELECT o.industry_code, o.region_code, date_trunc('month', v.inspected_on)::DATE AS month,
         0 AS substantiated, 0 AS other, count(*) AS inspections, count(*) FILTER (WHERE v.found) AS findings
  FROM visits v JOIN objects o ON o.id = v.object_id
  WHERE o.object_kind = 'entity'
  GROUP BY ALL
)
SELECT industry_code, region_code, month, sum(substantiated) AS substantiated, sum(other) AS other,
       sum(inspections) AS inspections, sum(findings) AS findings
FROM (SELECT * FROM complaint_months UNION ALL SELECT * FROM visit_months) m
GROUP BY ALL
