// Coverage and outcomes over HTTP on the fixture year (data/fixtures/coverage/year.sql, "today" 2026-07-15): who sees
// what (operators their own department), filters and their validation, Arrow for the drill-down, the portal's names.
import { sql } from '../db/sql.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { Caller } from '../auth/test-support.ts';
import { holdClock, testApi, type TestApi } from './test-support.ts';
import { coverageDb } from '../coverage/coverage.fixture.ts';
import { ARROW_STREAM } from './tabular.ts';

describe('coverage and outcomes over HTTP', () => {
  let t: Awaited<ReturnType<typeof coverageDb>>;
  let api: TestApi;
  beforeAll(async () => {
    t = await coverageDb();
    api = await testApi(t.db);
    holdClock(new Date('2026-07-15T10:00:00+08:00'));
  });
  afterAll(async () => {
    vi.useRealTimers();
    await api.close();
    t.cleanup();
  });

  const get = (caller: Caller, url: string, accept?: string) => api.call(caller, 'GET', url, undefined, accept ? { accept } : {});

  it("gives leaders this year's coverage of the province, by city and department", async () => {
    const response = await get('leader', '/api/coverage');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ year: 2026, today: '2026-07-15', department: null, city: null, policy: { version: 1, frequencyPerYear: 2 } });
    expect(report.headline).toMatchObject({ itemsInForce: 5, itemsCovered: 4, itemCoverageRate: 0.8, tasks: 3, jointTasks: 1, entitiesDrawn: 22, publishedOnTime: 10, overdue: 5, onTimeRate: 10 / 17 });
    expect(report.tiers.map((x: { tier: string; drawn: number; target: number }) => [x.tier, x.drawn, x.target])).toEqual([
      ['A', 7, 2],
      ['B', 5, 2],
      ['C', 6, 3],
      ['D', 4, 7],
    ]);
    expect(report.cities).toHaveLength(21);
    expect(report.cities.find((c: { code: string }) => c.code === '440300')).toMatchObject({ nameZh: '深圳市', entitiesDrawn: 10, coverageRate: 10 / 31 });
    expect(report.departments.map((d: { code: string }) => d.code)).toEqual(['EMERGENCY', 'HEALTH', 'SAMR', 'TAX']);
  });

  it("gives an operator its own department's view, and refuses another department's", async () => {
    const own = await get('operatorSAMR', '/api/coverage?year=2026');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ department: 'SAMR', headline: { tasks: 2, entitiesDrawn: 15, resultsDue: 14 } });
    expect(own.json().departments.map((d: { code: string }) => d.code)).toEqual(['SAMR']);
    expect((await get('operatorSAMR', '/api/coverage?department=SAMR')).json().department).toBe('SAMR');
    const other = await get('operatorSAMR', '/api/coverage?department=TAX');
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toMatch(/SAMR|TAX/);
    expect((await get('analyst', '/api/coverage?department=TAX')).json()).toMatchObject({ department: 'TAX', headline: { tasks: 1, resultsDue: 8 } });
  });

  it('narrows to a city, and names what is wrong with a bad filter', async () => {
    const city = await get('admin', '/api/coverage?city=440300');
    expect(city.statusCode).toBe(200);
    expect(city.json()).toMatchObject({ city: { code: '440300', nameZh: '深圳市' }, headline: { entities: 31, entitiesDrawn: 10, tasks: 2 } });
    const district = await get('admin', '/api/coverage?city=440305');
    expect(district.statusCode).toBe(400);
    expect(district.json().message).toMatch(/querystring\/city/);
    const unknown = await get('admin', '/api/coverage?city=449900');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/city = "449900".*prefecture-level/);
    expect((await get('admin', '/api/coverage?year=1999')).statusCode).toBe(400);
    expect((await get('admin', '/api/coverage?department=NOPE')).statusCode).toBe(400);
  });

  it('sees a change in the data on the next request', async () => {
    const before = (await get('leader', '/api/coverage')).json().headline;
    await t.db.exec(sql`UPDATE draw_results SET published_at = TIMESTAMPTZ '2026-07-15 09:00:00+08', updated_at = TIMESTAMPTZ '2026-07-15 09:00:00+08'
      WHERE draw_id = 'D2026-0006' AND object_id = '91440300MA00000033'`);
    const after = (await get('leader', '/api/coverage')).json().headline;
    expect([after.publishedLate, after.overdue]).toEqual([before.publishedLate + 1, before.overdue - 1]);
    await t.db.exec(sql`UPDATE draw_results SET published_at = NULL, updated_at = TIMESTAMPTZ '2026-07-15 09:30:00+08'
      WHERE draw_id = 'D2026-0006' AND object_id = '91440300MA00000033'`);
  });

  it("keeps 2026's targets when an analyst saves policy version 2: the new version applies to later years", async () => {
    const before = (await get('leader', '/api/coverage')).json();
    const saved = await api.call('analyst', 'POST', '/api/policy', { tierRatiosBp: { D: 5000 }, reason: '提高 D 类比例 raise tier D' });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().policy.version).toBe(2);
    const after = (await get('leader', '/api/coverage')).json();
    expect(after.policy.version).toBe(1);
    expect(after.tiers.map((x: { targetBp: number }) => x.targetBp)).toEqual(before.tiers.map((x: { targetBp: number }) => x.targetBp));
    const next = (await get('leader', '/api/coverage?year=2027')).json();
    expect(next.policy.version).toBe(2);
    expect(next.tiers.find((x: { tier: string }) => x.tier === 'D').targetBp).toBe(10000);
  });

  it('gives leaders and analysts the published outcomes with filters', async () => {
    const all = await get('analyst', '/api/outcomes');
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ filters: { year: 2026, city: null, tier: null }, totals: { results: 12, findings: 6, findingsRate: 0.5 } });
    expect(all.json().byTier.map((g: { key: string; results: number }) => [g.key, g.results])).toEqual([
      ['A', 2],
      ['B', 3],
      ['C', 5],
      ['D', 2],
    ]);
    expect(all.json().problems[0]).toMatchObject({ outcomeCode: 'FIXED', results: 3 });
    const filtered = await get('leader', '/api/outcomes?industry=H&department=SAMR');
    expect(filtered.json().totals).toMatchObject({ results: 4, findings: 3 });
    expect((await get('leader', '/api/outcomes?tier=E')).statusCode).toBe(400);
    expect((await get('operatorSAMR', '/api/outcomes')).statusCode).toBe(403);
  });

  it('pages the drill-down as JSON, or as Arrow when asked', async () => {
    const json = await get('leader', '/api/outcomes/results?finding=true&limit=4');
    expect(json.statusCode).toBe(200);
    const page = json.json();
    expect(page).toMatchObject({ total: 6, limit: 4, offset: 0 });
    expect(page.rows).toHaveLength(4);
    expect(page.rows[0]).toMatchObject({ result_id: 'D2026-0005|91440300MA00000055|SAMR-002', tier: 'D', is_finding: true, city_name_zh: '东莞市', published_at: '2026-07-10T02:00:00.000Z' });

    const arrow = await get('leader', '/api/outcomes/results?city=440300&limit=100', ARROW_STREAM);
    expect(arrow.statusCode).toBe(200);
    expect(arrow.headers['content-type']).toContain(ARROW_STREAM);
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.numRows).toBe(6);
    expect(table.schema.fields.map((f) => f.name)).toContain('outcome_code');
    expect(table.getChild('city_code')!.toArray().every((c: string) => c === '440300')).toBe(true);

    expect((await get('leader', '/api/outcomes/results?month=2026-13')).statusCode).toBe(400);
    expect((await get('leader', '/api/outcomes/results?limit=0')).statusCode).toBe(400);
  });

  it('gives the portal department, region and industry names without a login, and nothing internal', async () => {
    const response = await get('anonymous', '/api/public/reference');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.regions.filter((r: { level: string }) => r.level === 'city')).toHaveLength(21);
    expect(body.regions.find((r: { code: string }) => r.code === '440305')).toMatchObject({ nameZh: '南山区', level: 'district', parentCode: '440300' });
    expect(body.departments.find((d: { code: string }) => d.code === 'SAMR')).toEqual({ code: 'SAMR', nameZh: '市场监督管理局', nameEn: 'Administration for Market Regulation' });
    expect(body.industries).toHaveLength(20);
    expect(response.body).not.toMatch(/tier|inspector/i);
  });
});
