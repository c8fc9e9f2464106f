-- Results of drawn objects (谁检查、谁录入、谁公开) with their full correction history, and what the public portal
-- shows of them: a redacted snapshot taken at publication, plus a log of every redaction applied.

-- The current result of one (draw, object, item): entered by the inspecting department, corrected in place,
-- each change a new version whose before/after lives in draw_result_history.
-- findings_review: NULL when there is no free text; 'pending' until an operator of the department reviews it;
-- 'approved' releases findings_public (the reviewed text, by default the findings as entered); 'withheld' never.
-- due_on: inspected_on + 20 working days (mainland holidays and 调休 from the holidays table, at the time of writing).
CREATE TABLE draw_results (
  id                   VARCHAR NOT NULL UNIQUE,     -- draw_id || '|' || object_id || '|' || item_code; also inspection_results.result_id
  draw_id              VARCHAR NOT NULL,
  object_id            VARCHAR NOT NULL,
  item_code            VARCHAR NOT NULL,
  item_version         INTEGER NOT NULL,
  department_code      VARCHAR NOT NULL,            -- the item's department: the one that inspects, enters and publishes
  outcome_code         VARCHAR NOT NULL,
  findings             VARCHAR,                     -- free text as entered (internal)
  findings_review      VARCHAR CHECK (findings_review IN ('pending', 'approved', 'withheld')),
  findings_public      VARCHAR,                     -- the text released after review
  reviewed_by          VARCHAR,
  reviewed_at          TIMESTAMPTZ,
  inspected_on         DATE NOT NULL,
  due_on               DATE NOT NULL,
  version              INTEGER NOT NULL,            -- 1 at entry, +1 per change
  entered_by           VARCHAR NOT NULL,
  entered_at           TIMESTAMPTZ NOT NULL,
  updated_by           VARCHAR NOT NULL,
  updated_at           TIMESTAMPTZ NOT NULL,
  published_by         VARCHAR,
  published_at         TIMESTAMPTZ,                 -- NULL until the department publishes it
  PRIMARY KEY (draw_id, object_id, item_code),
  CHECK ((findings IS NULL) = (findings_review IS NULL))
);

-- Every change to a result: one row per version, with who, when, why, and the whole result before and after.
-- change: enter | correct | review | publish. before is NULL for the entry.
CREATE TABLE draw_result_history (
  result_id  VARCHAR NOT NULL,
  version    INTEGER NOT NULL,
  change     VARCHAR NOT NULL CHECK (change IN ('enter', 'correct', 'review', 'publish')),
  changed_by VARCHAR NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL,
  reason     VARCHAR,
  before     JSON,
  after      JSON NOT NULL,
  PRIMARY KEY (result_id, version)
);

-- What the public portal shows of a published result: redacted when published and refreshed on every later change.
-- One row per published result. Never holds inspectors, the legal representative or the risk tier.
CREATE TABLE public_results (
  result_id          VARCHAR PRIMARY KEY,
  draw_id            VARCHAR NOT NULL,
  task_id            VARCHAR NOT NULL,
  task_name          VARCHAR NOT NULL,
  object_id          VARCHAR NOT NULL,               -- the USCC for market entities
  entity_name        VARCHAR NOT NULL,               -- individual businesses: the operator's name masked (张*明)
  entity_type        VARCHAR,
  region_code        VARCHAR NOT NULL,
  region_name_zh     VARCHAR,
  item_code          VARCHAR NOT NULL,
  item_version       INTEGER NOT NULL,
  item_name_zh       VARCHAR NOT NULL,
  item_name_en       VARCHAR NOT NULL,
  department_code    VARCHAR NOT NULL,
  department_name_zh VARCHAR NOT NULL,
  department_name_en VARCHAR NOT NULL,
  outcome_code       VARCHAR NOT NULL,
  outcome_name_zh    VARCHAR NOT NULL,
  outcome_name_en    VARCHAR NOT NULL,
  is_finding         BOOLEAN NOT NULL,
  findings           VARCHAR,                        -- only text an operator approved, with names masked
  inspected_on       DATE NOT NULL,
  due_on             DATE NOT NULL,
  published_at       TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,           -- last correction or review after publication
  version            INTEGER NOT NULL                -- the draw_results version this snapshot shows
);

-- Every redaction applied to a public snapshot: which result and version, which field, which rule, how often.
CREATE TABLE redaction_log (
  result_id   VARCHAR NOT NULL,
  version     INTEGER NOT NULL,
  field       VARCHAR NOT NULL,                      -- entity_name | findings | legal_representative
  rule        VARCHAR NOT NULL,                      -- e.g. individual_operator_name, inspector_name, findings_not_approved
  occurrences INTEGER NOT NULL,
  logged_by   VARCHAR NOT NULL,
  logged_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (result_id, version, field, rule)
);
