// Published outcomes of the fixture year (data/fixtures/coverage/year.sql): 12 published results, 6 of them findings
// (D1 objects 2, 4, 6; D5 51 SAMR-002 and 55; D6 32). Industry: even i H, odd i C. Tier: the stratum drawn in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOutcomes, countOutcomeResults, outcomesReport, outcomeResultsPage, type OutcomesReport } from './outcomes.ts';
import { coverageDb, YEAR } from './coverage.fixture.ts';

describe('published outcomes', () => {
  let t: Awaited<ReturnType<typeof coverageDb>>;
  let all: OutcomesReport;
  beforeAll(async () => {
    t = await coverageDb();
    all = await computeOutcomes(t.db, { year: YEAR });
  });
  afterAll(() => t.cleanup());

  const rows = (groups: OutcomesReport['byItem']) => groups.map((g) => [g.key, g.results, g.findings]);

  it('totals the published results and their findings', () => {
    expect(all.totals).toEqual({ results: 12, findings: 6, entities: 11, findingsRate: 0.5, firstInspectedOn: '2026-03-10', lastInspectedOn: '2026-06-08' });
  });

  it('gives the findings rate by item, department, city, industry, tier and month', () => {
    expect(rows(all.byItem)).toEqual([
      ['SAMR-001', 6, 3],
      ['SAMR-002', 3, 2],
      ['TAX-001', 2, 1],
      ['EMERGENCY-002', 1, 0],
    ]);
    expect(all.byItem[1]).toMatchObject({ nameZh: '特种设备使用单位检查', departmentCode: 'SAMR', findingsRate: 2 / 3 });
    expect(rows(all.byDepartment)).toEqual([
      ['SAMR', 9, 5],
      ['TAX', 2, 1],
      ['EMERGENCY', 1, 0],
    ]);
    expect(rows(all.byCity)).toEqual([
      ['440100', 2, 1],
      ['440300', 6, 3],
      ['441900', 4, 2],
    ]);
    expect(all.byCity[1]).toMatchObject({ nameZh: '深圳市', nameEn: 'Shenzhen' });
    expect(rows(all.byIndustry)).toEqual([
      ['C', 7, 2],
      ['H', 5, 4],
    ]);
    expect(all.byIndustry[1]).toMatchObject({ nameZh: '住宿和餐饮业', findingsRate: 0.8 });
    // Object 32 was drawn in D6's untiered stratum: its current tier (B) counts.
    expect(rows(all.byTier)).toEqual([
      ['A', 2, 1],
      ['B', 3, 2],
      ['C', 5, 2],
      ['D', 2, 1],
    ]);
    expect(rows(all.byMonth)).toEqual([
      ['2026-03', 3, 1],
      ['2026-04', 3, 2],
      ['2026-05', 4, 2],
      ['2026-06', 2, 1],
    ]);
  });

  it('ranks the problems found, alone and per item', () => {
    expect(all.problems.map((p) => [p.outcomeCode, p.results, p.share])).toEqual([
      ['FIXED', 3, 0.5],
      ['NOT_DISCLOSED', 1, 1 / 6],
      ['PENDING', 1, 1 / 6],
      ['UNREACHABLE', 1, 1 / 6],
    ]);
    expect(all.problems[0]).toMatchObject({ outcomeNameZh: '发现问题已责令改正' });
    expect(all.problemsByItem.map((p) => [p.outcomeCode, p.itemCode, p.results])).toEqual([
      ['FIXED', 'SAMR-001', 2],
      ['FIXED', 'SAMR-002', 1],
      ['NOT_DISCLOSED', 'SAMR-001', 1],
      ['PENDING', 'SAMR-002', 1],
      ['UNREACHABLE', 'TAX-001', 1],
    ]);
  });

  it('filters by city, tier, industry and department together', async () => {
    expect((await outcomesReport(t.db, { year: YEAR, city: '440300' })).totals).toMatchObject({ results: 6, findings: 3 });
    expect((await outcomesReport(t.db, { year: YEAR, tier: 'B' })).totals).toMatchObject({ results: 3, findings: 2 });
    const hSamr = await outcomesReport(t.db, { year: YEAR, industry: 'H', department: 'SAMR' });
    expect(hSamr.totals).toMatchObject({ results: 4, findings: 3, findingsRate: 0.75 });
    expect(rows(hSamr.byCity)).toEqual([
      ['440300', 3, 3],
      ['441900', 1, 0],
    ]);
    const none = await outcomesReport(t.db, { year: 2025 });
    expect(none.totals).toMatchObject({ results: 0, findings: 0, findingsRate: null });
    expect(none.byItem).toEqual([]);
  });

  it('pages through the matching published results, newest publication first', async () => {
    const query = { year: YEAR, finding: true, limit: 2, offset: 0 };
    expect(await countOutcomeResults(t.db, query)).toBe(6);
    const page = await t.db.query<{ result_id: string; tier: string; industry_name_zh: string; city_name_zh: string }>(outcomeResultsPage(query));
    expect(page.map((r) => r.result_id)).toEqual(['D2026-0005|91440300MA00000055|SAMR-002', 'D2026-0006|91440300MA00000032|TAX-001']);
    expect(page[0]).toMatchObject({ tier: 'D', industry_name_zh: '制造业', city_name_zh: '东莞市' });
    expect(await countOutcomeResults(t.db, { year: YEAR, itemCode: 'SAMR-001', month: '2026-04' })).toBe(3);
    expect(await countOutcomeResults(t.db, { year: YEAR, outcomeCode: 'FIXED', city: '440300' })).toBe(2);
  });
});
