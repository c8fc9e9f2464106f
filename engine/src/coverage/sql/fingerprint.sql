-- What the coverage and outcomes answers depend on, from counts and maxima that need no scan of the 18 M objects.
-- population: the directory and its scores (changed by imports and scoring); activity: items, policy, plans, tasks,
-- draws, results and publication. A change in either invalidates the cached answers. Grain: one row.
SELECT
  concat_ws('|',
    (SELECT count(*) FROM objects),
    (SELECT count(*) FROM risk_entity_codes),
    coalesce(CAST((SELECT max(version) FROM risk_models) AS VARCHAR), '-'),
    coalesce(CAST((SELECT max(seq) FROM audit_log WHERE action IN ('import', 'risk.score')) AS VARCHAR), '-')
  ) AS population,
  concat_ws('|',
    (SELECT count(*) FROM items),
    coalesce(CAST((SELECT max(version) FROM sampling_policies) AS VARCHAR), '-'),
    (SELECT count(*) FROM plans),
    (SELECT count(*) || ':' || coalesce(CAST(max(coalesce(approved_at, created_at)) AS VARCHAR), '-') FROM tasks),
    (SELECT count(*) FROM task_items),
    (SELECT count(*) || ':' || coalesce(CAST(max(greatest(committed_at, beaconed_at, drawn_at, voided_at)) AS VARCHAR), '-') FROM draws),
    (SELECT count(*) FROM draw_selection),
    (SELECT count(*) FROM draw_recognised),
    (SELECT count(*) FROM draw_teams),
    (SELECT count(*) || ':' || coalesce(CAST(max(updated_at) AS VARCHAR), '-') FROM draw_results),
    (SELECT count(*) || ':' || coalesce(CAST(max(updated_at) AS VARCHAR), '-') FROM public_results)
  ) AS activity
