import { describe, it, expect, vi } from 'vitest';
import type { CityCoverage, DepartmentCoverage, TierCoverage } from '$engine/api/types';
import { i18n } from '$lib/i18n.svelte';
import { alertLevels, deadlineSpec, kpiChange, kpiDrawnTarget, kpiStatus, labelPoint, loadCityShapes, mapSpec, splitIdle, tierSpec } from './overview';

type Values<R> = { data: { values: R[] } };
const labels = { title: 'city', coverage: 'coverage', alert: 'alert', alertLevels: ['none', 'low', 'medium', 'high'] as [string, string, string, string], drawn: 'drawn', entities: 'entities' };

/** Twice the signed area of a ring in lon/lat: positive counter-clockwise. */
const area = (ring: number[][]) => ring.slice(0, -1).reduce((sum, p, i) => sum + p[0] * ring[i + 1][1] - ring[i + 1][0] * p[1], 0);

describe('the map of the 21 cities', () => {
  it('winds every exterior ring clockwise and every hole counter-clockwise, as d3-geo reads them', async () => {
    const shapes = await loadCityShapes();
    expect(shapes).toHaveLength(21);
    for (const shape of shapes) {
      const polygons = shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates;
      for (const polygon of polygons) polygon.forEach((ring, i) => expect(area(ring) > 0, `${shape.properties.code} ring ${i}`).toBe(i > 0));
    }
  });

  it('keeps the highest alert severity per city', () => {
    const levels = alertLevels([
      { cityCode: '440300', severity: 'low' },
      { cityCode: '440300', severity: 'high' },
      { cityCode: '440100', severity: 'medium' },
    ]);
    expect([...levels]).toEqual([
      ['440300', 3],
      ['440100', 2],
    ]);
  });

  it('joins the coverage rows on the city code, named in the language shown', () => {
    const cities = [{ code: '440300', nameZh: '深圳市', nameEn: 'Shenzhen', coverageRate: null, entitiesDrawn: 40, entities: 1000 }] as CityCoverage[];
    const spec = mapSpec([], cities, 'alerts', new Map([['440300', 2]]), 'en', labels, '440300') as unknown as { layer: Array<{ transform: Array<{ from?: Values<unknown> }> }> };
    expect(spec.layer[0].transform[1].from?.data.values).toEqual([
      { code: '440300', name: 'Shenzhen', coverageRate: 0, entitiesDrawn: 40, entities: 1000, alertLevel: 2, alertLabel: 'medium', selected: true },
    ]);
  });
});

describe('the city names on the map', () => {
  it('sit inside each city, named in the language shown', async () => {
    const shapes = (await loadCityShapes()) as Array<{ properties: { code: string } }>;
    const shenzhen = shapes.find((s) => s.properties.code === '440300')!;
    const { lon, lat } = labelPoint(shenzhen as Parameters<typeof labelPoint>[0]);
    expect(lon).toBeGreaterThan(113.7);
    expect(lon).toBeLessThan(114.7);
    expect(lat).toBeGreaterThan(22.4);
    expect(lat).toBeLessThan(22.9);
    const cities = [{ code: '440300', nameZh: '深圳市', nameEn: 'Shenzhen' }] as CityCoverage[];
    const spec = mapSpec(shapes, cities, 'coverage', new Map(), 'zh', labels, null) as unknown as { layer: Array<Values<{ code: string; name: string }>> };
    expect(spec.layer[1].data.values.find((v) => v.code === '440300')?.name).toBe('深圳市');
  });
});

describe('the headline against its targets', () => {
  it('is on target from 95%, a little short from 80%, else well behind; no target, no verdict', () => {
    expect([kpiStatus(0.96, 1), kpiStatus(0.85, 1), kpiStatus(0.5, 1), kpiStatus(null, 1), kpiStatus(0.5, null)]).toEqual(['good', 'short', 'behind', null, null]);
    expect(kpiStatus(900, 1000)).toBe('short');
    expect(kpiDrawnTarget([{ target: 30 }, { target: 12 }] as TierCoverage[])).toBe(42);
    expect(kpiDrawnTarget([{ target: 0 }] as TierCoverage[])).toBeNull();
  });

  it('says the change since last month in percentage points for rates and whole numbers for counts', () => {
    vi.stubGlobal('localStorage', { setItem: vi.fn() });
    vi.stubGlobal('document', { documentElement: { lang: '' } });
    i18n.lang = 'en';
    expect(kpiChange(0.8, 0.75, 'rate')).toEqual({ text: '+5.0 pp since last month', up: true });
    expect(kpiChange(14, 22, 'count')).toEqual({ text: '−8 since last month', up: false });
    expect(kpiChange(0.5, 0.5, 'rate')).toEqual({ text: 'no change since last month', up: null });
    expect(kpiChange(null, 0.5, 'rate')).toBeNull();
    i18n.lang = 'zh';
    expect(kpiChange(8 / 13, 0.5, 'rate')?.text).toBe('较上月 +11.5 个百分点');
    vi.unstubAllGlobals();
  });

  it('folds departments with nothing this year away from the table', () => {
    const zero = { itemsCovered: 0, tasks: 0, entitiesDrawn: 0, resultsDue: 0 };
    const [active, idle] = splitIdle([{ code: 'SAMR', ...zero, tasks: 2 }, { code: 'WATER', ...zero }] as DepartmentCoverage[]);
    expect([active.map((d) => d.code), idle.map((d) => d.code)]).toEqual([['SAMR'], ['WATER']]);
  });
});

describe('the coverage charts', () => {
  it('compare each tier drawn and inspected with its target share', () => {
    const tiers = [{ tier: 'D', drawnShare: 0.3, drawn: 30, inspectedShare: null, inspected: 0, targetBp: 3000 }] as TierCoverage[];
    const spec = tierSpec(tiers, { tier: 'tier', drawn: 'drawn', target: 'target', inspected: 'inspected' }) as unknown as Values<unknown>;
    expect(spec.data.values).toEqual([
      { tier: 'D', measure: 'drawn', share: 0.3, count: 30, target: 0.3 },
      { tier: 'D', measure: 'inspected', share: 0, count: 0, target: 0.3 },
    ]);
  });

  it('stack results due per department, leaving out departments with none due', () => {
    const departments = [
      { nameZh: '市场监管局', nameEn: 'SAMR', resultsDue: 10, publishedOnTime: 5, publishedLate: 2, overdue: 1, open: 2 },
      { nameZh: '税务局', nameEn: 'Tax', resultsDue: 0, publishedOnTime: 0, publishedLate: 0, overdue: 0, open: 0 },
    ] as DepartmentCoverage[];
    const spec = deadlineSpec(departments, 'zh', { onTime: 'on time', late: 'late', overdue: 'overdue', open: 'open' }) as unknown as Values<{ department: string; results: number }>;
    expect(spec.data.values.map((r) => [r.department, r.results])).toEqual([
      ['市场监管局', 5],
      ['市场监管局', 2],
      ['市场监管局', 1],
      ['市场监管局', 2],
    ]);
  });
});
