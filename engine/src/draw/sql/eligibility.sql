-- Eligibility of one task's candidates: one row per object in the task's scope (object kind, region, industry,
-- entity type, responsible department), with its stratum and every flag that keeps it out of the population.
-- Burden window and yearly cap read entity_inspection_load_at (004), the one place they are computed, as of
-- $load_as_of (the commit day, like the view entity_inspection_load); the window counts back from $reference_date.
-- Lists are JSON text parameters; an empty industries / entity_types list means no filter.
-- Recognition ($recognition: the checklist items with their equivalent items of other departments, as recorded in the
-- rules) marks an object whose every one of the $checklist_size items has a result of an equivalent item within the
-- burden window before the reference date.
WITH recognition AS (
  SELECT u.r.item AS item, u.r.equivalent AS equivalent
  FROM unnest(CAST($recognition::JSON AS STRUCT(item VARCHAR, equivalent VARCHAR)[])) AS u(r)
),
recognised AS (
  SELECT ir.object_id
  FROM inspection_results ir JOIN recognition g ON g.equivalent = ir.item_code
  WHERE ir.inspected_on <= $reference_date::DATE
    AND date_diff('day', ir.inspected_on, $reference_date::DATE) < $burden_window_days::INTEGER
  GROUP BY ir.object_id
  HAVING count(DISTINCT g.item) = $checklist_size::INTEGER
)
SELECT
  o.id AS object_id,
  CASE $strata_mode
    WHEN 'none' THEN 'ALL'
    WHEN 'tier' THEN r.tier
    ELSE r.tier || '|' || left(o.region_code, 4) || '00'
  END AS stratum,
  r.tier AS tier,
  r.model_version AS model_version,
  o.status = 'active' AS active,
  -- drawn or inspected within the burden window before the reference date; tier D and special tasks are exempt
  (NOT $burden_exempt::BOOLEAN
    AND coalesce(r.tier, '') <> 'D'
    AND coalesce(date_diff('day', l.last_drawn_on, $reference_date::DATE) < $burden_window_days::INTEGER, false)) AS in_burden_window,
  -- another department's recognised result covers every item within the window. Any visit already puts a tier A-C
  -- object in the burden window; recognition is what spares a tier D object a second check of the same matter.
  -- Special tasks answer a new risk and recognise nothing.
  (NOT $burden_exempt::BOOLEAN AND rc.object_id IS NOT NULL) AS recognised,
  -- already at the yearly cap across all departments: nobody is exempt
  coalesce(l.inspections_this_year >= $yearly_cap::INTEGER, false) AS at_yearly_cap
FROM objects o
LEFT JOIN risk_scores r ON r.object_id = o.id
LEFT JOIN entity_inspection_load_at($load_as_of::DATE) l ON l.object_id = o.id
LEFT JOIN recognised rc ON rc.object_id = o.id
WHERE list_contains(CAST($object_kinds::JSON AS VARCHAR[]), o.object_kind)
  AND (list_contains(CAST($districts::JSON AS VARCHAR[]), o.region_code)
       OR list_contains(CAST($city_prefixes::JSON AS VARCHAR[]), left(o.region_code, 4))
       OR list_contains(CAST($province_prefixes::JSON AS VARCHAR[]), left(o.region_code, 2)))
  AND (len(CAST($industries::JSON AS VARCHAR[])) = 0 OR list_contains(CAST($industries::JSON AS VARCHAR[]), o.industry_code))
  AND (len(CAST($entity_types::JSON AS VARCHAR[])) = 0 OR list_contains(CAST($entity_types::JSON AS VARCHAR[]), o.entity_type))
  -- responsible to every listed department: each department of a joint visit must supervise the object
  AND list_has_all(o.responsible_departments, CAST($departments::JSON AS VARCHAR[]))
