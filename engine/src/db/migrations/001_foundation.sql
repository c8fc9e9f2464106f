-- Foundation schema: reference data, directories, source records, users, audit log.
-- Natural ids where the domain has them: the unified social credit code (USCC) for entities,
-- GB/T 2260 codes for regions, the 12345 ticket number for complaints.

-- GB/T 2260 administrative divisions: the province, its 21 prefecture-level cities, their districts.
CREATE TABLE regions (
  code        VARCHAR PRIMARY KEY,            -- 6 digits, e.g. 440300 Shenzhen
  name_zh     VARCHAR NOT NULL,
  name_en     VARCHAR NOT NULL,
  level       VARCHAR NOT NULL CHECK (level IN ('province', 'city', 'district')),
  parent_code VARCHAR
);

-- Departments of the joint-supervision conference (联席会议成员单位).
CREATE TABLE departments (
  code    VARCHAR PRIMARY KEY,                -- short stable code, e.g. SAMR
  name_zh VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL
);

-- The item list (随机抽查事项清单), versioned: a changed item is a new version, the old stays.
CREATE TABLE items (
  code                VARCHAR NOT NULL,
  version             INTEGER NOT NULL,
  department_code     VARCHAR NOT NULL,
  kind                VARCHAR NOT NULL CHECK (kind IN ('general', 'key')),
  name_zh             VARCHAR NOT NULL,
  name_en             VARCHAR NOT NULL,
  legal_basis         VARCHAR NOT NULL,
  object_type         VARCHAR NOT NULL,      -- enterprise | individual | cooperative | entity | product | project | behaviour
  content             VARCHAR NOT NULL,
  method              VARCHAR NOT NULL CHECK (method IN ('onsite', 'documents', 'online')),
  default_ratio_bp    INTEGER NOT NULL CHECK (default_ratio_bp BETWEEN 0 AND 10000),
  frequency_per_year  INTEGER NOT NULL,
  specialty           VARCHAR NOT NULL,      -- the inspector specialty this item needs
  valid_from          DATE NOT NULL,
  valid_to            DATE,                  -- NULL while in force
  PRIMARY KEY (code, version)
);

-- Standard outcome codes for inspection results (SPEC capability 6).
CREATE TABLE outcome_codes (
  code       VARCHAR PRIMARY KEY,
  name_zh    VARCHAR NOT NULL,
  name_en    VARCHAR NOT NULL,
  is_finding BOOLEAN NOT NULL               -- a problem was found
);

CREATE TABLE credit_classes (
  code    VARCHAR PRIMARY KEY CHECK (code IN ('A', 'B', 'C', 'D')),
  name_zh VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL
);

-- GB/T 4754 industry sections (门类 A..T).
CREATE TABLE industries (
  code    VARCHAR PRIMARY KEY,
  name_zh VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL
);

