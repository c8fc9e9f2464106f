// Coverage of the fixture year (data/fixtures/coverage/year.sql), against answers worked out by hand from its rules:
// objects i = 1..60 (1-30 Shenzhen, 31-50 Guangzhou, 51-59 Dongguan active, 60 deregistered, 61 Shenzhen unscored),
// tier by i % 5 (0 D, 1 C, 2 B, 3-4 A); policy A 3%, B 5%, C 10%, D 30% twice a year; counted tasks T1 (SAMR, Shenzhen),
// T2 (SAMR + EMERGENCY, Dongguan), T3 (TAX, province); today 2026-07-15.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPopulation, buildYear, computeCoverage, coverageReport, dataFingerprint, monthBefore, CoverageInputError, type CoverageReport } from './coverage.ts';
import { coverageDb, TODAY, YEAR } from './coverage.fixture.ts';
import { CoverageStore } from './store.ts';
import { sql } from '../db/sql.ts';

describe('coverage of a year', () => {
  let t: Awaited<ReturnType<typeof coverageDb>>;
  let province: CoverageReport;
  beforeAll(async () => {
    t = await coverageDb();
    province = await computeCoverage(t.db, { year: YEAR, today: TODAY });
  });
  afterAll(() => t.cleanup());

  it('counts items in force and items with a task (全覆盖), departments, tasks and draws', () => {
    // In force in 2026: SAMR-001 (two versions, one item), SAMR-002, TAX-001, EMERGENCY-002, HEALTH-001; SAMR-003 expired
    // in 2025 and MEE-001 starts in 2027. Covered by T1..T3: all but HEALTH-001. T4 awaits approval, T2025 is last year's.
    expect(province.headline).toMatchObject({
      itemsInForce: 5,
      itemsCovered: 4,
      itemCoverageRate: 0.8,
      departmentsWithItems: 4,
      departmentsTakingPart: 3,
      departmentShare: 0.75,
      tasks: 3,
      jointTasks: 1,
      jointTaskShare: 1 / 3,
      tasksByKind: { general: 2, key: 1, special: 0 },
      draws: { drawn: 3, voided: 2, pending: 0 },
    });
    expect(province.policy).toEqual({ version: 1, frequencyPerYear: 2 });
  });

  it('counts distinct entities drawn (voided draws left out) and inspected, over active entities', () => {
    // Drawn: D1 1..10, D5 51..55, D6 31..36, 56 and 1 (already drawn in D1): 22. D2 was voided after drawing 12..14.
    // Inspected (a result entered): D1 1..8, D5 51, 52, 54, 55, D6 31..33: 15. Active entities: 31 + 20 + 9 = 60.
    expect(province.headline).toMatchObject({ entities: 60, entitiesDrawn: 22, entitiesInspected: 15, drawnShare: 22 / 60, inspectedShare: 15 / 60 });
  });

  it('counts entities covered by recognition apart, for drawn draws only, by city', async () => {
    expect(province.headline.entitiesRecognised).toBe(0);
    const copy = await coverageDb();
    try {
      // D1 (drawn, Shenzhen) left out 20 and 21 as recognised; D2 was voided, so its 22 does not count.
      await copy.db.exec(sql`INSERT INTO draw_recognised VALUES ('D2026-0001', '91440300MA00000020'), ('D2026-0001', '91440300MA00000021'), ('D2026-0002', '91440300MA00000022')`);
      expect((await computeCoverage(copy.db, { year: YEAR, today: TODAY })).headline).toMatchObject({ entitiesRecognised: 2, entitiesDrawn: 22 });
      expect((await computeCoverage(copy.db, { year: YEAR, today: TODAY, city: '440300' })).headline.entitiesRecognised).toBe(2);
      expect((await computeCoverage(copy.db, { year: YEAR, today: TODAY, city: '440100' })).headline.entitiesRecognised).toBe(0);
    } finally {
      copy.cleanup();
    }
  });

  it('judges every result due against its 20-working-day deadline', () => {
    // Due: D1 9 (object 10 unstaffed), D5 4 x 2 + 1 (EMERGENCY could not staff 55), D6 8 = 26.
    // On time: D1 1-5, D5 51 x 2 and 52 SAMR, D6 31, 32 = 10. Late: D1 6, D5 55 = 2.
    // Overdue: D1 7, 8 (entered, due passed) and 9 (never entered, latest due 2026-06-01), D5 52 EMERGENCY, D6 33 = 5.
    expect(province.headline).toMatchObject({
      resultsDue: 26,
      resultsEntered: 17,
      resultsPublished: 12,
      publishedOnTime: 10,
      publishedLate: 2,
      overdue: 5,
      open: 9,
      onTimeRate: 10 / 17,
      enteredRate: 17 / 26,
    });
  });

  it('gives the headline as it stood at the end of the same day last month, judged on that day', () => {
    // As of 2026-06-15 23:59: the same tasks and draws; 54 SAMR not yet entered (2026-07-01): 16 entered, 14 inspected.
    // Published by then: D1 1-5 and D5 51 x 2, 52 SAMR on time (8), D1 6 late (06-15 10:00). Overdue on 06-15: D1 7, 8, 9
    // and D5 52 EMERGENCY (4); D5 55 (due 06-17) and D6 31-33 (due July) were still open.
    expect(province.monthAgo.day).toBe('2026-06-15');
    expect(province.monthAgo.headline).toMatchObject({
      tasks: 3,
      itemsCovered: 4,
      entitiesDrawn: 22,
      entitiesInspected: 14,
      resultsDue: 26,
      resultsEntered: 16,
      resultsPublished: 9,
      publishedOnTime: 8,
      publishedLate: 1,
      overdue: 4,
      open: 13,
      onTimeRate: 8 / 13,
    });
  });

  it("leaves out of last month's headline the tasks approved and the draws made since", async () => {
    // On 2026-06-10, a month back is 2026-05-10: T3 (created 05-20) and its draw D6 (05-28) did not exist yet.
    const early = await computeCoverage(t.db, { year: YEAR, today: '2026-06-10' });
    expect(early.monthAgo.day).toBe('2026-05-10');
    expect(early.monthAgo.headline).toMatchObject({ tasks: 2, itemsCovered: 3, draws: { drawn: 2, voided: 1, pending: 0 }, entitiesDrawn: 15 });
    await buildYear(t.db, { year: YEAR, today: TODAY });
  });

  it('compares entities drawn per tier (the tier drawn in) with the yearly target', () => {
    // Targets (ratio x 2 rounds): A 6% of 24 -> 2, B 10% of 12 -> 2, C 20% of 12 -> 3, D 60% of 11 -> 7.
    // Object 9 (now A) was drawn as B; D6's ALL stratum takes the current tiers.
    expect(province.tiers.map(({ tier, targetBp, entities, target, drawn, inspected }) => ({ tier, targetBp, entities, target, drawn, inspected }))).toEqual([
      { tier: 'A', targetBp: 600, entities: 24, target: 2, drawn: 7, inspected: 5 },
      { tier: 'B', targetBp: 1000, entities: 12, target: 2, drawn: 5, inspected: 4 },
      { tier: 'C', targetBp: 2000, entities: 12, target: 3, drawn: 6, inspected: 4 },
      { tier: 'D', targetBp: 6000, entities: 11, target: 7, drawn: 4, inspected: 2 },
    ]);
    expect(province.tiers[3]).toMatchObject({ ratioBp: 3000, frequencyPerYear: 2, drawnShare: 4 / 11, attainment: 4 / 7 });
  });

  it('lists all 21 cities, with tasks that cover them by scope and the objects drawn there', () => {
    expect(province.cities).toHaveLength(21);
    const pick = (code: string) => {
      const c = province.cities.find((x) => x.code === code)!;
      return [c.entities, c.target, c.tasks, c.itemsCovered, c.entitiesDrawn, c.entitiesInspected, c.resultsDue, c.publishedOnTime, c.publishedLate, c.overdue, c.open];
    };
    expect(pick('440300')).toEqual([31, 8, 2, 2, 10, 8, 10, 5, 1, 3, 1]);
    expect(pick('440100')).toEqual([20, 6, 1, 1, 6, 3, 6, 2, 0, 1, 3]);
    expect(pick('441900')).toEqual([9, 4, 2, 3, 6, 4, 10, 3, 1, 1, 5]);
    // A city with no entities in the fixture: only the province-wide T3 covers it.
    expect(pick('440200')).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(province.cities.find((c) => c.code === '440300')).toMatchObject({ nameZh: '深圳市', coverageRate: 10 / 31, attainment: 10 / 8, onTimeRate: 5 / 9 });
    expect(province.cities.find((c) => c.code === '440200')!.coverageRate).toBeNull();
  });

  it('lists departments with items or tasks: items covered, tasks led and shared, results of their own items', () => {
    const rows = province.departments.map((d) => [d.code, d.itemsInForce, d.itemsCovered, d.tasks, d.leadTasks, d.jointTasks, d.entitiesDrawn, d.entitiesInspected, d.resultsDue, d.publishedOnTime, d.publishedLate, d.overdue, d.open]);
    expect(rows).toEqual([
      ['EMERGENCY', 1, 1, 1, 0, 1, 5, 2, 4, 1, 0, 1, 2],
      ['HEALTH', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      ['SAMR', 2, 2, 2, 2, 1, 15, 12, 14, 7, 2, 3, 2],
      ['TAX', 1, 1, 1, 1, 0, 8, 3, 8, 2, 0, 1, 5],
    ]);
    expect(province.departments.find((d) => d.code === 'HEALTH')).toMatchObject({ itemCoverageRate: 0, onTimeRate: null });
  });

  it("narrows to one department: its tasks, its items, its results (an operator's view)", async () => {
    const samr = await coverageReport(t.db, { year: YEAR, today: TODAY, department: 'SAMR' });
    expect(samr.department).toBe('SAMR');
    expect(samr.headline).toMatchObject({
      itemsInForce: 2,
      itemsCovered: 2,
      departmentsWithItems: 1,
      departmentsTakingPart: 1,
      tasks: 2,
      jointTasks: 1,
      draws: { drawn: 2, voided: 1, pending: 0 },
      entitiesDrawn: 15,
      entitiesInspected: 12,
      resultsDue: 14,
      publishedOnTime: 7,
      publishedLate: 2,
      overdue: 3,
      open: 2,
      onTimeRate: 7 / 12,
    });
    expect(samr.tiers.map((x) => [x.tier, x.drawn, x.inspected])).toEqual([
      ['A', 5, 4],
      ['B', 4, 3],
      ['C', 3, 3],
      ['D', 3, 2],
    ]);
    expect(samr.departments.map((d) => d.code)).toEqual(['SAMR']);
    expect(samr.cities.find((c) => c.code === '440100')).toMatchObject({ tasks: 0, entitiesDrawn: 0 });
  });

  it('narrows to one city: tasks whose scope covers it, its entities and their tier targets', async () => {
    const shenzhen = await coverageReport(t.db, { year: YEAR, today: TODAY, city: '440300' });
    expect(shenzhen.city).toEqual({ code: '440300', nameZh: '深圳市', nameEn: 'Shenzhen' });
    expect(shenzhen.headline).toMatchObject({
      itemsInForce: 5,
      itemsCovered: 2,
      departmentsTakingPart: 2,
      tasks: 2,
      jointTasks: 0,
      entities: 31,
      entitiesDrawn: 10,
      entitiesInspected: 8,
      resultsDue: 10,
      publishedOnTime: 5,
      publishedLate: 1,
      overdue: 3,
      open: 1,
    });
    expect(shenzhen.tiers.map((x) => [x.tier, x.entities, x.target, x.drawn, x.inspected])).toEqual([
      ['A', 12, 1, 3, 3],
      ['B', 6, 1, 3, 2],
      ['C', 6, 2, 2, 2],
      ['D', 6, 4, 2, 1],
    ]);
    expect(shenzhen.cities).toHaveLength(21);
    expect(shenzhen.departments.find((d) => d.code === 'TAX')).toMatchObject({ tasks: 1, entitiesDrawn: 1, resultsDue: 1, open: 1 });
  });

  it('counts another year on its own plans and items', async () => {
    await buildYear(t.db, { year: 2025, today: TODAY });
    const last = await coverageReport(t.db, { year: 2025, today: TODAY });
    // 2025: SAMR-001 v1, SAMR-002, SAMR-003, TAX-001, EMERGENCY-002, HEALTH-001 in force; T2025-0001 (SAMR-003) never drawn.
    expect(last.headline).toMatchObject({ itemsInForce: 6, itemsCovered: 1, tasks: 1, entitiesDrawn: 0, resultsDue: 0, onTimeRate: null });
    await buildYear(t.db, { year: YEAR, today: TODAY });
  });

  it('moves results from open to overdue as days pass', async () => {
    await buildYear(t.db, { year: YEAR, today: '2026-07-29' });
    const later = await coverageReport(t.db, { year: YEAR, today: '2026-07-29' });
    // D5's window closed 2026-06-30: results never entered were due by 2026-07-28; 54 SAMR (due 2026-07-29) is still open.
    expect(later.headline).toMatchObject({ overdue: 5 + 3, open: 9 - 3 });
    await buildYear(t.db, { year: YEAR, today: TODAY });
  });

  it('refuses a city that is not a prefecture-level city, and an unknown department', async () => {
    await expect(coverageReport(t.db, { year: YEAR, today: TODAY, city: '440305' })).rejects.toThrow(CoverageInputError);
    await expect(coverageReport(t.db, { year: YEAR, today: TODAY, city: '449900' })).rejects.toThrow(/prefecture-level/);
    await expect(coverageReport(t.db, { year: YEAR, today: TODAY, department: 'NOPE' })).rejects.toThrow(/department/);
  });

  it("freezes a year's targets with the policy in force for it: a version saved later applies to later years", async () => {
    await t.db.exec(
      sql`INSERT INTO sampling_policies VALUES (2, TIMESTAMPTZ '2026-08-01 10:00:00+08', 'analyst', '提高 D 类', '{"A":300,"B":500,"C":1000,"D":5000}', 2, 365, 3, 1.0, 24, 1, 100)`,
    );
    await buildYear(t.db, { year: YEAR, today: TODAY });
    const same = await coverageReport(t.db, { year: YEAR, today: TODAY });
    expect(same.policy.version).toBe(1);
    expect(same.tiers.map((x) => x.targetBp)).toEqual(province.tiers.map((x) => x.targetBp));
    await buildYear(t.db, { year: 2027, today: TODAY });
    const next = await coverageReport(t.db, { year: 2027, today: TODAY });
    expect(next.policy.version).toBe(2);
    expect(next.tiers.find((x) => x.tier === 'D')!.targetBp).toBe(10000);
    // No version was in force in 2025 nor saved during it: the documented default.
    await buildYear(t.db, { year: 2025, today: TODAY });
    expect((await coverageReport(t.db, { year: 2025, today: TODAY })).policy.version).toBe(0);
    await t.db.exec(sql`DELETE FROM sampling_policies WHERE version = 2`);
    await buildYear(t.db, { year: YEAR, today: TODAY });
  });

  it('gives an empty year without failing', async () => {
    await buildPopulation(t.db);
    await buildYear(t.db, { year: 2030, today: TODAY });
    const empty = await coverageReport(t.db, { year: 2030, today: TODAY });
    expect(empty.headline).toMatchObject({ tasks: 0, itemsCovered: 0, jointTaskShare: null, resultsDue: 0, onTimeRate: null });
    await buildYear(t.db, { year: YEAR, today: TODAY });
  });
});

describe('monthBefore', () => {
  it("steps back one month, to the shorter month's last day when needed, across a new year", () => {
    expect(monthBefore('2026-07-15')).toBe('2026-06-15');
    expect(monthBefore('2026-03-31')).toBe('2026-02-28');
    expect(monthBefore('2028-03-30')).toBe('2028-02-29');
    expect(monthBefore('2026-01-08')).toBe('2025-12-08');
  });
});

describe('coverage store', () => {
  let t: Awaited<ReturnType<typeof coverageDb>>;
  let store: CoverageStore;
  beforeAll(async () => {
    t = await coverageDb();
    store = await CoverageStore.open(t.db);
  });
  afterAll(async () => {
    await store.close();
    t.cleanup();
  });

  const publish = (objectNo: number, at: string) =>
    t.db.exec(sql`UPDATE draw_results SET published_at = ${at}::TIMESTAMPTZ, updated_at = ${at}::TIMESTAMPTZ
      WHERE draw_id = 'D2026-0001' AND object_id = printf('91440300MA%08d', ${objectNo}::INTEGER)`);

  it('answers from memory until the data changes, then recomputes', async () => {
    const first = await store.coverage({ year: YEAR, today: TODAY });
    expect(first).toMatchObject({ stale: false, headline: { publishedOnTime: 10 } });
    expect(await store.coverage({ year: YEAR, today: TODAY })).toBe(first);
    const before = await dataFingerprint(t.db);
    // Publishing D1 object 7 on 2026-07-15 (due 2026-05-22): one overdue result becomes a late one.
    await publish(7, '2026-07-15 09:00:00+08');
    expect((await dataFingerprint(t.db)).activity).not.toBe(before.activity);
    const after = await store.coverage({ year: YEAR, today: TODAY });
    expect(after).not.toBe(first);
    expect(after).toMatchObject({ stale: false, headline: { publishedOnTime: 10, publishedLate: 3, overdue: 4 } });
  });

  it('shares one computation between concurrent requests and keeps scopes apart', async () => {
    const [a, b, samr] = await Promise.all([
      store.coverage({ year: YEAR, today: TODAY, city: '441900' }),
      store.coverage({ year: YEAR, today: TODAY, city: '441900' }),
      store.coverage({ year: YEAR, today: TODAY, department: 'SAMR' }),
    ]);
    expect(a).toBe(b);
    expect(a.headline.entitiesDrawn).toBe(6);
    expect(samr.headline.entitiesDrawn).toBe(15);
  });

  it('forgets a failed computation', async () => {
    await expect(store.coverage({ year: YEAR, today: TODAY, city: '449900' })).rejects.toThrow(CoverageInputError);
    await expect(store.coverage({ year: YEAR, today: TODAY, city: '449900' })).rejects.toThrow(CoverageInputError);
  });

  it('gives the previous answer, marked stale, when a recomputation takes longer than it may wait', async () => {
    const impatient = await CoverageStore.open(t.db, { staleWaitMs: 0 });
    try {
      const first = await impatient.coverage({ year: YEAR, today: TODAY });
      await publish(8, '2026-07-15 10:00:00+08');
      const meanwhile = await impatient.coverage({ year: YEAR, today: TODAY });
      expect(meanwhile).toMatchObject({ stale: true, computedAt: first.computedAt, headline: first.headline });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const fresh = await impatient.coverage({ year: YEAR, today: TODAY });
      expect(fresh).toMatchObject({ stale: false, headline: { publishedLate: first.headline.publishedLate + 1, overdue: first.headline.overdue - 1 } });
    } finally {
      await impatient.close();
    }
  });
});
