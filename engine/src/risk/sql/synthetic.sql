-- A synthetic province made in SQL for risk tests and benchmarks at any size (range(), no files).
-- Each entity has a hidden propensity (per-inspection probability of a finding); credit records,
-- complaints and yearly inspections are drawn from it the way the demo generator draws them, only simpler.
-- Variables: n (entities), seed_n (a BIGINT from the seed text), first_year, last_year. Randomness: rnd*(entity, purpose, ...) below.
-- Grain of synthetic_entities: one row per entity (temporary: the truth never enters the main tables).
-- Uniform [0, 1) from the seed and an integer key: hash() of ONE integer is a full 64-bit mix (hash() of several
-- arguments combines them too weakly for neighbouring keys, so the parts are folded into one integer first).
CREATE OR REPLACE TEMP MACRO rnd2(a, b) AS hash((a::HUGEINT * 1009 + b) * 1000003 + getvariable('seed_n'))::DOUBLE / 18446744073709551616.0;
CREATE OR REPLACE TEMP MACRO rnd3(a, b, c) AS hash(((a::HUGEINT * 4099 + b) * 1009 + c) * 1000003 + getvariable('seed_n'))::DOUBLE / 18446744073709551616.0;
CREATE OR REPLACE TEMP MACRO rnd4(a, b, c, d) AS hash((((a::HUGEINT * 4099 + b) * 67 + c) * 1009 + d) * 1000003 + getvariable('seed_n'))::DOUBLE / 18446744073709551616.0;

CREATE OR REPLACE TEMP TABLE synthetic_entities AS
WITH u AS (
  SELECT i,
         rnd2(i, 1) AS u_type,
         rnd2(i, 2) AS u_industry,
         rnd2(i, 3) AS u_city,
         rnd2(i, 4) AS u_district,
         rnd2(i, 5) AS u_age,
         rnd2(i, 6) AS u_status,
         -- Box-Muller: one standard normal from two uniforms
         sqrt(-2 * ln(greatest(rnd2(i, 7), 1e-12)))
           * cos(2 * pi() * rnd2(i, 8)) AS z_noise
  FROM range(getvariable('n')) r(i)
),
shaped AS (
  SELECT i,
         CASE WHEN u_type < 0.55 THEN 'individual' WHEN u_type < 0.98 THEN 'enterprise' ELSE 'cooperative' END AS entity_type,
         substr('FFFFFFFFGGGGHHHHCCCCOOOLLIMEKRAQPJDNBS', 1 + floor(u_industry * 38)::INTEGER, 1) AS industry_code,
         ['4403', '4403', '4403', '4401', '4401', '4419', '4406', '4413', '4420', '4407', '4405',
          '4408', '4409', '4452', '4412', '4418', '4414', '4404', '4402', '4416', '4451'][1 + floor(u_city * 21)::INTEGER] AS city4,
         u_district, u_status, z_noise,
         -- age in years, skewed young like a real register
         30 * u_age * u_age AS age_years
  FROM u
)
SELECT i,
       '9144' || lpad(i::VARCHAR, 14, '0') AS object_id,
       entity_type, industry_code,
       CASE WHEN city4 IN ('4419', '4420') THEN city4 || '00' ELSE city4 || lpad((2 + floor(u_district * 4))::INTEGER::VARCHAR, 2, '0') END AS region_code,
       (make_date(getvariable('last_year'), 12, 31) - (age_years * 365.25)::INTEGER) AS established_on,
       CASE WHEN u_status < 0.95 THEN 'active' WHEN u_status < 0.99 THEN 'deregistered' ELSE 'revoked' END AS status,
       1 / (1 + exp(-(
         -2.65
         + CASE industry_code WHEN 'H' THEN 0.55 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.35 WHEN 'E' THEN 0.35 WHEN 'F' THEN 0.25
             WHEN 'O' THEN 0.3 WHEN 'G' THEN 0.2 WHEN 'I' THEN -0.5 WHEN 'M' THEN -0.45 WHEN 'J' THEN -0.35 ELSE 0 END
         + CASE entity_type WHEN 'individual' THEN 0.3 WHEN 'cooperative' THEN 0.15 ELSE 0 END
         + CASE WHEN age_years < 1 THEN 0.55 WHEN age_years < 3 THEN 0.3 WHEN age_years < 6 THEN 0.1 WHEN age_years < 10 THEN 0 ELSE -0.2 END
         + 1.1 * z_noise))) AS propensity
