-- The year's coverage for a scope ($department, $city; NULL: all) in one row: items in force and items with at least
-- one task (全覆盖), departments with items and taking part, tasks and joint tasks, draws, entities drawn and inspected
-- against the active entities (and, apart, those left out of a draw as covered by recognition), results against the
-- publication deadline.
-- As of $asof (TIMESTAMPTZ; NULL: as the tables stand), with deadlines judged on $day: only tasks ready, draws made and
-- results entered or published by then count (a draw voided since still counts as drawn, as it did then).
WITH cut AS (SELECT coalesce($asof::TIMESTAMPTZ, 'infinity'::TIMESTAMPTZ) AS cut_at),
tasks AS (SELECT * FROM coverage_scope_tasks($department::VARCHAR, $city::VARCHAR) WHERE ready_at <= (SELECT cut_at FROM cut)),
in_force AS (SELECT * FROM coverage_items_in_force($year::INTEGER, $department::VARCHAR)),
covered AS (
  SELECT DISTINCT ti.item_code FROM task_items ti
  SEMI JOIN tasks t ON t.task_id = ti.task_id
  SEMI JOIN in_force f ON f.code = ti.item_code
),
taking_part AS (
  SELECT DISTINCT department_code FROM (SELECT unnest(departments) AS department_code FROM tasks)
  WHERE $department::VARCHAR IS NULL OR department_code = $department::VARCHAR
),
scope_draws AS (
  SELECT CASE WHEN $asof::TIMESTAMPTZ IS NULL THEN d.status
              WHEN d.voided_at <= $asof::TIMESTAMPTZ THEN 'voided'
              WHEN d.drawn_at <= $asof::TIMESTAMPTZ THEN 'drawn'
              ELSE 'committed' END AS status
  FROM draws d SEMI JOIN tasks t ON t.task_id = d.task_id
  WHERE d.committed_at <= (SELECT cut_at FROM cut)
),
selection AS (SELECT * FROM coverage_scope_selection($department::VARCHAR, $city::VARCHAR) WHERE drawn_at <= (SELECT cut_at FROM cut)),
due AS (
  SELECT object_key, entered, published, coverage_deadline(published_at, entered_at, due_on, latest_due_on, CAST($day AS DATE)) AS deadline
  FROM (
    SELECT object_key, due_on, latest_due_on,
           CASE WHEN entered_at <= (SELECT cut_at FROM cut) THEN entered_at END AS entered_at,
           CASE WHEN published_at <= (SELECT cut_at FROM cut) THEN published_at END AS published_at,
           entered_at <= (SELECT cut_at FROM cut) IS TRUE AS entered,
           published_at <= (SELECT cut_at FROM cut) IS TRUE AS published
    FROM coverage_scope_assignments($department::VARCHAR, $city::VARCHAR)
    WHERE drawn_at <= (SELECT cut_at FROM cut)
  )
),
recognised AS (
  SELECT DISTINCT r.object_id
  FROM draw_recognised r
  JOIN draws d ON d.id = r.draw_id AND d.drawn_at <= (SELECT cut_at FROM cut) AND (d.voided_at IS NULL OR d.voided_at > (SELECT cut_at FROM cut))
  SEMI JOIN tasks t ON t.task_id = d.task_id
  JOIN objects o ON o.id = r.object_id
  WHERE $city::VARCHAR IS NULL OR left(o.region_code, 4) || '00' = $city::VARCHAR
),
population AS (SELECT CAST(coalesce(sum(entities), 0) AS BIGINT) AS entities FROM coverage_population WHERE $city::VARCHAR IS NULL OR city_code = $city::VARCHAR),
counts AS (
  SELECT
    (SELECT count(*) FROM in_force) AS items_in_force,
    (SELECT count(*) FROM covered) AS items_covered,
    (SELECT count(DISTINCT department_code) FROM in_force) AS departments_with_items,
    (SELECT count(*) FROM taking_part) AS departments_taking_part,
    (SELECT count(*) FROM tasks) AS tasks,
    (SELECT count(*) FILTER (WHERE joint) FROM tasks) AS joint_tasks,
    (SELECT count(*) FILTER (WHERE kind = 'general') FROM tasks) AS general_tasks,
    (SELECT count(*) FILTER (WHERE kind = 'key') FROM tasks) AS key_tasks,
    (SELECT count(*) FILTER (WHERE kind = 'special') FROM tasks) AS special_tasks,
    (SELECT count(*) FILTER (WHERE status = 'drawn') FROM scope_draws) AS draws_drawn,
    (SELECT count(*) FILTER (WHERE status = 'voided') FROM scope_draws) AS draws_voided,
    (SELECT count(*) FILTER (WHERE status IN ('committed', 'beaconed')) FROM scope_draws) AS draws_pending,
    (SELECT entities FROM population) AS entities,
    (SELECT count(*) FROM (SELECT DISTINCT object_key FROM selection)) AS entities_drawn,
    (SELECT count(*) FROM (SELECT DISTINCT object_key FROM due WHERE entered)) AS entities_inspected,
    (SELECT count(*) FROM recognised) AS entities_recognised,
    (SELECT count(*) FROM due) AS results_due,
    (SELECT count(*) FILTER (WHERE entered) FROM due) AS results_entered,
    (SELECT count(*) FILTER (WHERE published) FROM due) AS results_published,
    (SELECT count(*) FILTER (WHERE deadline = 'on_time') FROM due) AS published_on_time,
    (SELECT count(*) FILTER (WHERE deadline = 'late') FROM due) AS published_late,
    (SELECT count(*) FILTER (WHERE deadline = 'overdue') FROM due) AS overdue,
    (SELECT count(*) FILTER (WHERE deadline = 'open') FROM due) AS open
)
SELECT *,
       coverage_rate(items_covered, items_in_force) AS item_coverage_rate,
       coverage_rate(departments_taking_part, departments_with_items) AS department_share,
       coverage_rate(joint_tasks, tasks) AS joint_task_share,
       coverage_rate(entities_drawn, entities) AS drawn_share,
       coverage_rate(entities_inspected, entities) AS inspected_share,
       coverage_rate(results_entered, results_due) AS entered_rate,
       coverage_rate(published_on_time, published_on_time + published_late + overdue) AS on_time_rate
FROM counts
