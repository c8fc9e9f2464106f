import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { tempDb } from '../testing/db.ts';
import { DATA_DIR } from '../kernel/config.ts';
import {
  binLabels,
  binSql,
  contributions,
  decodeBins,
  edgesFromQuantiles,
  fitScorecard,
  logOdds,
  probability,
  rangeLabels,
  weightsOfEvidence,
  type BinnedFeature,
  type CodeCounts,
  type FeatureSpec,
} from './scorecard.ts';
import { fitModel } from './model.ts';
import { scorePopulation } from './score.ts';
import { ensureOutcomeCodes } from './synthetic.ts';
import { sql } from '../db/sql.ts';

// data/fixtures/risk/scorecard-known.csv: see data/fixtures/risk/README.md for the known answer.
const FIXTURE_PATH = resolve(DATA_DIR, 'fixtures/risk/scorecard-known.csv');
interface Cell {
  credit: string;
  complaints: number;
  rows: number;
  events: number;
  expected: number;
}
const cells: Cell[] = readFileSync(FIXTURE_PATH, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [credit, complaints, rows, events, expected] = line.split(',');
    return { credit, complaints: Number(complaints), rows: Number(rows), events: Number(events), expected: Number(expected) };
  });

const CREDIT: FeatureSpec = {
  kind: 'category',
  column: 'credit_class',
  label: { zh: '信用风险分类', en: 'Credit risk class' },
  categories: [
    { value: 'A', label: { zh: 'A类', en: 'class A' } },
    { value: 'D', label: { zh: 'D类', en: 'class D' } },
    { value: '', label: { zh: '其他', en: 'other' } },
  ],
};
const COMPLAINTS: FeatureSpec = {
  kind: 'numeric',
  column: 'complaints_12m',
  label: { zh: '12345投诉举报(近12个月)', en: '12345 complaints, 12 months' },
  format: 'count',
  unit: { zh: '件', en: '' },
  edges: [1, 2],
};
const creditBin = (c: string) => (c === 'A' ? 0 : c === 'D' ? 1 : 2);
const complaintsBin = (n: number) => (n < 1 ? 0 : n < 2 ? 1 : 2);

const KNOWN = {
  intercept: Math.log(300 / 900),
  creditWoe: [Math.log(0.5), Math.log(2), 0],
  complaintsWoe: [Math.log(0.4), 0, Math.log(2.5)],
};

describe('weight-of-evidence scorecard, pure', () => {
  it('computes textbook WoE without a prior, 0 for an empty bin, and shrinks small bins with one', () => {
    const woe = weightsOfEvidence([{ rows: 700, events: 100 }, { rows: 500, events: 200 }, { rows: 0, events: 0 }], 0);
    expect(woe[0]).toBeCloseTo(KNOWN.creditWoe[0], 12);
    expect(woe[1]).toBeCloseTo(KNOWN.creditWoe[1], 12);
    expect(woe[2]).toBe(0);
    const shrunk = weightsOfEvidence([{ rows: 1000, events: 100 }, { rows: 4, events: 4 }], 20);
    expect(shrunk[1]).toBeGreaterThan(0);
    expect(shrunk[1]).toBeLessThan(2);
  });

  it('fits the known scorecard from counts per bin combination', () => {
    const features: BinnedFeature[] = [
      { kind: 'category', column: 'credit_class', label: CREDIT.label, categories: ['A', 'D', ''], bins: [] },
      { kind: 'numeric', column: 'complaints_12m', label: COMPLAINTS.label, hasNullBin: false, zeroBin: false, edges: [1, 2], format: 'count', bins: [] },
    ];
    const labels = [binLabels(CREDIT, []), binLabels(COMPLAINTS, [1, 2])];
    features.forEach((f, i) => (f.bins = labels[i].map((label) => ({ label, rows: 0, events: 0, woe: 0 }))));
    const combos: CodeCounts[] = cells.map((c) => ({ binCode: String(creditBin(c.credit) + 16 * complaintsBin(c.complaints)), rows: c.rows, events: c.events }));
    for (const c of cells) {
      features[0].bins[creditBin(c.credit)].rows += c.rows;
      features[0].bins[creditBin(c.credit)].events += c.events;
      features[1].bins[complaintsBin(c.complaints)].rows += c.rows;
      features[1].bins[complaintsBin(c.complaints)].events += c.events;
    }
    for (const f of features) weightsOfEvidence(f.bins, 0).forEach((w, k) => (f.bins[k].woe = w));
    const params = fitScorecard(features, combos, { l2: 0, woePrior: 0 });
    expect(params.intercept).toBeCloseTo(KNOWN.intercept, 8);
    expect(params.features[0].coefficient).toBeCloseTo(1, 8);
    expect(params.features[1].coefficient).toBeCloseTo(1, 8);
    for (const c of combos) {
      const cell = cells.find((x) => String(creditBin(x.credit) + 16 * complaintsBin(x.complaints)) === c.binCode)!;
      expect(probability(logOdds(params, c.binCode))).toBeCloseTo(cell.expected, 8);
    }
    // contributions: coefficient x WoE, largest first, with both languages
    const top = contributions(params, String(1 + 16 * 2));
    expect(top.map((c) => c.column)).toEqual(['complaints_12m', 'credit_class']);
    expect(top[0].points).toBeCloseTo(Math.log(2.5), 8);
    expect(top[0].text).toBe('12345投诉举报(近12个月) 2+件 12345 complaints, 12 months: 2+: +0.92');
  });

  it('labels bins readably', () => {
    expect(rangeLabels([1, 2, 3, 5, 10], 'count').map((l) => l.en)).toEqual(['0', '1', '2', '3-4', '5-9', '10+']);
    expect(rangeLabels([365, 730], 'years').map((l) => l.zh)).toEqual(['<1年', '1-2年', '≥2年']);
    expect(edgesFromQuantiles([0.07312, 0.07349, 0.1, 0.1])).toEqual([0.073, 0.1]);
  });

  it('packs and unpacks 4-bit bins beyond 2^53', () => {
    const code = (15n << 60n) | (3n << 4n) | 2n;
    expect(decodeBins(code.toString(), 16)).toEqual([2, 3, ...new Array(13).fill(0), 15]);
  });

  it('writes bin SQL that puts NULL, zero and each range in its own bin', () => {
    expect(binSql({ kind: 'numeric', column: 'days_since_last_finding', hasNullBin: true, zeroBin: true, edges: [365, 730], format: 'years' }).toQuery()).toEqual({
      text: '(CASE WHEN "days_since_last_finding" IS NULL THEN $1 WHEN "days_since_last_finding" = 0 THEN $2 WHEN "days_since_last_finding" < $3 THEN $4 WHEN "days_since_last_finding" < $5 THEN $6 ELSE $7 END)',
      params: [0, 1, 365, 2, 730, 3, 4],
    });
    expect(binSql({ kind: 'category', column: 'credit_class', categories: ['A', 'D', ''] }).toQuery()).toEqual({
      text: '(CASE "credit_class" WHEN $1 THEN $2 WHEN $3 THEN $4 ELSE $5 END)',
      params: ['A', 0, 'D', 1, 2],
    });
  });
});

