-- weekly-events.sql's table from the stored entity days (alert_entity_days, refreshed first): complaints and inspection
-- visits per region x industry x week, weeks counted back from $as_of (week 0 = the 7 days ending $as_of), over the
-- days $from_date .. $as_of. Reads a few million narrow rows instead of joining the records with every object.
-- Grain: one row per kind ('complaints' | 'visits') x region_code x industry_code x week_ago (weeks with events).
SELECT kind, region_code, industry_code,
       CAST((CAST($as_of AS DATE) - day) // 7 AS INTEGER) AS week_ago,
       -- complaints: entities complained about that week, so that one entity's burst of tickets (a competitor's
       -- campaign) counts once a week, not as a regional rise; visits: every visit
       CAST(count(DISTINCT object_id) FILTER (WHERE kind = 'complaints') + coalesce(sum(events) FILTER (WHERE kind = 'visits'), 0) AS INTEGER) AS events,
       CAST(sum(findings) AS INTEGER) AS findings
FROM alert_entity_days
WHERE day BETWEEN CAST($from_date AS DATE) AND CAST($as_of AS DATE)
GROUP BY ALL
