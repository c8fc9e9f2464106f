-- Complaints and inspection visits per region x industry x week, weeks counted back from $as_of (week 0 = the 7 days
-- ending $as_of, week w = days as_of-7w-6 .. as_of-7w), over weeks 0 .. $weeks-1.
-- Complaints: 12345 complaints and reports naming a registered entity (consultations and tickets naming none are left
-- out: they have no industry), at the ticket's region, in the entity's industry. Visits: one object, date and task (or department) of inspection_results,
-- at the entity's region; `findings` counts visits where any result was a finding.
-- Grain: one row per kind ('complaints' | 'visits') x region_code x industry_code x week_ago (weeks with events).
-- Kept in a temporary table: cell totals and the series of the few alert cells are read from it.
WITH complaint_events AS (
  SELECT 'complaints' AS kind, c.object_id, c.region_code,
         -- whole weeks back from the end of $as_of; Asia/Shanghai has no daylight saving, so microseconds suffice
         CAST((epoch_us(CAST($to_at AS TIMESTAMPTZ)) - epoch_us(c.received_at) - 1) // 604800000000 AS INTEGER) AS week_ago,
         false AS found
  FROM complaints c
  WHERE c.category IN ('complaint', 'report') AND c.object_id IS NOT NULL
    AND c.received_at >= CAST($from_at AS TIMESTAMPTZ) AND c.received_at < CAST($to_at AS TIMESTAMPTZ)
),
visit_events AS (
  SELECT 'visits' AS kind, r.object_id, NULL AS region_code,
         CAST((CAST($as_of AS DATE) - r.inspected_on) // 7 AS INTEGER) AS week_ago, bool_or(oc.is_finding) AS found
  FROM inspection_results r
  JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE r.inspected_on BETWEEN CAST($from_date AS DATE) AND CAST($as_of AS DATE)
  GROUP BY r.object_id, r.inspected_on, coalesce(r.task_ref, r.department_code)
),
events AS (
  SELECT * FROM complaint_events
  UNION ALL
  SELECT * FROM visit_events
)
SELECT e.kind,
       coalesce(e.region_code, o.region_code) AS region_code,
       o.industry_code,
       e.week_ago,
       -- complaints: entities complained about that week (one entity's burst counts once); visits: every visit
       CAST(count(DISTINCT e.object_id) FILTER (WHERE e.kind = 'complaints') + count(*) FILTER (WHERE e.kind = 'visits') AS INTEGER) AS events,
       CAST(count(*) FILTER (WHERE e.found) AS INTEGER) AS findings
FROM events e
JOIN objects o ON o.id = e.object_id
WHERE o.industry_code IS NOT NULL
GROUP BY ALL
