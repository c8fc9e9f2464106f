-- The tasks a year counts: in a plan of $year and ready (a special task once a leader approved it). regions: the scope's
-- regions, or the plan's jurisdiction when the scope names none; ready_at: when it became ready (a special task's
-- approval, any other task's creation), for the headline as of an earlier day. Grain: one row per task.
SELECT t.id AS task_id, t.kind, t.lead_department, t.departments, len(t.departments) > 1 AS joint, t.window_end,
       coalesce(t.approved_at, t.created_at) AS ready_at,
       CASE WHEN len(scope_regions) > 0 THEN scope_regions ELSE [p.jurisdiction_region_code] END AS regions
FROM (
  SELECT *, coalesce(from_json(json_extract(scope, '$.regions'), '["VARCHAR"]'), []) AS scope_regions FROM tasks
) t
JOIN plans p ON p.id = t.plan_id
WHERE p.year = $year AND t.status = 'ready'
