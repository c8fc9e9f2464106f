import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { fixtureDb } from '../policy/test-support.ts';
import { computeAlerts, severityOf } from './alerts.ts';
import { binomialUpperTail, hypergeometricUpperTail, noncentralHypergeometricUpperTail } from './stats.ts';

const AS_OF = '2026-10-31'; // a Saturday; week 0 is 2026-10-25..31, the window 2026-09-06..10-31
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

async function entities(q: Queryable, prefix: string, region: string, industry: string, count: number): Promise<void> {
  await q.exec(
    sql`INSERT INTO objects (id, object_kind, name, entity_type, region_code, industry_code, established_on, status, responsible_departments)
     SELECT ${prefix} || i, 'entity', ${prefix} || i, 'individual', ${region}, ${industry}, DATE '2010-01-01', 'active', ['SAMR'] FROM range(${count}) t(i)`,
  );
}

/** `perWeek` complaints about entity PREFIX0 in each of the weeks [fromWeek, toWeek) before AS_OF, at noon Shanghai. */
async function weekly(q: Queryable, prefix: string, region: string, fromWeek: number, toWeek: number, perWeek: number, category = 'complaint'): Promise<void> {
  await q.exec(
    sql`INSERT INTO complaints (complaint_id, object_id, received_at, region_code, category, topic)
     SELECT ${prefix} || '-' || ${category} || '-' || w || '-' || k, ${prefix} || '0',
            (CAST(CAST(${AS_OF} AS DATE) - CAST(7 * w + k % 7 AS INTEGER) AS TIMESTAMP) + INTERVAL 12 HOUR) AT TIME ZONE 'Asia/Shanghai',
            ${region}, ${category}, 'test'
     FROM range(${fromWeek}, ${toWeek}) a(w), range(${perWeek}) b(k)`,
  );
}

async function complaint(q: Queryable, id: string, objectId: string | null, region: string, receivedAt: string): Promise<void> {
  await q.exec(sql`INSERT INTO complaints (complaint_id, object_id, received_at, region_code, category, topic) VALUES (${id}, ${objectId}, CAST(${receivedAt} AS TIMESTAMPTZ), ${region}, 'complaint', 'test')`);
}

/**
 * Hand-built complaints (weeks counted back from 2026-10-31):
 *   440305 南山区 H: 2 a week in the 52 baseline weeks, 6 a week in the 8 window weeks, plus three at the edges
 *     (one on 09-05 23:59:59, the last baseline second; one on 09-06 00:00:00 and one at 09-05 16:30 UTC = 09-06
 *     00:30 in Shanghai, both window) and one on 2025-09-06, a day before the baseline starts: obs 50, base 105.
 *   440303 罗湖区 H: 2 a week throughout (obs 16, base 104), plus 50 consultations and 50 tickets naming no entity
 *     in the window, both left out.
 *   441900 东莞市 H (no districts): 1 a week (obs 8, base 52): a city cell only.
 */
async function handBuilt(q: Queryable): Promise<void> {
  await entities(q, 'NS-H-', '440305', 'H', 1);
  await entities(q, 'LH-H-', '440303', 'H', 1);
  await entities(q, 'DG-H-', '441900', 'H', 1);
  await weekly(q, 'NS-H-', '440305', 8, 60, 2);
  await weekly(q, 'NS-H-', '440305', 0, 8, 6);
  await complaint(q, 'edge-1', 'NS-H-0', '440305', '2026-09-05 23:59:59+08:00');
  await complaint(q, 'edge-2', 'NS-H-0', '440305', '2026-09-06 00:00:00+08:00');
  await complaint(q, 'edge-3', 'NS-H-0', '440305', '2026-09-05 16:30:00+00:00');
  await complaint(q, 'edge-4', 'NS-H-0', '440305', '2025-09-06 23:00:00+08:00');
  await weekly(q, 'LH-H-', '440303', 0, 60, 2);
  await weekly(q, 'LH-H-', '440303', 0, 1, 50, 'consultation');
  for (let i = 0; i < 50; i++) await complaint(q, `anon-${i}`, null, '440303', '2026-10-20 10:00:00+08:00');
  await weekly(q, 'DG-H-', '441900', 0, 60, 1);
  await complaint(q, 'last', 'DG-H-0', '441900', '2026-10-31 23:30:00+08:00'); // the reference date; week 0 of Dongguan: 2 that week
}

