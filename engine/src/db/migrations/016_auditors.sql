-- Auditors (纪检监察, 审计) and their attestations (docs/fd2.md §6). The users table's role check gains 'auditor':
-- DuckDB cannot alter a CHECK constraint, so the table is rebuilt with its rows (no other table references it).
CREATE TABLE users_with_auditors (
  username        VARCHAR PRIMARY KEY,
  role            VARCHAR NOT NULL CHECK (role IN ('admin', 'analyst', 'leader', 'operator', 'auditor')),
  department_code VARCHAR,                     -- required for operators; where an auditor works, optionally
  password_hash   VARCHAR NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  disabled        BOOLEAN NOT NULL DEFAULT false,
  last_login_at   TIMESTAMPTZ
);
INSERT INTO users_with_auditors (username, role, department_code, password_hash, created_at, disabled, last_login_at)
  SELECT username, role, department_code, password_hash, created_at, disabled, last_login_at FROM users;
DROP TABLE users;
ALTER TABLE users_with_auditors RENAME TO users;

-- One row per verification an auditor recorded: the server verified the draw's auditor package itself (built from the
-- database, or uploaded as a zip the CLI exported) and keeps the package's hash and the verifier's report. Never
-- changed or deleted; each row has its audit entry ('draw.attest').
CREATE TABLE draw_attestations (
  id             BIGINT PRIMARY KEY,
  draw_id        VARCHAR NOT NULL,
  username       VARCHAR NOT NULL,            -- internal only: the public page shows role and department
  role           VARCHAR NOT NULL,
  department     VARCHAR,
  attested_at    TIMESTAMPTZ NOT NULL,
  package_sha256 VARCHAR NOT NULL,            -- docs/fd2.md §6: over the files' names and SHA-256s, not the zip bytes
  result         VARCHAR NOT NULL CHECK (result IN ('pass', 'fail')),
  report         JSON NOT NULL,               -- the verifier's answer: verdict, checks, first mismatch
  source         VARCHAR NOT NULL CHECK (source IN ('dashboard', 'upload'))
);
CREATE INDEX draw_attestations_draw ON draw_attestations (draw_id);
