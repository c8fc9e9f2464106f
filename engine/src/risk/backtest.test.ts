import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDb } from '../testing/db.ts';
import { synthesizeProvince, writeSyntheticTruth } from './synthetic.ts';
import { backtest, type BacktestResult } from './backtest.ts';
import { computeFeatures } from './features.ts';
import { rocAuc } from './metrics.ts';
import { sql } from '../db/sql.ts';
import { loadReference } from '../reference/load.ts';
import { importFile } from '../ingest/import.ts';
import { generateProvince } from '../../../data/generator/generate.ts';

const headline = (b: BacktestResult) => ({
  testYear: b.testYear,
  asOf: b.asOf,
  training: { ...b.training, fitMs: 0, timingsMs: undefined },
  test: b.test,
  auc: b.auc,
  hitRateByTier: b.hitRateByTier,
  tiers: b.tiers,
  liftAt: b.liftAt,
  // the bootstrap's interval too: seeded and on rows in a fixed order, a rerun gives the same one
  gain: { ...b.baselines.logistic.gain, elapsedMs: 0 },
  daysEarlier: b.daysEarlier,
  cutoffs: b.cutoffs,
  coefficients: b.coefficients,
});

describe('backtest on a synthetic province', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let first: BacktestResult;
  beforeAll(async () => {
    t = await tempDb();
    await synthesizeProvince(t.db, { entities: 6000, seed: 'backtest-test' });
    await writeSyntheticTruth(t.db, join(t.dir, 'truth.csv'));
    first = await backtest(t.db, { testYear: 2025, truthPath: join(t.dir, 'truth.csv') });
  });
  afterAll(() => t.cleanup());

  it('trains only on years before the test year, with features dated before it', () => {
    expect(first.testYear).toBe(2025);
    expect(first.asOf).toBe('2024-12-31');
    expect(first.training.years.length).toBeGreaterThan(0);
    expect(first.trainingRowYears).toEqual(first.training.years);
    for (const year of first.trainingRowYears) expect(year).toBeLessThan(2025);
    for (const asOf of Object.values(first.training.featuresAsOf)) expect(asOf < '2025-01-01').toBe(true);
  });

  it('reports the agreed figures, targeting better than random', () => {
    expect(first.auc).toBeGreaterThan(0.6);
    expect(Object.keys(first.hitRateByTier)).toEqual(['A', 'B', 'C', 'D']);
    expect(first.hitRateByTier.D!).toBeGreaterThan(2 * first.hitRateByTier.A!);
    expect(Object.keys(first.liftAt)).toEqual(['0.05', '0.1', '0.2']);
    expect(first.liftAt['0.1']!).toBeGreaterThan(1.3);
    expect(first.daysEarlier!).toBeGreaterThan(0);
    expect(first.truthSpearman!).toBeGreaterThan(0.3);
    expect(first.truthEntities).toBeGreaterThan(4000);
  });

  it('cannot see records from the test year: planting them in year T changes nothing', async () => {
    // Give every entity that had a finding in 2025 a strong signal dated in 2025: complaints, a penalty, an
    // abnormal listing and class D. A leaking backtest would rank exactly these entities first.
    await t.db.exec(sql`
      CREATE TEMP TABLE planted AS
        SELECT DISTINCT r.object_id FROM inspection_results r WHERE year(r.inspected_on) = 2025 AND r.outcome_code = 'FIXED';
      INSERT INTO complaints (complaint_id, object_id, received_at, region_code, category, topic)
        SELECT 'LEAK-' || object_id || '-' || k, object_id, TIMESTAMPTZ '2025-01-02 09:00:00+08' + k * INTERVAL 1 DAY, '440106', 'complaint', '泄漏'
        FROM planted, range(6) r(k);
      INSERT INTO credit_records (record_id, object_id, record_type, record_date, credit_class, amount_yuan, authority)
        SELECT 'LEAK-P-' || object_id, object_id, 'penalty', DATE '2025-01-03', NULL, 1000, 'SAMR' FROM planted
        UNION ALL SELECT 'LEAK-A-' || object_id, object_id, 'abnormal_listing', DATE '2025-01-03', NULL, NULL, 'SAMR' FROM planted
        UNION ALL SELECT 'LEAK-C-' || object_id, object_id, 'classification', DATE '2025-01-01', 'D', NULL, 'SAMR' FROM planted;
    `);
    // the planted records would give a near-perfect ranking to anyone who read them ...
    await computeFeatures(t.db, { asOf: '2025-12-31', population: { predicate: sql`o.id IN (SELECT object_id FROM inspection_results WHERE year(inspected_on) = 2025)` }, into: 'leaky' });
    const groups = await t.db.query<{ score: number; positives: number; negatives: number }>(
      sql`SELECT f.other_12m::DOUBLE AS score, count(*) FILTER (WHERE p.object_id IS NOT NULL)::DOUBLE AS positives, count(*) FILTER (WHERE p.object_id IS NULL)::DOUBLE AS negatives
       FROM leaky f LEFT JOIN planted p ON p.object_id = f.object_id GROUP BY 1`,
    );
    expect(rocAuc(groups)!).toBeGreaterThan(0.95);
    // ... but the backtest's training rows, scores, tiers and figures are exactly the same as before
    const again = await backtest(t.db, { testYear: 2025 });
    expect(headline(again)).toEqual(headline(first));
  });

  it('reads only the columns it needs of the truth file', async () => {
    const wide = join(t.dir, 'truth-wide.csv');
    const lines = readFileSync(join(t.dir, 'truth.csv'), 'utf8').trim().split('\n');
    writeFileSync(wide, lines.map((l, i) => `${i === 0 ? 'segment' : 'x'},${l},${i === 0 ? 'detection' : '0.9'}`).join('\n') + '\n');
    const again = await backtest(t.db, { testYear: 2025, truthPath: wide });
    expect(again.truthSpearman).toBe(first.truthSpearman);
  });

  it('names a missing truth file and a year without training data', async () => {
    await expect(backtest(t.db, { testYear: 2025, truthPath: join(t.dir, 'missing.csv') })).rejects.toThrow(/truth file .*missing\.csv does not exist/);
    await expect(backtest(t.db, { testYear: 2019 })).rejects.toThrow(/no training year/);
  });
});

