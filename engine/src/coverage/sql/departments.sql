-- Coverage per department, for a city ($city; NULL: the province): items in force and items with at least one task,
-- tasks it takes part in, leads and shares with others (joint), entities its tasks drew, results due from it against the
-- deadline ($due: deadlines-by.sql per department_code). Departments with no item in force and no task are left out; $department keeps one. Grain: one row per department.
WITH tasks AS (SELECT * FROM coverage_scope_tasks(NULL, $city::VARCHAR)),
department_tasks AS (SELECT DISTINCT unnest(departments) AS department_code, task_id, lead_department, joint FROM tasks),
in_force AS (SELECT department_code, count(*) AS items_in_force FROM coverage_items_in_force($year::INTEGER, NULL) GROUP BY department_code),
covered AS (
  SELECT ti.department_code, count(DISTINCT ti.item_code) AS items_covered
  FROM task_items ti
  SEMI JOIN tasks t ON t.task_id = ti.task_id
  SEMI JOIN coverage_items_in_force($year::INTEGER, NULL) f ON f.code = ti.item_code
  GROUP BY ti.department_code
),
task_counts AS (
  SELECT department_code, count(*) AS tasks,
         count(*) FILTER (WHERE lead_department = department_code) AS lead_tasks,
         count(*) FILTER (WHERE joint) AS joint_tasks
  FROM department_tasks GROUP BY department_code
),
drawn AS (
  SELECT department_code, count(*) AS entities_drawn
  FROM (SELECT DISTINCT dt.department_code, s.object_key
        FROM department_tasks dt JOIN coverage_scope_selection(NULL, $city::VARCHAR) s ON s.task_id = dt.task_id)
  GROUP BY department_code
),
inspected AS (
  SELECT department_code, count(*) AS entities_inspected
  FROM (SELECT DISTINCT department_code, object_key FROM coverage_scope_assignments(NULL, $city::VARCHAR) WHERE entered)
  GROUP BY department_code
),
due AS ($due),
rows AS (
  SELECT d.code, d.name_zh, d.name_en,
         coalesce(f.items_in_force, 0) AS items_in_force,
         coalesce(c.items_covered, 0) AS items_covered,
         coalesce(tc.tasks, 0) AS tasks,
         coalesce(tc.lead_tasks, 0) AS lead_tasks,
         coalesce(tc.joint_tasks, 0) AS joint_tasks,
         coalesce(dr.entities_drawn, 0) AS entities_drawn,
         coalesce(i.entities_inspected, 0) AS entities_inspected,
         u.* EXCLUDE (department_code)
  FROM departments d
  LEFT JOIN in_force f ON f.department_code = d.code
  LEFT JOIN covered c ON c.department_code = d.code
  LEFT JOIN task_counts tc ON tc.department_code = d.code
  LEFT JOIN drawn dr ON dr.department_code = d.code
  LEFT JOIN inspected i ON i.department_code = d.code
  LEFT JOIN due u ON u.department_code = d.code
  WHERE (f.items_in_force > 0 OR tc.tasks > 0) AND ($department::VARCHAR IS NULL OR d.code = $department::VARCHAR)
)
SELECT *,
       coverage_rate(items_covered, items_in_force) AS item_coverage_rate,
       coverage_rate(published_on_time, published_on_time + published_late + overdue) AS on_time_rate
FROM rows
ORDER BY code