describe('computeAlerts on hand-built complaints', () => {
  // one database for the tests that only read the hand-built data
  let shared: Db;
  let dropShared: () => void;
  beforeAll(async () => {
    const t = await fixtureDb();
    await handBuilt(t.db);
    shared = t.db;
    dropShared = t.cleanup;
  });
  afterAll(() => dropShared());

  it('finds the rise, computes expected, ratio, p and q by hand, and rolls districts up into cities', async () => {
    const r = await computeAlerts(shared, { trend: 'none', includeTested: true });
    expect(r.asOf).toBe(AS_OF);
    expect(r.window).toEqual({ from: '2026-09-06', to: AS_OF, weeks: 8 });
    expect(r.baseline).toEqual({ from: '2025-09-07', to: '2026-09-05', weeks: 52 });

    // cells: districts 440305 H, 440303 H; cities 440300 H (both districts), 441900 H (Dongguan itself)
    const tested = r.tested!.map((c) => [c.level, c.regionCode, c.industryCode, c.observed, c.baselineCount]);
    expect(tested.sort()).toEqual(
      [
        ['city', '440300', 'H', 66, 209],
        ['city', '441900', 'H', 9, 52],
        ['district', '440303', 'H', 16, 104],
        ['district', '440305', 'H', 50, 105],
      ].sort(),
    );
    const p = {
      ns: binomialUpperTail(50, 155, 8 / 60),
      sz: binomialUpperTail(66, 275, 8 / 60),
      lh: binomialUpperTail(16, 120, 8 / 60),
      dg: binomialUpperTail(9, 61, 8 / 60),
    };
    // Benjamini-Hochberg over the 4 cells: ns and sz are far smaller than lh and dg
    const qNs = Math.min(p.ns * 4, p.sz * 2);
    const qSz = p.sz * 2;

    expect(r.alerts.map((a) => [a.kind, a.level, a.regionCode, a.industryCode])).toEqual([
      ['complaints', 'district', '440305', 'H'],
      ['complaints', 'city', '440300', 'H'],
    ]);
    const [ns, sz] = r.alerts;
    expect(ns.regionName).toEqual({ zh: '南山区', en: 'Nanshan District' });
    expect(ns.cityName.zh).toBe('深圳市');
    expect(ns.industryName.zh).toBe('住宿和餐饮业');
    expect(ns.observed).toBe(50);
    expect(ns.baselineCount).toBe(105);
    expect(ns.expected).toBeCloseTo((105 * 8) / 52, 12);
    expect(ns.ratio).toBeCloseTo(50 / ((105 * 8) / 52), 12);
    expect(ns.trend).toBe(1);
    expect(ns.pValue).toBeCloseTo(p.ns, 15);
    expect(ns.qValue).toBeCloseTo(qNs, 15);
    expect(ns.severity).toBe('high');
    expect(sz.expected).toBeCloseTo((209 * 8) / 52, 12);
    expect(sz.qValue).toBeCloseTo(qSz, 15);
    expect(sz.severity).toBe(severityOf(66 / ((209 * 8) / 52), qSz, 0.01));

    // the weekly series behind the alert: 60 weeks, oldest first, the edges in the right weeks
    expect(ns.series).toHaveLength(60);
    expect(ns.series[0]).toEqual({ weekStart: '2025-09-07', weekEnd: '2025-09-13', period: 'baseline', count: 2 });
    expect(ns.series[51]).toEqual({ weekStart: '2026-08-30', weekEnd: '2026-09-05', period: 'baseline', count: 3 });
    expect(ns.series[52]).toEqual({ weekStart: '2026-09-06', weekEnd: '2026-09-12', period: 'window', count: 8 });
    expect(ns.series[59]).toEqual({ weekStart: '2026-10-25', weekEnd: AS_OF, period: 'window', count: 6 });
    expect(ns.series.reduce((s, w) => s + (w.period === 'window' ? w.count : 0), 0)).toBe(50);
  });

  it('respects the minimum counts and the q threshold', async () => {
    expect((await computeAlerts(shared, { trend: 'none', minObserved: 51 })).alerts.map((a) => a.regionCode)).toEqual(['440300']);
    expect((await computeAlerts(shared, { trend: 'none', minBaseline: 106 })).alerts.map((a) => a.regionCode)).toEqual(['440300']);
    expect((await computeAlerts(shared, { trend: 'none', q: 1e-12 })).alerts).toEqual([]);
  });

  it('rejects settings that make no sense, naming them', async () => {
    await expect(computeAlerts(shared, { q: 2 })).rejects.toThrow(/q: 2 — a false discovery rate between 0 and 1/);
    await expect(computeAlerts(shared, { windowWeeks: 0 })).rejects.toThrow(/windowWeeks: 0/);
  });

  it('leaves no temporary table behind', async () => {
    await computeAlerts(shared);
    expect(await shared.query(sql`SELECT table_name FROM duckdb_tables() WHERE temporary`)).toEqual([]);
  });

  it('moves the expected value by the rest of the industry (the cell itself left out)', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    await handBuilt(t.db);
    // 天河区 H grows from 10 to 15 a week: the rest of industry H then has enough baseline (>= 200) to set the trend.
    await entities(t.db, 'TH-H-', '440106', 'H', 1);
    await weekly(t.db, 'TH-H-', '440106', 8, 60, 10);
    await weekly(t.db, 'TH-H-', '440106', 0, 8, 15);
    const r = await computeAlerts(t.db, { includeTested: true });
    const ns = r.alerts.find((a) => a.regionCode === '440305')!;
    // rest of H for 南山: 罗湖 16 / 104, 东莞 9 / 52, 天河 120 / 520 -> window 145 / 8 weeks over baseline 676 / 52 weeks
    const trend = 145 / 8 / (676 / 52);
    expect(ns.trend).toBeCloseTo(trend, 12);
    expect(ns.expected).toBeCloseTo(((105 * 8) / 52) * trend, 12);
    expect(ns.pValue).toBeCloseTo(binomialUpperTail(50, 155, (8 * trend) / (8 * trend + 52)), 15);
    // 天河 itself grew 1.5x, but the rest of H (南山's outbreak included) grew by more: no alert there
    expect(r.alerts.some((a) => a.regionCode === '440106' || a.regionCode === '440100')).toBe(false);
    // the province trend reported: all H complaints (Dongguan's extra one included), window over baseline per week
    expect(r.complaintTrend).toBeCloseTo((50 + 16 + 9 + 120) / 8 / ((105 + 104 + 52 + 520) / 52), 12);
  });

  it('returns an empty report on an empty database', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    const r = await computeAlerts(t.db);
    expect(r).toMatchObject({ asOf: null, window: null, alerts: [] });
  });

});

