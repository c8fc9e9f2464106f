-- Results due from the year's draws: one row per (draw, selected object, checklist item) whose object's team holds the
-- item's department (the assignments of results/sql/assignments.sql; SAMR:expert counts for SAMR), with where it stands
-- against the 20-working-day deadline on $today: on_time / late (published on or before / after due_on, Asia/Shanghai),
-- overdue (not published and due_on passed; or not entered and the latest due date its draw allows passed, from
-- coverage_draw_due: window end + 20 working days),
-- open (anything else).
SELECT s.draw_id, s.task_id, s.object_key, s.city_code, s.tier, ti.item_code, ti.department_code,
       r.id IS NOT NULL AS entered,
       r.published_at IS NOT NULL AS published,
       CASE
         WHEN r.published_at IS NOT NULL THEN
           CASE WHEN CAST(timezone('Asia/Shanghai', r.published_at) AS DATE) <= r.due_on THEN 'on_time' ELSE 'late' END
         WHEN r.id IS NOT NULL THEN CASE WHEN r.due_on < CAST($today AS DATE) THEN 'overdue' ELSE 'open' END
         WHEN dd.latest_due_on < CAST($today AS DATE) THEN 'overdue'
         ELSE 'open'
       END AS deadline
FROM coverage_selection s
JOIN task_items ti ON ti.task_id = s.task_id
SEMI JOIN draw_teams m ON m.draw_id = s.draw_id AND m.object_id = s.object_id AND split_part(m.department_code, ':', 1) = ti.department_code
LEFT JOIN coverage_draw_due dd ON dd.draw_id = s.draw_id
LEFT JOIN draw_results r ON r.draw_id = s.draw_id AND r.object_id = s.object_id AND r.item_code = ti.item_code
