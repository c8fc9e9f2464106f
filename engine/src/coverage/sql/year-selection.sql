-- The year's drawn objects: one row per (draw, object) of every drawn draw (voided ones left out) of a counted task, with
-- the tier it was drawn in (its stratum's tier: A, or D of 'D|440300'; NULL for an untiered stratum such as ALL, filled
-- from the current scores afterwards) and its city. object_key (the object's rowid) makes the many distinct counts of the
-- answers integer work; drawn_at dates the draw for the headline as of an earlier day. The one join with the objects: rebuilt only when the draws counted or the directory change.
SELECT s.draw_id, d.task_id, d.drawn_at, s.object_id, o.rowid AS object_key,
       CASE WHEN split_part(s.stratum, '|', 1) IN ('A', 'B', 'C', 'D') THEN split_part(s.stratum, '|', 1) END AS tier,
       left(o.region_code, 4) || '00' AS city_code
FROM draw_selection s
JOIN draws d ON d.id = s.draw_id AND d.status = 'drawn'
JOIN coverage_tasks t ON t.task_id = d.task_id
JOIN objects o ON o.id = s.object_id
