-- Risk facts of each entity as of $as_of: the counts and latest events that features.sql turns into features.
-- Only records dated on or before $as_of count. Grain: one row per object with object_kind 'entity' (any status,
-- any founding date) whose id passes $entity_filter (a boolean SQL expression over a column named object_id:
-- 'true' for every entity, or a semi-join on the entities a refresh recomputes).
-- Stored as risk_entity_facts (migration 007) and refreshed per entity by engine/src/risk/derived.ts; the
-- as-of-independent parts of the features (age, days since, norms and base rates) are left to features.sql.
-- Shape, for 18 M entities: every dated record becomes one integer-coded event row, and ONE hash aggregate
-- with six plain aggregates turns the events into per-entity facts: one pass and one join with objects instead
-- of an aggregate and a join per source table (each extra aggregate costs a random memory access per row).
WITH
-- One visit per entity and inspection day (a joint visit covers several items); found: any item had a finding.
visits AS (
  SELECT r.object_id, r.inspected_on, bool_or(oc.is_finding) AS found
  FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE r.inspected_on <= $as_of::DATE AND $entity_filter
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
  WHERE record_date <= $as_of::DATE AND $entity_filter
  UNION ALL
  SELECT object_id, NULL,
         CASE WHEN received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 12 MONTH)::TIMESTAMPTZ THEN (1::BIGINT << 21) + (1::BIGINT << 42) ELSE 1::BIGINT << 42 END,
         0, NULL, NULL, NULL
  FROM complaints
  WHERE object_id IS NOT NULL AND category IN ('complaint', 'report')
    AND received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 36 MONTH)::TIMESTAMPTZ
    AND received_at < ($as_of::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ
    AND $entity_filter
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
entities AS (
  SELECT * FROM (
    SELECT id AS object_id, status, entity_type, industry_code, region_code, established_on
    FROM objects
    WHERE object_kind = 'entity'
  ) WHERE $entity_filter
)
SELECT o.object_id, o.status, o.entity_type, o.industry_code, o.region_code, o.established_on,
       coalesce(f.class_key % 8, 0)::UTINYINT AS class_code,
       coalesce(f.counts_key & 2097151, 0)::INTEGER AS penalties_3y,
       (CASE WHEN f.abnormal_key IS NULL THEN 0 WHEN f.abnormal_key % 2 = 1 THEN 2 ELSE 1 END)::UTINYINT AS abnormal_state,
       coalesce((f.counts_key >> 21) & 2097151, 0)::INTEGER AS complaints_12m,
       coalesce(f.counts_key >> 42, 0)::INTEGER AS complaints_36m,
       coalesce(f.visits_key & 2097151, 0)::INTEGER AS inspections,
       coalesce(f.visits_key >> 21, 0)::INTEGER AS findings,
       DATE '1970-01-01' + (f.visit_key // 2)::INTEGER AS last_inspected_on,
       f.visit_key % 2 = 1 AS last_visit_found,
       f.last_finding_on
FROM entities o
LEFT JOIN facts f ON f.object_id = o.object_id
