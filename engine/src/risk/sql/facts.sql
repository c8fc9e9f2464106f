-- Risk facts of each entity as of $as_of: the counts and latest events that features.sql turns into features, from
-- events.sql (records dated on or before $as_of). Grain: one row per object with object_kind 'entity' (any status,
-- any founding date) whose id passes $entity_filter (a boolean over a column named object_id: true for every entity,
-- or a semi-join on the entities a refresh recomputes). Stored as risk_entity_facts (migration 012) and refreshed per
-- entity by engine/src/kernel/derived.ts; the as-of-independent parts of the features (ages, days since, norms and
-- base rates) are left to features.sql.
-- Shape, for 18 M entities: ONE hash aggregate of the events with plain aggregates, and one join with objects.
WITH
-- Grain: one row per entity with at least one event.
facts AS (
  SELECT object_id, max(class_key) AS class_key, max(abnormal_key) AS abnormal_key, sum(counts_a) AS counts_a, sum(counts_b) AS counts_b,
         sum(topic_key) AS topic_key, bit_or(month_bit) AS months, sum(visits_key) AS visits_key, max(visit_key) AS visit_key,
         max(finding_day) AS last_finding_on
  FROM ($events) e
  GROUP BY object_id
),
entities AS (
  SELECT * FROM (
    SELECT id AS object_id, status, entity_type, industry_code, region_code, established_on
    FROM objects
    WHERE object_kind = 'entity'
  ) WHERE $entity_filter
),
-- the four topic-group counts of 12 months, for the most complained of (ties to the earlier group)
topics AS (
  SELECT object_id, counts_a, counts_b, months, visits_key, visit_key, last_finding_on, class_key, abnormal_key,
         [(topic_key >> 0) & 65535, (topic_key >> 16) & 65535, (topic_key >> 32) & 65535, (topic_key >> 48) & 65535] AS by_group
  FROM facts
)
SELECT o.object_id, o.status, o.entity_type, o.industry_code, o.region_code, o.established_on,
       coalesce(f.class_key % 8, 0)::UTINYINT AS class_code,
       DATE '1970-01-01' + (f.class_key // 8)::INTEGER AS class_on,
       coalesce(f.counts_a & 2097151, 0)::INTEGER AS penalties_3y,
       (CASE WHEN f.abnormal_key IS NULL THEN 0 WHEN f.abnormal_key % 2 = 1 THEN 2 ELSE 1 END)::UTINYINT AS abnormal_state,
       DATE '1970-01-01' + (f.abnormal_key // 2)::INTEGER AS abnormal_on,
       coalesce((f.counts_a >> 21) & 2097151, 0)::INTEGER AS substantiated_12m,
       coalesce(f.counts_a >> 42, 0)::INTEGER AS other_12m,
       coalesce(f.counts_b & 2097151, 0)::INTEGER AS complaints_3m,
       coalesce(f.counts_b >> 21, 0)::INTEGER AS complaints_36m,
       coalesce(bit_count(f.months), 0)::UTINYINT AS complaint_months,
       (CASE WHEN list_max(f.by_group) > 0 THEN list_position(f.by_group, list_max(f.by_group)) ELSE 0 END)::UTINYINT AS topic_group,
       coalesce(f.visits_key & 2097151, 0)::INTEGER AS inspections,
       coalesce(f.visits_key >> 21, 0)::INTEGER AS findings,
       DATE '1970-01-01' + (f.visit_key // 2)::INTEGER AS last_inspected_on,
       f.visit_key % 2 = 1 AS last_visit_found,
       f.last_finding_on
FROM entities o
LEFT JOIN topics f ON f.object_id = o.object_id
