-- Protocol fd2 (docs/fd2.md): the beacon is named at commitment (source and due time), a draw with confidential
-- (tier-based) strata salts its population digest with the secret. Existing draws stay fd1 with a plain digest.
ALTER TABLE draws ADD COLUMN beacon_source VARCHAR;          -- the public event named at commit (fd2); NULL for fd1
ALTER TABLE draws ADD COLUMN beacon_due TIMESTAMPTZ;         -- when that value exists: after committed_at (fd2)
ALTER TABLE draws ADD COLUMN digest VARCHAR DEFAULT 'plain'; -- 'salted' when the strata are confidential (fd2 §2)

-- The least gap between commitment and beacon a task accepts (fd2 §1: default one hour).
ALTER TABLE tasks ADD COLUMN min_beacon_gap_minutes INTEGER DEFAULT 60;