describe('computeAlerts on finding rates', () => {
  it('tests window findings against the baseline rate per visit (one object, day and task)', async () => {
    const t = await fixtureDb();
    cleanup = t.cleanup;
    await entities(t.db, 'TH-G-', '440106', 'G', 140);
    await complaint(t.db, 'asof', 'TH-G-0', '440106', `${AS_OF} 09:00:00+08:00`);
    // baseline: TH-G-0..99 inspected once, 20 of them with a finding; window: TH-G-100..139, 25 with a finding,
    // and TH-G-100 has a second result row the same day (same visit) that must not count twice.
    await t.db.exec(
      sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
       SELECT 'R' || i, 'TH-G-' || i,
              CASE WHEN i < 100 THEN DATE '2026-03-02' + CAST(i AS INTEGER) ELSE DATE '2026-09-07' + CAST(i - 100 AS INTEGER) END,
              'SAMR', 'SAMR-001',
              CASE WHEN i < 20 OR (i >= 100 AND i < 125) THEN 'FIXED' ELSE 'NO_PROBLEM' END, ['I1'], 'T-' || i
       FROM range(140) t(i)`,
    );
    await t.db.exec(sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref)
      VALUES ('R100b', 'TH-G-100', DATE '2026-09-07', 'SAMR', 'SAMR-002', 'FIXED', ['I1'], 'T-100')`);
    const r = await computeAlerts(t.db, { trend: 'none' });
    expect(r.alerts.map((a) => [a.kind, a.level, a.regionCode, a.industryCode])).toEqual([
      ['findings', 'district', '440106', 'G'],
      ['findings', 'city', '440100', 'G'],
    ]);
    const a = r.alerts[0];
    expect(a).toMatchObject({ observed: 25, windowVisits: 40, baselineVisits: 100, baselineCount: 20, windowRate: 25 / 40, baselineRate: 0.2, expected: 8 });
    expect(a.ratio).toBeCloseTo(25 / 8, 12);
    expect(a.pValue).toBeCloseTo(hypergeometricUpperTail(25, 140, 45, 40), 15);
    expect(a.pValue).toBeCloseTo(noncentralHypergeometricUpperTail(25, 40, 100, 45, 1), 15);
    expect(a.series.find((w) => w.weekStart === '2026-09-06')).toEqual({ weekStart: '2026-09-06', weekEnd: '2026-09-12', period: 'window', count: 6, visits: 6 });
  });
});
