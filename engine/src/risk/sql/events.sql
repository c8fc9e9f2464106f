-- Every dated record of the entities passing $entity_filter (a boolean over a column named object_id) on or before
-- $as_of, as one integer-coded event: facts.sql adds them up per entity.
-- Packed so that a few plain sum / max / bit_or aggregates give every fact (one hash aggregate instead of one per
-- source table: each extra aggregate costs a random memory access per row):
-- class_key     latest classification: day * 8 + class (A=1..D=4)
-- abnormal_key  latest abnormal-list event: day * 2 + (1 for a removal, which wins a same-day tie)
-- counts_a      penalties in 3 years + complaints found true in 12 months << 21 + the other complaints in 12 months << 42
-- counts_b      complaints in 3 months + complaints in 36 months << 21
-- topic_key     complaints in 12 months per topic group, 16 bits each: safety and quality, fraud and pricing, unlicensed, disputes
-- month_bit     the calendar month of a complaint in 12 months, one bit per month (year * 12 + month, mod 64)
-- visits_key    inspections + findings << 21;  visit_key: latest visit, day * 2 + (1 when it found a problem)
-- finding_day   the day of a visit with a finding
-- Complaints are 12345 complaints and reports (consultations are not) naming the entity, dated in Asia/Shanghai.
-- Grain: one row per record (per visit: object x day, a joint visit covering several items).
WITH
visits AS (
  SELECT r.object_id, r.inspected_on, bool_or(oc.is_finding) AS found
  FROM inspection_results r JOIN outcome_codes oc ON oc.code = r.outcome_code
  WHERE r.inspected_on <= $as_of::DATE AND $entity_filter
  GROUP BY r.object_id, r.inspected_on
),
complaints_36m AS (
  SELECT object_id, substantiated,
         received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 12 MONTH)::TIMESTAMPTZ AS in_12m,
         received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 3 MONTH)::TIMESTAMPTZ AS in_3m,
         -- topic groups by keyword, so that the free-text categories of any 12345 system fall into one of four
         CASE WHEN regexp_matches(topic, '无照|无证') THEN 2
              WHEN regexp_matches(topic, '安全|卫生|中毒|过期|假冒|伪劣|污染|行医|隐患|产品质量|商品质量|工程质量|房屋质量|维修质量|农资质量') THEN 0
              WHEN regexp_matches(topic, '欺诈|虚假|缺斤短两|明码标价|乱收费|跑路|信息泄露') THEN 1
              ELSE 3 END AS topic_group,
         -- the calendar month in Asia/Shanghai (UTC+8, no daylight saving: plain arithmetic is cheaper than timezone())
         (year(DATE '1970-01-01' + ((epoch_us(received_at) + 28800000000) // 86400000000)::INTEGER) * 12
          + month(DATE '1970-01-01' + ((epoch_us(received_at) + 28800000000) // 86400000000)::INTEGER)) % 64 AS month_no
  FROM complaints
  WHERE object_id IS NOT NULL AND category IN ('complaint', 'report')
    AND received_at >= ($as_of::DATE + INTERVAL 1 DAY - INTERVAL 36 MONTH)::TIMESTAMPTZ
    AND received_at < ($as_of::DATE + INTERVAL 1 DAY)::TIMESTAMPTZ
    AND $entity_filter
)
SELECT object_id,
       CASE WHEN record_type = 'classification' THEN date_diff('day', DATE '1970-01-01', record_date)::BIGINT * 8 + (ascii(credit_class) - 64) END AS class_key,
       CASE WHEN record_type IN ('abnormal_listing', 'abnormal_removal')
            THEN date_diff('day', DATE '1970-01-01', record_date)::BIGINT * 2 + (record_type = 'abnormal_removal')::INTEGER END AS abnormal_key,
       CASE WHEN record_type = 'penalty' AND record_date > ($as_of::DATE - INTERVAL 3 YEAR)::DATE THEN 1 ELSE 0 END::BIGINT AS counts_a,
       0::BIGINT AS counts_b, 0::BIGINT AS topic_key, 0::UBIGINT AS month_bit,
       0::BIGINT AS visits_key, NULL::BIGINT AS visit_key, NULL::DATE AS finding_day
FROM credit_records
WHERE record_date <= $as_of::DATE AND $entity_filter
UNION ALL
SELECT object_id, NULL, NULL,
       CASE WHEN NOT in_12m THEN 0 WHEN substantiated THEN 1::BIGINT << 21 ELSE 1::BIGINT << 42 END,
       (in_3m::BIGINT) + (1::BIGINT << 21),
       CASE WHEN in_12m THEN 1::BIGINT << (16 * topic_group) ELSE 0 END,
       CASE WHEN in_12m THEN 1::UBIGINT << month_no ELSE 0 END,
       0, NULL, NULL
FROM complaints_36m
UNION ALL
SELECT object_id, NULL, NULL, 0, 0, 0, 0, 1 + (found::BIGINT << 21),
       date_diff('day', DATE '1970-01-01', inspected_on)::BIGINT * 2 + found::INTEGER,
       CASE WHEN found THEN inspected_on END
FROM visits
