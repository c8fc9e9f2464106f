-- Plans, tasks and draws (protocol fd1). A draw record is never deleted or re-run: a mistaken draw is
-- voided with a reason and stays; a new draw is a new record. Every row a draw publishes is stored here.

-- Annual inspection plans (年度抽查工作计划), one per jurisdiction, year and lead department.
CREATE TABLE plans (
  id                       VARCHAR PRIMARY KEY,     -- e.g. P2026-0001
  year                     INTEGER NOT NULL,
  jurisdiction_region_code VARCHAR NOT NULL,        -- GB/T 2260 code: province, city or district
  lead_department          VARCHAR NOT NULL,
  name                     VARCHAR NOT NULL,
  created_by               VARCHAR NOT NULL,
  created_at               TIMESTAMPTZ NOT NULL
);

-- Inspection tasks (抽查任务): one draw each (a voided draw may be followed by a new one).
CREATE TABLE tasks (
  id              VARCHAR PRIMARY KEY,              -- e.g. T2026-0001 (plan year)
  plan_id         VARCHAR NOT NULL,
  kind            VARCHAR NOT NULL CHECK (kind IN ('general', 'key', 'special')),
  name            VARCHAR NOT NULL,
  lead_department VARCHAR NOT NULL,
  departments     VARCHAR[] NOT NULL,               -- participating departments; more than one = joint task
  scope           JSON NOT NULL,                    -- {regions[], industries[], entityTypes[], objectKinds[], departments[]}
  strata_mode     VARCHAR NOT NULL CHECK (strata_mode IN ('tier', 'tier_city', 'none')),
  ratios          JSON,                             -- basis points per stratum or per tier; NULL: the sampling policy
  counts          JSON,                             -- fixed count per stratum or per tier (instead of ratios)
  team_spec       JSON NOT NULL,                    -- [{department, count, cap?}], department 'SAMR' or 'SAMR:expert'
  window_start    DATE NOT NULL,                    -- inspection window (检查时间), Asia/Shanghai dates
  window_end      DATE NOT NULL,
  status          VARCHAR NOT NULL CHECK (status IN ('awaiting_approval', 'ready')),
  created_by      VARCHAR NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  approved_by     VARCHAR,                          -- special tasks: the leader who approved it
  approved_at     TIMESTAMPTZ,
  CHECK (window_end >= window_start)
);

-- The items of a task, with the version in force: one checklist for the whole team (进一次门、查多项事).
CREATE TABLE task_items (
  task_id         VARCHAR NOT NULL,
  item_code       VARCHAR NOT NULL,
  item_version    INTEGER NOT NULL,
  department_code VARCHAR NOT NULL,
  position        INTEGER NOT NULL,                 -- order on the checklist
  PRIMARY KEY (task_id, item_code)
);

-- One fd1 draw of a task: commit, beacon, draw (reveal), or voided.
CREATE TABLE draws (
  id                VARCHAR PRIMARY KEY,            -- e.g. D2026-0001 (commit year)
  task_id           VARCHAR NOT NULL,
  protocol          VARCHAR NOT NULL DEFAULT 'fd1',
  status            VARCHAR NOT NULL CHECK (status IN ('committed', 'beaconed', 'drawn', 'voided')),
  secret            VARCHAR NOT NULL,               -- 64 hex chars from a CSPRNG; published only after the window closes
  commitment        VARCHAR NOT NULL,               -- H(secret)
  population_digest VARCHAR NOT NULL,
  population_size   BIGINT NOT NULL,
  beacon            VARCHAR,                        -- verbatim; '' for a rehearsal without beacon
  grind_proof       BOOLEAN,                        -- false when drawn without a beacon
  seed              VARCHAR,                        -- secret || '|' || beacon, set when drawn
  committed_at      TIMESTAMPTZ NOT NULL,
  beaconed_at       TIMESTAMPTZ,
  drawn_at          TIMESTAMPTZ,
  voided_at         TIMESTAMPTZ,
  void_reason       VARCHAR,
  voided_by         VARCHAR,
  voided_from       VARCHAR,                        -- the status the draw had when voided
  committed_by      VARCHAR NOT NULL,
  beaconed_by       VARCHAR,
  drawn_by          VARCHAR,
  policy_version    INTEGER,                        -- sampling_policies.version used (NULL: documented defaults)
  model_version     INTEGER,                        -- risk model whose tiers formed the strata
  eligibility       JSON NOT NULL,                  -- the rules applied at commit (reference date, window, cap, exemptions)
  team_spec         JSON NOT NULL,                  -- frozen copy of the task's team specification
  strata            JSON NOT NULL,                  -- [{stratum, eligible, ratio_bp | count, quota?}] (quota once drawn)
  caps              JSON                            -- [{department, count, pool, cap}] once drawn
);

-- The frozen, published population of a draw: one row per eligible object (population.csv).
-- No primary key on purpose: rows come from objects' own key, and an index over 18 M rows per draw costs
-- more time and memory than the whole draw.
CREATE TABLE draw_population (
  draw_id   VARCHAR NOT NULL,
  stratum   VARCHAR NOT NULL,
  object_id VARCHAR NOT NULL
);

-- Inspector pools per team-spec department, frozen at commit (inspectors.csv).
CREATE TABLE draw_pools (
  draw_id         VARCHAR NOT NULL,
  department_code VARCHAR NOT NULL,                 -- the team-spec label, e.g. SAMR or SAMR:expert
  inspector_id    VARCHAR NOT NULL,
  PRIMARY KEY (draw_id, department_code, inspector_id)
);

-- Excluded (object, inspector) pairs for the selected objects (exclusions.csv), with why.
CREATE TABLE draw_exclusions (
  draw_id      VARCHAR NOT NULL,
  object_id    VARCHAR NOT NULL,
  inspector_id VARCHAR NOT NULL,
  reasons      VARCHAR[] NOT NULL,                  -- conflict_inspector | conflict_object | previous_inspection | previous_draw
  PRIMARY KEY (draw_id, object_id, inspector_id)
);

-- Selected objects (selection.csv): rank within stratum by key, draw order across strata.
CREATE TABLE draw_selection (
  draw_id    VARCHAR NOT NULL,
  stratum    VARCHAR NOT NULL,
  object_id  VARCHAR NOT NULL,
  key        VARCHAR NOT NULL,
  rank       INTEGER NOT NULL,
  draw_order INTEGER NOT NULL,
  PRIMARY KEY (draw_id, object_id)
);

-- Assigned inspectors (teams.csv): position 1.. in the published order within each object's team.
CREATE TABLE draw_teams (
  draw_id         VARCHAR NOT NULL,
  object_id       VARCHAR NOT NULL,
  department_code VARCHAR NOT NULL,
  inspector_id    VARCHAR NOT NULL,
  position        INTEGER NOT NULL,
  PRIMARY KEY (draw_id, object_id, inspector_id)
);

-- Objects a department could not staff, with the reason; the task cannot start until resolved.
CREATE TABLE draw_unstaffed (
  draw_id         VARCHAR NOT NULL,
  object_id       VARCHAR NOT NULL,
  department_code VARCHAR NOT NULL,
  reason          VARCHAR NOT NULL,
  PRIMARY KEY (draw_id, object_id, department_code)
);
