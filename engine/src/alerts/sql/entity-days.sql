-- Complaints and inspection visits of each entity per day (Asia/Shanghai), every date, for the entities passing
-- $entity_filter (a boolean SQL expression over a column named object_id): stored as alert_entity_days (migration 007)
-- and refreshed entity by entity (engine/src/risk/derived.ts); weekly-from-days.sql adds them up per week.
-- The same events as weekly-events.sql: complaints are 12345 complaints and reports naming a registered entity, at the
-- ticket's region; visits are one object, date and task (or department) of inspection_results, at the entity's region,
-- and `findings` counts visits where any result was a finding. Objects without an industry are left out.
-- Grain: one row per kind x object_id x region_code x day with events.
WITH
objects_with_industry AS (
  SELECT * FROM (SELECT id AS object_id, region_code, industry_code FROM objects WHERE industry_code IS NOT NULL) WHERE $entity_filter
),
complaint_days AS (
  SELECT object_id, region_code, CAST(timezone('Asia/Shanghai', received_at) AS DATE) AS day, count(*) AS events
  FROM complaints
  WHERE category IN ('complaint', 'report') AND object_id IS NOT NULL AND $entity_filter
  GROUP BY ALL
),
visits AS (
  SELECT r.object_id, r.inspected_on AS day, bool_or(oc.is_finding) AS found
  FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE $entity_filter
  GROUP BY r.object_id, r.inspected_on, coalesce(r.task_ref, r.department_code)
)
SELECT 'complaints' AS kind, d.object_id, d.region_code, o.industry_code, d.day, CAST(d.events AS INTEGER) AS events, 0 AS findings
FROM complaint_days d JOIN objects_with_industry o ON o.object_id = d.object_id
UNION ALL
SELECT 'visits' AS kind, v.object_id, o.region_code, o.industry_code, v.day,
       CAST(count(*) AS INTEGER) AS events, CAST(count(*) FILTER (WHERE v.found) AS INTEGER) AS findings
FROM visits v JOIN objects_with_industry o ON o.object_id = v.object_id
GROUP BY ALL
