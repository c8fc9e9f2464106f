import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { tempDb } from '../testing/db.ts';
import { synthesizeProvince, writeSyntheticTruth } from './synthetic.ts';
import { backtest, type BacktestResult } from './backtest.ts';
import { computeFeatures } from './features.ts';
import { rocAuc } from './metrics.ts';
import { sql } from '../db/sql.ts';

const headline = (b: BacktestResult) => ({
  testYear: b.testYear,
  asOf: b.asOf,
  training: { ...b.training, fitMs: 0 },
  test: b.test,
  auc: b.auc,
  hitRateByTier: b.hitRateByTier,
  tiers: b.tiers,
  liftAt: b.liftAt,
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
      sql`SELECT f.complaints_12m::DOUBLE AS score, count(*) FILTER (WHERE p.object_id IS NOT NULL)::DOUBLE AS positives, count(*) FILTER (WHERE p.object_id IS NULL)::DOUBLE AS negatives
       FROM leaky f LEFT JOIN planted p ON p.object_id = f.object_id GROUP BY 1`,
    );
    expect(rocAuc(groups)!).toBeGreaterThan(0.95);
    // ... but the backtest's training rows, scores, tiers and figures are exactly the same as before
    const again = await backtest(t.db, { testYear: 2025 });
    expect(headline(again)).toEqual(headline(first));
  });

  it('names a missing truth file and a year without training data', async () => {
    await expect(backtest(t.db, { testYear: 2025, truthPath: join(t.dir, 'missing.csv') })).rejects.toThrow(/truth file .*missing\.csv does not exist/);
    await expect(backtest(t.db, { testYear: 2019 })).rejects.toThrow(/no training year/);
  });
});
