-- Risk features of each entity as of $as_of: only records dated on or before $as_of count.
-- Grain: one row per entity (objects.object_kind = 'entity') that existed on $as_of and matches the
-- population predicate (the {{population}} placeholder: a boolean SQL expression over objects alias o).
-- Norms (complaints per entity by industry x city, findings per inspection by industry and by district) are
-- taken over every entity that existed on $as_of, whatever the population.
-- Shape, for 18 M entities: every dated record becomes one integer-coded event row, and ONE hash aggregate
-- with six plain aggregates turns the events into per-entity facts: one pass and one join with objects instead
-- of an aggregate and a join per source table (each extra aggregate costs a random memory access per row).
WITH
-- One visit per entity and inspection day (a joint visit covers several items); found: any item had a finding.
visits AS (
  SELECT r.object_id, r.inspected_on, bool_or(oc.is_finding) AS found
  FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE r.inspected_on <= $as_of::DATE
  GROUP BY r.object_id, r.inspected_on
),
-- Each dated record as one integer-coded event; packed so that a few plain sum/max aggregates give every fact:
-- class_key   latest classification: day * 8 + class (A=1..D=4)
-- counts_key  penalties in 3 years + complaints in 12 months << 21 + complaints in 36 months << 42
-- visits_key  inspections + findings << 21
-- abnormal_key latest abnormal-list event: day * 2 + (1 for a removal, which wins a same-day tie)
-- visit_key   latest visit: day * 2 + (1 when it found a problem); finding_day: latest visit with a finding
events AS (
  SELECT object_id,
         CASE WHEN record_type = 'classification' THEN date_diff('day', DATE '1970-01-01', record_date)::BIGINT * 8 + (ascii(credit_class) - 64) END AS class_key,
         CASE WHEN record_type = 'penalty' AND record_date > ($as_of::DATE - INTERVAL 3 YEAR)::DATE THEN 1 ELSE 0 END::BIGINT AS counts_key,
         0::BIGINT AS visits_key,
         CASE WHEN record_type IN ('abnormal_listing', 'abnormal_removal')
              THEN date_diff('day', DATE '1970-01-01', record_date)::BIGINT * 2 + (record_type = 'abnormal_removal')::INTEGER END AS abnormal_key,
         NULL::BIGINT AS visit_key,
         NULL::DATE AS finding_day
  FROM credit_records
  WHERE record_date <= $as_of::DATE
  UNION ALL
  SELECT object_id, NULL,
         CASE WHEN received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 12 MONTH)::TIMESTAMPTZ THEN (1::BIGINT << 21) + (1::BIGINT << 42) ELSE 1::BIGINT << 42 END,
         0, NULL, NULL, NULL
  FROM complaints
  WHERE object_id IS NOT NULL AND category IN ('complaint', 'report')
    AND received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 36 MONTH)::TIMESTAMPTZ
    AND received_at < ($as_of::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ
  UNION ALL
  SELECT object_id, NULL, 0, 1 + (found::BIGINT << 21), NULL,
         date_diff('day', DATE '1970-01-01', inspected_on)::BIGINT * 2 + found::INTEGER,
         CASE WHEN found THEN inspected_on END
  FROM visits
),
-- Grain: one row per entity with at least one event.
facts AS (
  SELECT object_id, max(class_key) AS class_key, sum(counts_key) AS counts_key, sum(visits_key) AS visits_key,
         max(abnormal_key) AS abnormal_key, max(visit_key) AS visit_key, max(finding_day) AS last_finding_on
  FROM events
  GROUP BY object_id
),
-- Grain: one row per entity that existed on $as_of.
base AS MATERIALIZED (
  SELECT o.id AS object_id, o.entity_type, o.industry_code, o.region_code,
         left(o.region_code, 4) || '00' AS city_code,
         o.established_on,
         ({{population}}) AS in_population,
         (f.class_key % 8)::UTINYINT AS class_code,
         coalesce(f.counts_key & 2097151, 0) AS penalties_3y,
         coalesce((f.counts_key >> 21) & 2097151, 0) AS complaints_12m,
         coalesce(f.counts_key >> 42, 0) AS complaints_36m,
         coalesce(f.visits_key & 2097151, 0) AS inspections,
         coalesce(f.visits_key >> 21, 0) AS findings,
         CASE WHEN f.abnormal_key IS NULL THEN 'never' WHEN f.abnormal_key % 2 = 1 THEN 'removed' ELSE 'listed' END AS abnormal_listing,
         DATE '1970-01-01' + (f.visit_key // 2)::INTEGER AS last_inspected_on,
         f.visit_key % 2 = 1 AS last_visit_found,
         f.last_finding_on
  FROM objects o
  LEFT JOIN facts f ON f.object_id = o.id
  WHERE o.object_kind = 'entity' AND (o.established_on IS NULL OR o.established_on <= $as_of::DATE)
),
complaint_norms AS (
  SELECT industry_code, city_code, avg(complaints_12m) AS complaints_per_entity
  FROM base GROUP BY industry_code, city_code
),
province_rate AS (
  SELECT coalesce(sum(findings) / nullif(sum(inspections), 0), 0) AS rate FROM base
),
-- findings per inspection visit, shrunk toward the province-wide rate so small groups do not swing on a few visits
industry_rates AS (
  SELECT b.industry_code, (sum(b.findings) + 20 * any_value(p.rate)) / (sum(b.inspections) + 20) AS finding_rate
  FROM base b, province_rate p
  GROUP BY b.industry_code
),
district_rates AS (
  SELECT b.region_code, (sum(b.findings) + 20 * any_value(p.rate)) / (sum(b.inspections) + 20) AS finding_rate
  FROM base b, province_rate p
  GROUP BY b.region_code
)
SELECT b.object_id,
       b.entity_type,
       CASE WHEN b.class_code BETWEEN 1 AND 4 THEN chr(64 + b.class_code) END AS credit_class,
       b.penalties_3y::INTEGER AS penalties_3y,
       b.abnormal_listing,
       b.complaints_12m::INTEGER AS complaints_12m,
       b.complaints_36m::INTEGER AS complaints_36m,
       (b.complaints_36m - b.complaints_12m)::INTEGER AS complaints_13_36m,
       CASE WHEN b.complaints_12m = 0 THEN 0
            ELSE b.complaints_12m / greatest(n.complaints_per_entity, 0.001) END AS complaint_ratio,
       CASE WHEN b.inspections = 0 THEN 'none'
            WHEN b.last_visit_found THEN 'finding'
            ELSE 'clean' END AS last_outcome,
       b.inspections::INTEGER AS prior_inspections,
       b.findings::INTEGER AS prior_findings,
       ($as_of::DATE - b.last_finding_on)::INTEGER AS days_since_last_finding,
       ($as_of::DATE - b.last_inspected_on)::INTEGER AS days_since_last_inspection,
       ($as_of::DATE - b.established_on)::INTEGER AS age_days,
       ir.finding_rate AS industry_base_rate,
       dr.finding_rate AS district_base_rate
FROM base b
LEFT JOIN complaint_norms n ON n.industry_code IS NOT DISTINCT FROM b.industry_code AND n.city_code = b.city_code
LEFT JOIN industry_rates ir ON ir.industry_code IS NOT DISTINCT FROM b.industry_code
LEFT JOIN district_rates dr ON dr.region_code = b.region_code
WHERE b.in_population
