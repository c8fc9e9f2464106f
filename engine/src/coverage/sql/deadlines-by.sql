-- Results due in a scope ($department, $city; NULL: all) per $grouping, a column of coverage_scope_assignments
-- (city_code or department_code): entered, published, and published on time, late, overdue or still open.
-- Grain: one row per $grouping value with any result due; the reports read a missing row as zeros.
SELECT $grouping,
       count(*) AS results_due,
       count(*) FILTER (WHERE entered) AS results_entered,
       count(*) FILTER (WHERE published) AS results_published,
       count(*) FILTER (WHERE deadline = 'on_time') AS published_on_time,
       count(*) FILTER (WHERE deadline = 'late') AS published_late,
       count(*) FILTER (WHERE deadline = 'overdue') AS overdue,
       count(*) FILTER (WHERE deadline = 'open') AS open
FROM coverage_scope_assignments($department::VARCHAR, $city::VARCHAR)
GROUP BY $grouping
