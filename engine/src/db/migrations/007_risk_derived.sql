-- Tables derived from the imported records and kept up to date entity by entity, so that scoring and alerts read
-- one narrow row per entity (or per entity and day) instead of joining every record with 18 M objects each run:
-- each entity's risk facts (the features' inputs) and each entity's complaints and inspection visits per day (the
-- alerts' input). A refresh recomputes only the entities whose records changed (engine/src/risk/derived.ts).

-- Every write to the record tables a derived table reads, as Fairdraw makes it (imports, results entry), for each
-- derived table that has still to pick it up (consumer: 'features' | 'alert_days'): the entities it touched (those of
-- its new and changed rows, and the entity a changed row named before), and how many rows it added to the source
-- table. A refresh checks each source table's row count against its last count plus the rows added here: rows written
-- any other way (a direct load, a deletion) make it rebuild in full, and so does a write too large to list its
-- entities. It deletes the rows it read, in its own transaction.
-- Grain: one row per write x consumer x entity touched; a write's rows_added sits on one of its rows (object_id NULL
-- when it lists no entity there).
CREATE TABLE risk_entity_changes (
  consumer        VARCHAR NOT NULL,
  source          VARCHAR NOT NULL,               -- objects | credit_records | complaints | inspection_results
  object_id       VARCHAR,
  rows_added      BIGINT NOT NULL,
  entities_listed BOOLEAN NOT NULL,               -- false: a large import that lists none
  changed_at      TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- What each derived table reflects: one row per derived table (name: 'features' | 'alert_days').
-- as_of: the reference date of the facts (features only).
-- sources: per source table, its row count at the refresh: {"complaints": n, ...}.
-- definition: SHA-256 of the SQL that builds the table and of the reference rows it reads; when it differs, the
--   next refresh rebuilds the table in full.
-- refresh_no: counts the table's refreshes; each row of the table carries the number of the refresh that wrote it.
-- last_refresh: how the last refresh went: {"mode": "full" | "incremental" | "unchanged", "entities": n, "elapsedMs": n}.
CREATE TABLE risk_derived_state (
  name         VARCHAR NOT NULL,
  refresh_no   INTEGER NOT NULL,
  as_of        DATE,
  sources      JSON NOT NULL,
  definition   VARCHAR NOT NULL,
  rows         BIGINT NOT NULL,
  refreshed_at TIMESTAMPTZ NOT NULL,
  last_refresh JSON NOT NULL
);

-- Risk facts of every entity as of risk_derived_state.as_of (name 'features'), built by engine/src/risk/facts.sql:
-- features.sql derives the features (age, days since, norms, base rates) from them at scoring time.
-- Grain: one row per object with object_kind 'entity', whatever its status or founding date.
CREATE TABLE risk_entity_facts (
  object_id         VARCHAR NOT NULL,
  status            VARCHAR NOT NULL,
  entity_type       VARCHAR,
  industry_code     VARCHAR,
  region_code       VARCHAR NOT NULL,
  established_on    DATE,
  class_code        UTINYINT NOT NULL,            -- latest credit classification: 0 none, 1..4 = A..D
  penalties_3y      INTEGER NOT NULL,
  abnormal_state    UTINYINT NOT NULL,            -- latest abnormal-operation list event: 0 never listed, 1 listed, 2 removed
  complaints_12m    INTEGER NOT NULL,
  complaints_36m    INTEGER NOT NULL,
  inspections       INTEGER NOT NULL,             -- inspection visits (entity x day)
  findings          INTEGER NOT NULL,             -- visits with a finding
  last_inspected_on DATE,
  last_visit_found  BOOLEAN,
  last_finding_on   DATE,
  refresh_no        INTEGER NOT NULL              -- the refresh that wrote the row (risk_derived_state.refresh_no)
);

-- Complaints and inspection visits of each entity per day (Asia/Shanghai), every date: what the regional alerts add up
-- to region x industry x week (engine/src/alerts/sql/entity-days.sql). complaints: 12345 complaints and reports naming
-- the entity, at the ticket's region; visits: one per object, date and task (or department), at the entity's region;
-- findings: visits where any result was a finding. Entities without an industry are left out.
-- Grain: one row per kind x object_id x region_code x day with events.
CREATE TABLE alert_entity_days (
  kind          VARCHAR NOT NULL CHECK (kind IN ('complaints', 'visits')),
  object_id     VARCHAR NOT NULL,
  region_code   VARCHAR NOT NULL,
  industry_code VARCHAR NOT NULL,
  day           DATE NOT NULL,
  events        INTEGER NOT NULL,
  findings      INTEGER NOT NULL,
  refresh_no    INTEGER NOT NULL               -- the refresh that wrote the row (risk_derived_state.refresh_no)
);

-- The norms and base rates risk_scores was computed with, per industry x district (norms.sql at the scores' as-of date;
-- the scores' own state is risk_derived_state row 'scores'): a refresh of the scores with the same model recomputes
-- only the entities whose bins these moved (engine/src/risk/rescore.ts). Grain: one row per industry x district.
CREATE TABLE risk_score_norms (
  industry_code         VARCHAR,
  region_code           VARCHAR NOT NULL,
  complaints_per_entity DOUBLE NOT NULL,
  industry_base_rate    DOUBLE NOT NULL,
  district_base_rate    DOUBLE NOT NULL
);
