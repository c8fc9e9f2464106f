-- Sampling policy versions, and the per-entity inspection load that the burden window and the yearly cap read from.
-- No policy is seeded: until one is saved, the engine uses its documented default (engine/src/policy/policy.ts).

-- One row per saved policy version; rows are only ever inserted. The current policy is the max version.
CREATE TABLE sampling_policies (
  version                     INTEGER PRIMARY KEY,
  created_at                  TIMESTAMPTZ NOT NULL,
  author                      VARCHAR NOT NULL,
  reason                      VARCHAR NOT NULL,
  tier_ratios_bp              JSON NOT NULL,          -- per draw round, e.g. {"A":300,"B":500,"C":1000,"D":3000}
  frequency_per_year          INTEGER NOT NULL CHECK (frequency_per_year >= 1),
  burden_window_days          INTEGER NOT NULL DEFAULT 365 CHECK (burden_window_days >= 0),
  yearly_cap                  INTEGER NOT NULL CHECK (yearly_cap >= 1),   -- inspections per entity per calendar year, all departments
  inspector_days_per_object   DOUBLE NOT NULL CHECK (inspector_days_per_object > 0),
  capacity_days_per_inspector DOUBLE NOT NULL CHECK (capacity_days_per_inspector > 0),
  cap_alert_margin            INTEGER NOT NULL DEFAULT 1 CHECK (cap_alert_margin >= 0)  -- warn when an entity is this close to the cap
);

-- Inspection events per entity up to AS_OF (a DATE): one row per non-voided draw that selected the entity
-- (dated by drawn_at in Asia/Shanghai) and one per imported or entered inspection visit
-- (object, date, task_ref or department). A result whose task_ref names a counted draw (its id or its task id)
-- that selected the same entity is that draw's inspection, so it is not counted again.
CREATE MACRO entity_inspection_events_at(as_of) AS TABLE
  WITH counted_draws AS (
    SELECT d.id AS draw_id, d.task_id, CAST(timezone('Asia/Shanghai', d.drawn_at) AS DATE) AS drawn_on
    FROM draws d
    WHERE d.status <> 'voided' AND d.drawn_at IS NOT NULL
      AND CAST(timezone('Asia/Shanghai', d.drawn_at) AS DATE) <= CAST(as_of AS DATE)
  ),
  drawn AS (
    SELECT s.object_id, cd.drawn_on AS on_date, cd.draw_id, cd.task_id
    FROM draw_selection s JOIN counted_draws cd ON cd.draw_id = s.draw_id
  ),
  drawn_refs AS (
    SELECT object_id, draw_id AS ref FROM drawn
    UNION ALL
    SELECT object_id, task_id AS ref FROM drawn
  ),
  visits AS (
    SELECT DISTINCT r.object_id, r.inspected_on AS on_date, coalesce(r.task_ref, r.department_code) AS visit_ref
    FROM inspection_results r
    ANTI JOIN drawn_refs d ON d.object_id = r.object_id AND d.ref = r.task_ref
    WHERE r.inspected_on <= CAST(as_of AS DATE)
  )
  SELECT object_id, on_date, 'draw' AS source FROM drawn
  UNION ALL
  SELECT object_id, on_date, 'result' AS source FROM visits;

-- Inspection load per entity as of AS_OF: one row per entity ever drawn or inspected.
-- last_drawn_on: latest draw or inspection date; inspections_this_year: events in AS_OF's calendar year.
CREATE MACRO entity_inspection_load_at(as_of) AS TABLE
  SELECT object_id,
         max(on_date) AS last_drawn_on,
         CAST(count(*) FILTER (WHERE on_date >= make_date(year(CAST(as_of AS DATE)), 1, 1)) AS INTEGER) AS inspections_this_year
  FROM entity_inspection_events_at(as_of)
  GROUP BY object_id;

-- The same as of today in Asia/Shanghai: what a draw made now reads.
CREATE VIEW entity_inspection_load AS
  SELECT object_id, last_drawn_on, inspections_this_year
  FROM entity_inspection_load_at(CAST(timezone('Asia/Shanghai', now()) AS DATE));
