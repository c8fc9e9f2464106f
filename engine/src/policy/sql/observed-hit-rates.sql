-- Observed finding rate per current risk tier over all prior inspection visits up to $as_of (in-sample: the tiers
-- were fitted on these results). A visit is one object, date and task (or department); it found a problem if any of
-- its results did. Grain: one row per tier.
WITH visits AS (
  SELECT r.object_id, bool_or(oc.is_finding) AS found
  FROM inspection_results r
  JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE r.inspected_on <= CAST($as_of AS DATE)
  GROUP BY r.object_id, r.inspected_on, coalesce(r.task_ref, r.department_code)
)
SELECT rs.tier,
       CAST(count(*) AS INTEGER) AS visits,
       CAST(count(*) FILTER (WHERE v.found) AS INTEGER) AS findings
FROM visits v
JOIN risk_scores rs ON rs.object_id = v.object_id
GROUP BY rs.tier
ORDER BY rs.tier
