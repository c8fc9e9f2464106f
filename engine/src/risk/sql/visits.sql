-- Inspection visits from $from_date to $as_of, with how the object was selected and the probability of that selection.
-- Imported results record it on their rows (selection; stratum_quota / stratum_eligible for a random draw); results
-- entered in Fairdraw take it from their draw (task_ref = the draw's id): the quota over the eligible count of the
-- stratum the object was drawn in. selection NULL: not recorded; probability NULL: not known. inspectors: the team.
-- Grain: one row per object x inspection day x task (a joint visit covers several items).
WITH drawn AS (
  SELECT d.id AS draw_id, j ->> 'stratum' AS stratum, (j ->> 'eligible')::BIGINT AS eligible, (j ->> 'quota')::BIGINT AS quota
  FROM draws d, unnest(from_json(d.strata, '["json"]')) s(j)
  WHERE d.drawn_at IS NOT NULL
)
SELECT r.object_id, r.inspected_on, coalesce(r.task_ref, r.department_code) AS task,
       bool_or(oc.is_finding) AS found,
       list_distinct(flatten(list(r.inspector_ids))) AS inspectors,
       coalesce(any_value(r.selection), CASE WHEN bool_or(dr.draw_id IS NOT NULL) THEN 'random' END) AS selection,
       coalesce(max(r.stratum_quota::DOUBLE / r.stratum_eligible), max(dr.quota::DOUBLE / dr.eligible)) AS probability
FROM inspection_results r
JOIN outcome_codes oc ON oc.code = r.outcome_code
LEFT JOIN draw_selection ds ON ds.draw_id = r.task_ref AND ds.object_id = r.object_id
LEFT JOIN drawn dr ON dr.draw_id = ds.draw_id AND dr.stratum = ds.stratum
WHERE r.inspected_on BETWEEN $from_date::DATE AND $as_of::DATE
GROUP BY r.object_id, r.inspected_on, coalesce(r.task_ref, r.department_code)
