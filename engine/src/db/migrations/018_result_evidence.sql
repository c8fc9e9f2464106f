-- Evidence kept with a result (全过程留痕): photos, scans and documents taken on site. The bytes live in files beside the
-- database named by their SHA-256 (results/evidence.ts); this table lists them per result, with who took each and when.
-- Never public: no public route or snapshot reads it.
CREATE TABLE result_evidence (
  id          VARCHAR PRIMARY KEY,            -- '<result id>|<n>'
  result_id   VARCHAR NOT NULL,               -- draw_results.id ('<draw>|<object>|<item>')
  sha256      VARCHAR NOT NULL,               -- hex digest of the stored file, also in the audit entry
  filename    VARCHAR NOT NULL,               -- the sender's name, cleaned
  media_type  VARCHAR NOT NULL,               -- sniffed from the bytes, not taken from the sender
  bytes       BIGINT NOT NULL,
  taken_by    VARCHAR NOT NULL,               -- who took the photo or scan (may differ from who uploads it)
  taken_at    TIMESTAMPTZ NOT NULL,
  added_by    VARCHAR NOT NULL,
  added_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX result_evidence_result ON result_evidence (result_id);