FROM shaped;

-- Names shaped as the demo generator shapes them (data/generator/entities.ts): 市 + 字号 + 行业词 + 有限公司 for an enterprise,
-- 市 + 区 + 字号 + 店名 for an individual business, 区 + 字号 + 产品 + 专业合作社 for a cooperative; words from its vocabulary
-- (variables set by synthetic.ts). Region names are looked up in a map, not joined, so objects keep the entities' order.
CREATE OR REPLACE TEMP MACRO pick(words, u) AS words[1 + floor(u * len(words))::INTEGER];
SET VARIABLE region_names = (SELECT coalesce(map(list(code), list(name_zh)), MAP {}) FROM regions);

INSERT INTO objects (id, object_kind, name, entity_type, region_code, industry_code, established_on, status, responsible_departments)
WITH named AS (
  SELECT *,
         coalesce(getvariable('region_names')[left(region_code, 4) || '00'], '') AS city_name,
         CASE WHEN right(region_code, 2) <> '00' THEN getvariable('region_names')[region_code] END AS district_name,
         pick(getvariable('trade_chars'), rnd2(i, 10)) || pick(getvariable('trade_chars'), rnd2(i, 11)) AS trade_name
  FROM synthetic_entities
)
SELECT object_id, 'entity',
       CASE entity_type
         WHEN 'enterprise' THEN city_name || trade_name || pick(getvariable('enterprise_words')[industry_code], rnd2(i, 12))
           || CASE WHEN rnd2(i, 13) < 0.06 THEN '有限责任公司' ELSE '有限公司' END
         WHEN 'individual' THEN city_name || coalesce(district_name, '')
           || CASE WHEN rnd2(i, 14) < 0.72 THEN trade_name
                   WHEN rnd2(i, 14) < 0.9 THEN pick(getvariable('surnames'), rnd2(i, 15)) || '记'
                   ELSE '老' || pick(getvariable('surnames'), rnd2(i, 15)) END
           || coalesce(pick(getvariable('shop_words')[industry_code], rnd2(i, 12)), '服务部')
         ELSE coalesce(district_name, city_name) || trade_name || pick(getvariable('cooperative_products'), rnd2(i, 12)) || '专业合作社'
       END,
       entity_type, region_code, industry_code, established_on, status, ['SAMR']
FROM named;

-- Credit: one classification (from the propensity plus noise), penalties and abnormal listings at random dates.
INSERT INTO credit_records (record_id, object_id, record_type, record_date, credit_class, amount_yuan, authority)
WITH e AS (
  SELECT i, object_id, propensity, established_on,
         greatest(established_on, make_date(getvariable('first_year'), 1, 1)) AS from_on,
         make_date(getvariable('last_year'), 12, 31) AS to_on,
         rnd2(i, 20) AS u_classified,
         sqrt(-2 * ln(greatest(rnd2(i, 21), 1e-12)))
           * cos(2 * pi() * rnd2(i, 22)) AS z_class
  FROM synthetic_entities
),
span AS (SELECT *, greatest(to_on - from_on, 1) AS span_days FROM e),
classification AS (
  SELECT 'CLS' || i AS record_id, object_id, 'classification' AS record_type,
         from_on + floor(rnd2(i, 23) * span_days)::INTEGER AS record_date,
         CASE WHEN ln(propensity / (1 - propensity)) + 0.75 * z_class < -2.05 THEN 'A'
              WHEN ln(propensity / (1 - propensity)) + 0.75 * z_class < -0.95 THEN 'B'
              WHEN ln(propensity / (1 - propensity)) + 0.75 * z_class < 0 THEN 'C' ELSE 'D' END AS credit_class,
         NULL::DECIMAL(14, 2) AS amount_yuan
  FROM span WHERE u_classified < 0.7
),
penalty AS (
  SELECT 'PEN' || i || '-' || k AS record_id, object_id, 'penalty' AS record_type,
         from_on + floor(rnd2(i, 30 + k) * span_days)::INTEGER AS record_date,
         NULL AS credit_class, 5000.00::DECIMAL(14, 2) AS amount_yuan
  FROM span, range(3) r(k)
  WHERE rnd2(i, 40 + k) < 0.25 * propensity
),
listing AS (
  SELECT i, 'ABN' || i AS record_id, object_id, 'abnormal_listing' AS record_type,
         from_on + floor(rnd2(i, 50) * span_days)::INTEGER AS record_date,
         NULL AS credit_class, NULL::DECIMAL(14, 2) AS amount_yuan
  FROM span WHERE rnd2(i, 51) < 0.02 + 0.2 * propensity
),
removal AS (
  SELECT 'RMV' || substr(record_id, 4) AS record_id, object_id, 'abnormal_removal' AS record_type,
         record_date + 30 + floor(rnd2(i, 52) * 400)::INTEGER AS record_date,
         NULL AS credit_class, NULL::DECIMAL(14, 2) AS amount_yuan
  FROM listing WHERE rnd2(i, 53) < 0.5
)
SELECT record_id, object_id, record_type, record_date, credit_class, amount_yuan, 'SAMR' FROM classification
UNION ALL SELECT record_id, object_id, record_type, record_date, credit_class, amount_yuan, 'SAMR' FROM penalty
UNION ALL SELECT record_id, object_id, record_type, record_date, credit_class, amount_yuan, 'SAMR' FROM listing
UNION ALL SELECT record_id, object_id, record_type, record_date, credit_class, amount_yuan, 'SAMR' FROM removal
  WHERE record_date <= make_date(getvariable('last_year'), 12, 31);

