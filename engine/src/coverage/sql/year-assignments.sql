-- Results due from the year's draws: one row per (draw, selected object, checklist item) whose object's team holds the
-- item's department (the assignments of results/sql/assignments.sql; SAMR:expert counts for SAMR), with where it stands
-- against the 20-working-day deadline on $today (coverage_deadline, deadline.sql). The dates (drawn_at, entered_at,
-- published_at, due_on, latest_due_on: coverage_draw_due's window end + 20 working days) let the headline judge the
-- same rows as of an earlier day.
SELECT s.draw_id, s.task_id, s.object_key, s.city_code, s.tier, ti.item_code, ti.department_code,
       r.id IS NOT NULL AS entered,
       r.published_at IS NOT NULL AS published,
       coverage_deadline(r.published_at, r.entered_at, r.due_on, dd.latest_due_on, CAST($today AS DATE)) AS deadline,
       s.drawn_at, r.entered_at, r.published_at, r.due_on, dd.latest_due_on
FROM coverage_selection s
JOIN task_items ti ON ti.task_id = s.task_id
SEMI JOIN draw_teams m ON m.draw_id = s.draw_id AND m.object_id = s.object_id AND split_part(m.department_code, ':', 1) = ti.department_code
LEFT JOIN coverage_draw_due dd ON dd.draw_id = s.draw_id
LEFT JOIN draw_results r ON r.draw_id = s.draw_id AND r.object_id = s.object_id AND r.item_code = ti.item_code