describe('scorecard fitted from the database on the known fixture', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
    await ensureOutcomeCodes(t.db);
    // one entity per fixture row's count; the first `events` of each cell had a finding in 2024
    await t.db.exec(sql`CREATE TEMP TABLE cells AS SELECT row_number() OVER () AS cell, * FROM read_csv(${FIXTURE_PATH}, header = true)`);
    await t.db.exec(
      sql`CREATE TEMP TABLE fixture_entities AS SELECT 'E' || cell || '-' || k AS id, credit_class, complaints_12m, k < events AS found FROM cells, range(rows) r(k);
       INSERT INTO objects (id, object_kind, name, entity_type, region_code, industry_code, established_on, status, responsible_departments)
         SELECT id, 'entity', id, 'enterprise', '440106', 'F', DATE '2015-01-01', 'active', ['SAMR'] FROM fixture_entities;
       INSERT INTO credit_records (record_id, object_id, record_type, record_date, credit_class)
         SELECT 'C-' || id, id, 'classification', DATE '2023-06-01', credit_class FROM fixture_entities;
       INSERT INTO complaints (complaint_id, object_id, received_at, region_code, category, topic)
         SELECT 'T-' || id || '-' || c, id, TIMESTAMPTZ '2023-05-01 10:00:00+08', '440106', 'complaint', '质量' FROM fixture_entities, range(complaints_12m) r(c);
       INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids)
         SELECT 'R-' || id, id, DATE '2024-03-01', 'SAMR', 'SAMR-001', CASE WHEN found THEN 'FIXED' ELSE 'NO_PROBLEM' END, ['I1'] FROM fixture_entities;`,
    );
  });
  afterAll(() => t.cleanup());

  it('finds the known WoE, coefficients and intercept, and scores each cell at its observed rate', async () => {
    const model = await fitModel(t.db, { asOf: '2024-12-31', features: [CREDIT, COMPLAINTS], l2: 0, woePrior: 0, minHistoryDays: 0 });
    expect(model.training).toMatchObject({ years: [2024], rows: 1200, events: 300, featuresAsOf: { '2024': '2023-12-31' } });
    const [credit, complaints] = model.params.features;
    credit.bins.forEach((b, i) => expect(b.woe).toBeCloseTo(KNOWN.creditWoe[i], 9));
    complaints.bins.forEach((b, i) => expect(b.woe).toBeCloseTo(KNOWN.complaintsWoe[i], 9));
    expect(model.params.intercept).toBeCloseTo(KNOWN.intercept, 7);
    expect(credit.coefficient).toBeCloseTo(1, 7);
    expect(complaints.coefficient).toBeCloseTo(1, 7);

    // the generated scoring SQL, on the features as of the training date, gives each cell its observed rate
    await scorePopulation(t.db, model.params, '2023-12-31', 'active', 'known_scores');
    const scored = await t.db.query<{ credit_class: string; complaints_12m: number; score: number; n: number }>(
      sql`SELECT e.credit_class, e.complaints_12m, any_value(s.score) AS score, count(DISTINCT s.score) AS n
       FROM known_scores s JOIN fixture_entities e ON e.id = s.object_id GROUP BY ALL`,
    );
    expect(scored).toHaveLength(6);
    for (const row of scored) {
      const cell = cells.find((c) => c.credit === row.credit_class && c.complaints === row.complaints_12m)!;
      expect(row.n).toBe(1);
      expect(row.score).toBeCloseTo(cell.expected, 7);
    }
  });
});
