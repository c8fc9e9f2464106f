-- Entities whose facts (facts.sql) differ between the as-of dates $from_as_of and $as_of ($from_as_of < $as_of) with
-- the records unchanged: a record dated in between now counts, or a complaint left the 12- or 36-month window, or a
-- penalty the 3-year one. The bounds are facts.sql's own expressions at either date.
-- Grain: one row per record concerned (object ids repeat).
SELECT object_id FROM credit_records
WHERE (record_date > $from_as_of::DATE AND record_date <= $as_of::DATE)
   OR (record_type = 'penalty'
       AND record_date > ($from_as_of::DATE - INTERVAL 3 YEAR)::DATE
       AND record_date <= ($as_of::DATE - INTERVAL 3 YEAR)::DATE)
UNION ALL
SELECT object_id FROM complaints
WHERE object_id IS NOT NULL AND category IN ('complaint', 'report')
  AND ((received_at >= ($from_as_of::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ
        AND received_at < ($as_of::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ)
    OR (received_at >= ($from_as_of::DATE + INTERVAL 1 DAY - INTERVAL 12 MONTH)::TIMESTAMPTZ
        AND received_at < ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 12 MONTH)::TIMESTAMPTZ)
    OR (received_at >= ($from_as_of::DATE + INTERVAL 1 DAY - INTERVAL 36 MONTH)::TIMESTAMPTZ
        AND received_at < ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 36 MONTH)::TIMESTAMPTZ))
UNION ALL
SELECT object_id FROM inspection_results
WHERE inspected_on > $from_as_of::DATE AND inspected_on <= $as_of::DATE
