-- The sums per industry x district that norms.sql takes its norms from, over a facts relation ($facts: facts.sql's
-- columns as of $as_of, the stored risk_entity_facts when scoring): one scan of narrow columns. Entities that existed
-- on $as_of count; exposure: entity-years within the last 12 months (an entity younger than a year counts its share).
-- Grain: one row per industry x district with entities.
SELECT industry_code, region_code, count(*) AS entities,
       sum(coalesce(least(1, ($as_of::DATE - established_on) / 365.25), 1)) AS exposure,
       sum(substantiated_12m) AS substantiated_12m, sum(other_12m) AS other_12m, sum(inspections) AS inspections, sum(findings) AS findings
FROM $facts f
WHERE f.established_on IS NULL OR f.established_on <= $as_of::DATE
GROUP BY industry_code, region_code
