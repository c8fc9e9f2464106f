-- Risk model v2's facts: what complaints say (substantiated apart from the rest, months with complaints, the last 3
-- months, the topic group most complained of), when the credit class and the abnormal-list event were recorded, and no
-- raw district finding rate among the norms. Derived tables: both are rebuilt in full at their next refresh.

-- Risk facts of every entity as of risk_derived_state.as_of (name 'features'), built by engine/src/risk/sql/facts.sql:
-- features.sql derives the features from them at scoring time. Grain: one row per object with object_kind 'entity',
-- whatever its status or founding date.
DROP TABLE risk_entity_facts;
CREATE TABLE risk_entity_facts (
  object_id         VARCHAR NOT NULL,
  status            VARCHAR NOT NULL,
  entity_type       VARCHAR,
  industry_code     VARCHAR,
  region_code       VARCHAR NOT NULL,
  established_on    DATE,
  class_code        UTINYINT NOT NULL,            -- latest credit classification: 0 none, 1..4 = A..D
  class_on          DATE,                         -- its date
  penalties_3y      INTEGER NOT NULL,
  abnormal_state    UTINYINT NOT NULL,            -- latest abnormal-operation list event: 0 never listed, 1 listed, 2 removed
  abnormal_on       DATE,                         -- its date
  substantiated_12m INTEGER NOT NULL,             -- complaints and reports found true, last 12 months
  other_12m         INTEGER NOT NULL,             -- the rest (found untrue, or not known), last 12 months
  complaints_3m     INTEGER NOT NULL,             -- complaints and reports, last 3 months
  complaints_36m    INTEGER NOT NULL,
  complaint_months  UTINYINT NOT NULL,            -- calendar months with a complaint or report, last 12 months
  topic_group       UTINYINT NOT NULL,            -- the topic group most complained of in 12 months: 0 none, 1 safety and quality, 2 fraud and pricing, 3 unlicensed, 4 disputes and nuisance
  inspections       INTEGER NOT NULL,             -- inspection visits (entity x day)
  findings          INTEGER NOT NULL,             -- visits with a finding
  last_inspected_on DATE,
  last_visit_found  BOOLEAN,
  last_finding_on   DATE,
  refresh_no        INTEGER NOT NULL              -- the refresh that wrote the row (risk_derived_state.refresh_no)
);
DELETE FROM risk_derived_state WHERE name IN ('features', 'scores');

-- The norms and base rates risk_scores was computed with, per industry x district (norms.sql at the scores' as-of date;
-- the scores' own state is risk_derived_state row 'scores'): a refresh of the scores with the same model recomputes
-- only the entities whose bins these moved (engine/src/risk/rescore.ts). Grain: one row per industry x district.
DROP TABLE risk_score_norms;
CREATE TABLE risk_score_norms (
  industry_code      VARCHAR,
  region_code        VARCHAR NOT NULL,
  other_norm         DOUBLE NOT NULL,             -- complaints other than substantiated ones per entity-year of exposure
  industry_base_rate DOUBLE NOT NULL,
  district_substantiated DOUBLE NOT NULL,       -- complaints found true per entity-year in the district
  district_true_share DOUBLE NOT NULL           -- the share of the district's complaints found true
);
