-- Enforcement officers who can inspect on $as_of: active, with a certificate valid that day (open ends allowed).
-- Grain: one row.
SELECT CAST(count(*) AS INTEGER) AS certified_officers
FROM inspectors
WHERE kind = 'officer'
  AND active
  AND certificate_no IS NOT NULL AND certificate_no <> ''
  AND coalesce(certificate_valid_from <= CAST($as_of AS DATE), true)
  AND coalesce(certificate_valid_to >= CAST($as_of AS DATE), true)