-- The object directory (检查对象名录库): market entities and other object kinds.
-- One row per object; responsible departments as a list (谁审批、谁监管，谁主管、谁监管).
CREATE TABLE objects (
  id                      VARCHAR PRIMARY KEY,   -- USCC (18 chars, upper case) for entities
  object_kind             VARCHAR NOT NULL CHECK (object_kind IN ('entity', 'product', 'project', 'behaviour')),
  name                    VARCHAR NOT NULL,
  entity_type             VARCHAR CHECK (entity_type IN ('enterprise', 'individual', 'cooperative')),
  legal_representative    VARCHAR,               -- personal data: never published for individual businesses unmasked
  region_code             VARCHAR NOT NULL,      -- district (or city) code
  industry_code           VARCHAR,               -- GB/T 4754 section letter
  established_on          DATE,
  status                  VARCHAR NOT NULL CHECK (status IN ('active', 'deregistered', 'revoked')),
  responsible_departments VARCHAR[] NOT NULL,
  updated_at              TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- The inspector directory (执法检查人员名录库).
CREATE TABLE inspectors (
  id                     VARCHAR PRIMARY KEY,
  name                   VARCHAR NOT NULL,       -- personal data: never published
  department_code        VARCHAR NOT NULL,
  region_code            VARCHAR NOT NULL,
  kind                   VARCHAR NOT NULL CHECK (kind IN ('officer', 'expert', 'third_party')),
  qualifications         VARCHAR[] NOT NULL,     -- e.g. enforcement (执法资质)
  specialties            VARCHAR[] NOT NULL,     -- 业务专长, matched against items.specialty
  certificate_no         VARCHAR,
  certificate_valid_from DATE,
  certificate_valid_to   DATE,
  active                 BOOLEAN NOT NULL,
  updated_at             TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);

-- Conflicts of interest, declared by the inspector or by the object (利害关系回避).
CREATE TABLE conflicts (
  inspector_id VARCHAR NOT NULL,
  object_id    VARCHAR NOT NULL,
  declared_by  VARCHAR NOT NULL CHECK (declared_by IN ('inspector', 'object')),
  PRIMARY KEY (inspector_id, object_id)
);

-- Credit records as the credit system exports them: classifications, penalties, abnormal listings.
CREATE TABLE credit_records (
  record_id    VARCHAR PRIMARY KEY,            -- e.g. the penalty decision number
  object_id    VARCHAR NOT NULL,
  record_type  VARCHAR NOT NULL CHECK (record_type IN ('classification', 'penalty', 'abnormal_listing', 'abnormal_removal')),
  record_date  DATE NOT NULL,
  credit_class VARCHAR CHECK (credit_class IN ('A', 'B', 'C', 'D')),  -- for classifications
  amount_yuan  DECIMAL(14, 2),                 -- for penalties
  authority    VARCHAR,                        -- department code
  description  VARCHAR
);

-- 12345 hotline complaints and reports.
CREATE TABLE complaints (
  complaint_id VARCHAR PRIMARY KEY,            -- the 12345 ticket number
  object_id    VARCHAR,                        -- matched entity, when the ticket names one
  received_at  TIMESTAMPTZ NOT NULL,
  region_code  VARCHAR NOT NULL,
  category     VARCHAR NOT NULL CHECK (category IN ('complaint', 'report', 'consultation')),
  topic        VARCHAR NOT NULL,
  substantiated BOOLEAN
);

-- Inspection results: imported history and results entered in Fairdraw.
CREATE TABLE inspection_results (
  result_id       VARCHAR PRIMARY KEY,
  object_id       VARCHAR NOT NULL,
  inspected_on    DATE NOT NULL,
  department_code VARCHAR NOT NULL,
  item_code       VARCHAR NOT NULL,
  outcome_code    VARCHAR NOT NULL,
  findings        VARCHAR,
  inspector_ids   VARCHAR[] NOT NULL,
  task_ref        VARCHAR,                     -- the task or draw it came from, when known
  source          VARCHAR NOT NULL DEFAULT 'import' CHECK (source IN ('import', 'entry'))
);

CREATE TABLE users (
  username        VARCHAR PRIMARY KEY,
  role            VARCHAR NOT NULL CHECK (role IN ('admin', 'analyst', 'leader', 'operator')),
  department_code VARCHAR,                     -- required for operators
  password_hash   VARCHAR NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  disabled        BOOLEAN NOT NULL DEFAULT false
);

-- Append-only, hash-chained audit log: each entry carries the previous entry's hash and its own
-- hash over the canonical JSON of (seq, recorded_at, actor, action, subject, payload, prev_hash).
CREATE TABLE audit_log (
  seq       BIGINT PRIMARY KEY,
  recorded_at TIMESTAMPTZ NOT NULL,
  actor     VARCHAR NOT NULL,
  action    VARCHAR NOT NULL,
  subject   VARCHAR,
  payload   JSON NOT NULL,
  prev_hash VARCHAR NOT NULL,
  hash      VARCHAR NOT NULL
);

-- Inspector specialties (业务专长); items name the one they need.
CREATE TABLE specialties (
  code    VARCHAR PRIMARY KEY,
  name_zh VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL
);

-- Mainland public holidays and the weekend days made working days (调休), for deadline tracking.
CREATE TABLE holidays (
  day  DATE PRIMARY KEY,
  kind VARCHAR NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name VARCHAR NOT NULL
);
