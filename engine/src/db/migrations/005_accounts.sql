-- Accounts: login sessions, and when each user last signed in (the users table itself is in 001).

ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ;

-- One row per signed-in browser. The cookie carries a random 32-byte id; only its SHA-256 is stored,
-- so a copy of the database cannot be used to take over a session.
CREATE TABLE sessions (
  id_sha256    VARCHAR PRIMARY KEY,          -- hex SHA-256 of the cookie's session id
  username     VARCHAR NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,         -- idle expiry counts from here
  expires_at   TIMESTAMPTZ NOT NULL,         -- absolute end, however active the session
  ip           VARCHAR,
  user_agent   VARCHAR
);