-- Complaints: a geometric number per entity-year whose mean grows with the propensity, at random times that year.
INSERT INTO complaints (complaint_id, object_id, received_at, region_code, category, topic, substantiated)
WITH ey AS (
  SELECT e.i, e.object_id, e.region_code, y,
         least(0.12 * power(e.propensity / 0.12, 1.6)
               * CASE e.industry_code WHEN 'F' THEN 1.5 WHEN 'H' THEN 1.8 WHEN 'O' THEN 1.6 WHEN 'C' THEN 0.5 WHEN 'A' THEN 0.2 ELSE 0.8 END, 20) AS mean_count
  FROM synthetic_entities e, range(getvariable('first_year'), getvariable('last_year') + 1) ys(y)
  WHERE year(e.established_on) <= y
),
counted AS (
  -- geometric with mean m: floor(ln(u) / ln(m / (1 + m)))
  SELECT *, floor(ln(greatest(rnd3(i, y, 60), 1e-12))
                  / ln(mean_count / (1 + mean_count)))::INTEGER AS n_complaints
  FROM ey WHERE mean_count > 0
)
SELECT 'T' || i || '-' || y || '-' || k, object_id,
       (make_date(y::INTEGER, 1, 1) + floor(rnd4(i, y, k, 61) * 365)::INTEGER)::TIMESTAMPTZ
         + INTERVAL 9 HOUR,
       region_code,
       CASE WHEN rnd4(i, y, k, 62) < 0.7 THEN 'complaint' WHEN rnd4(i, y, k, 62) < 0.9 THEN 'report' ELSE 'consultation' END,
       '产品质量', NULL
FROM counted, range(least(n_complaints, 30)) r(k)
WHERE n_complaints > 0;

-- Inspections: each year an entity is inspected with a probability raised by its latest credit class (risk-based
-- practice), and the visit finds a problem with the entity's propensity.
INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
WITH ey AS (
  SELECT e.i, e.object_id, e.propensity, y,
         CASE WHEN year(c.record_date) < y THEN c.credit_class END AS credit_class
  FROM synthetic_entities e
  CROSS JOIN range(getvariable('first_year'), getvariable('last_year') + 1) ys(y)
  LEFT JOIN credit_records c ON c.object_id = e.object_id AND c.record_type = 'classification'
  WHERE year(e.established_on) < y
),
inspected AS (
  SELECT * FROM ey
  WHERE rnd3(i, y, 70)
        < 0.065 * CASE credit_class WHEN 'A' THEN 0.5 WHEN 'C' THEN 2 WHEN 'D' THEN 4 ELSE 1 END
)
SELECT 'R' || i || '-' || y, object_id,
       make_date(y::INTEGER, 1, 1) + floor(rnd3(i, y, 71) * 360)::INTEGER,
       'SAMR', 'SAMR-001',
       CASE WHEN rnd3(i, y, 72) < propensity THEN 'FIXED' ELSE 'NO_PROBLEM' END,
       ['INS1', 'INS2'], 'SYN-' || y
FROM inspected;