describe('backtest on a generated province that records how objects were selected (generator v2)', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let result: BacktestResult;
  beforeAll(async () => {
    t = await tempDb();
    await t.db.transaction((tx) => loadReference(tx));
    const out = join(t.dir, 'generated');
    await generateProvince({ entities: 20_000, seed: 'backtest-v2', outDir: out, threads: 1 });
    for (const kind of ['entities', 'inspectors', 'credit', 'complaints', 'results']) {
      expect((await importFile(t.db, { kind, file: join(out, `${kind}.csv`), actor: 'test' })).written).toBe(true);
    }
    result = await backtest(t.db, { truthPath: join(out, 'truth.csv') });
  }, 180_000);
  afterAll(() => t.cleanup());

  it("fits and tests on random draws only, each weighted by 1 / its selection probability, the inspectors' effects apart", async () => {
    expect(result.training.weighting).toBe('inverse-probability');
    expect(result.training.inspectors!.estimated).toBeGreaterThan(20);
    expect(result.weighting).toBe('inverse-probability');
    expect(result.test.leftOut.complaint).toBeGreaterThan(0);
    expect(result.test.leftOut.unrecorded).toBe(0);
    // the weighted tested stand for the population: their weights add up to about the entities eligible that year
    const tested = result.tiers.A.observed.n + result.tiers.B.observed.n + result.tiers.C.observed.n + result.tiers.D.observed.n;
    expect(tested).toBe(result.test.entities);
    expect(result.test.hitRate).toBeGreaterThan(0.05);
    expect(result.test.hitRate).toBeLessThan(0.4);
  });

  it('reports calibration per tier with intervals, the logistic baseline, the best single feature and segment checks', () => {
    for (const tier of ['A', 'B', 'C', 'D'] as const) {
      const o = result.tiers[tier].observed;
      expect(o.low!).toBeLessThanOrEqual(o.rate!);
      expect(o.high!).toBeGreaterThanOrEqual(o.rate!);
      expect(result.tiers[tier].predicted!).toBeGreaterThan(0);
    }
    expect(result.tiers.D.predicted!).toBeGreaterThan(result.tiers.A.predicted!);
    expect(result.baselines.logistic.auc!).toBeGreaterThan(0.55);
    // the model's gain over the regression, on the same tested entities (all of them: fewer than the sample's cap)
    const gain = result.baselines.logistic.gain!;
    expect(gain.rows).toBe(result.test.entities);
    expect(gain.replicates).toBe(1000);
    expect(gain.difference).toBeCloseTo(result.auc! - result.baselines.logistic.auc!, 9);
    expect(gain.low).toBeLessThan(gain.difference);
    expect(gain.high).toBeGreaterThan(gain.difference);
    expect(gain.se).toBeGreaterThan(0);
    expect(result.baselines.features.map((f) => f.column)).toContain(result.baselines.bestFeature.column);
    expect(result.baselines.bestFeature.auc!).toBeLessThanOrEqual(Math.max(...result.baselines.features.map((f) => f.auc ?? 0)));
    const families = new Set(result.segments.map((s) => s.family));
    expect(families).toEqual(new Set(['records', 'district_findings', 'district_complaints', 'complaint_trend']));
    for (const s of result.segments) {
      expect(s.population).toBeGreaterThan(0);
      expect(s.truthBias).toBeCloseTo(s.meanPercentile - s.truthPercentile!, 12);
      if (s.bias !== null) expect(s.biasLow!).toBeLessThanOrEqual(s.biasHigh!);
    }
  });
});
