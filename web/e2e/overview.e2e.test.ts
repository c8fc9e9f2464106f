// 总览 / in the browser: the headline numbers equal GET /api/coverage, the charts and the map of the 21 cities draw,
// a click on a city narrows the page to it, the map switches to alert levels, an operator sees its own department,
// and the page prints as one A4 page with the menu hidden.
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, apiAs, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

interface Headline {
  itemsInForce: number;
  itemsCovered: number;
  itemCoverageRate: number | null;
  departmentsWithItems: number;
  departmentsTakingPart: number;
  departmentShare: number | null;
  tasks: number;
  jointTasks: number;
  jointTaskShare: number | null;
  entitiesDrawn: number;
  entitiesInspected: number;
  onTimeRate: number | null;
  overdue: number;
}
interface Coverage {
  year: number;
  department: string | null;
  city: { code: string } | null;
  headline: Headline;
  monthAgo: { day: string; headline: Headline };
  cities: Array<{ code: string; entitiesDrawn: number }>;
  departments: Array<{ code: string; itemsCovered: number; tasks: number; entitiesDrawn: number; resultsDue: number }>;
}

const SHENZHEN = '440300';

/** The numbers the page shows (their data-value attributes), keyed like the API's headline. */
async function shownHeadline(page: Page): Promise<Record<string, number | null>> {
  const ids: Record<string, string> = {
    itemsInForce: 'overview-items-in-force',
    itemsCovered: 'overview-items-covered',
    itemCoverageRate: 'overview-item-coverage',
    departmentsWithItems: 'overview-departments-with-items',
    departmentsTakingPart: 'overview-departments-taking-part',
    tasks: 'overview-tasks',
    jointTasks: 'overview-joint-tasks',
    jointTaskShare: 'overview-joint-share',
    entitiesDrawn: 'overview-entities-drawn',
    entitiesInspected: 'overview-entities-inspected',
    onTimeRate: 'overview-on-time-rate',
    overdue: 'overview-overdue',
  };
  const out: Record<string, number | null> = {};
  for (const [key, id] of Object.entries(ids)) {
    const value = await page.locator(`[data-testid=${id}]`).getAttribute('data-value');
    out[key] = value === null || value === '' ? null : Number(value);
  }
  return out;
}

const expectedHeadline = (h: Headline) => ({
  itemsInForce: h.itemsInForce,
  itemsCovered: h.itemsCovered,
  itemCoverageRate: h.itemCoverageRate,
  departmentsWithItems: h.departmentsWithItems,
  departmentsTakingPart: h.departmentsTakingPart,
  tasks: h.tasks,
  jointTasks: h.jointTasks,
  jointTaskShare: h.jointTaskShare,
  entitiesDrawn: h.entitiesDrawn,
  entitiesInspected: h.entitiesInspected,
  onTimeRate: h.onTimeRate,
  overdue: h.overdue,
});

/** Pages of an A4 PDF of the page as it prints, once its charts have drawn (as a person would print it). */
async function printedPages(page: Page): Promise<number> {
  for (const chart of ['overview-map', 'overview-tier-chart', 'overview-deadline-chart'])
    await page.waitForSelector(`[data-testid=${chart}] [data-testid=chart][data-rendered=true]`, { state: 'attached' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

describe.skipIf(!CHROMIUM)('/ 总览', () => {
  const fx = useFairdraw({ apiAs: 'leader' });

  it('shows the coverage the API computes, its charts and the map of the 21 cities', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/', { as: 'leader' });
    console.log(`render /: ${renderMs} ms`);
    const report = await fx.api.get<Coverage>('/api/coverage');
    expect(report.headline.tasks).toBeGreaterThanOrEqual(4);
    expect(await shownHeadline(page)).toEqual(expectedHeadline(report.headline));
    expect(await page.locator('[data-testid=overview-item-coverage]').textContent()).toBe(`${((report.headline.itemCoverageRate ?? 0) * 100).toFixed(1)}%`);
    // Every headline card says its change since the same day last month, from the API's headline as it stood then
    // (a rate with no figure in either month has none).
    const rates = ['itemCoverageRate', 'departmentShare', 'jointTaskShare', 'onTimeRate'] as const;
    const comparable = rates.filter((k) => report.headline[k] !== null && report.monthAgo.headline[k] !== null).length;
    expect(await page.locator('[data-testid=kpi-change]').count()).toBe(2 + comparable);
    const drawnChange = report.headline.entitiesDrawn - report.monthAgo.headline.entitiesDrawn;
    expect(await page.locator('.metric:has([data-testid=overview-entities-drawn]) [data-testid=kpi-change]').textContent()).toContain(
      drawnChange === 0 ? '与上月持平' : `较上月 ${drawnChange > 0 ? '+' : '−'}${Math.abs(drawnChange).toLocaleString('en')}`,
    );

    await page.waitForSelector('[data-testid=overview-map] [data-testid=chart][data-rendered=true]');
    await page.waitForSelector('[data-testid=overview-tier-chart] [data-testid=chart][data-rendered=true]');
    await page.waitForSelector('[data-testid=overview-deadline-chart] [data-testid=chart][data-rendered=true]');
    const cityShapes = await page.locator('[data-testid=overview-map] svg path[data-selectable]').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-selectable')));
    expect(new Set(cityShapes).size).toBe(21);
    expect(cityShapes).toContain(SHENZHEN);
    // Each city is drawn as itself: a small part of the map, not the whole frame (a ring wound the wrong way would be).
    const shares = await page.locator('[data-testid=overview-map] svg path[data-selectable]').evaluateAll((paths) => {
      const frame = (paths[0] as SVGGraphicsElement).ownerSVGElement!.getBoundingClientRect();
      return paths.map((p) => {
        const box = p.getBoundingClientRect();
        return (box.width * box.height) / (frame.width * frame.height);
      });
    });
    expect(Math.max(...shares)).toBeLessThan(0.35);

    expect(await page.locator('[data-testid=overview-cities] tbody tr').count()).toBe(21);
    // Departments with nothing this year fold into one expandable line.
    const idle = report.departments.filter((d) => d.itemsCovered === 0 && d.tasks === 0 && d.entitiesDrawn === 0 && d.resultsDue === 0);
    expect(await page.locator('[data-testid=overview-departments] tbody tr').count()).toBe(report.departments.length - idle.length);
    if (idle.length) expect(await page.locator('[data-testid=overview-idle-departments] summary').textContent()).toContain(String(idle.length));
    expect(await page.locator('[data-testid=overview-tiers] tbody tr').count()).toBe(4);
    await screenshot(page, 'overview');
    // By keyboard: each city is a button named by the city and its coverage; Tab reaches it and Enter opens it.
    const zhuhai = page.locator('[data-testid=overview-map] svg path[data-selectable="440400"]');
    expect(await zhuhai.getAttribute('role')).toBe('button');
    expect(await zhuhai.getAttribute('aria-label')).toMatch(/^珠海市：抽查覆盖率 \d+\.\d%$/);
    await zhuhai.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-selectable'))).toBe('440400');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-ready][data-city="440400"]');
    expect(consoleErrors).toEqual([]);
  });

  it('opens a city when it is clicked on the map, with that city’s numbers', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/', { as: 'leader' });
    await page.waitForSelector('[data-testid=overview-map] [data-testid=chart][data-rendered=true]');
    await page.locator(`[data-testid=overview-map] svg path[data-selectable="${SHENZHEN}"]`).first().dispatchEvent('click');
    await page.waitForURL((url) => url.searchParams.get('city') === SHENZHEN);
    await page.waitForSelector(`[data-ready][data-city="${SHENZHEN}"]`);
    const city = await fx.api.get<Coverage>(`/api/coverage?city=${SHENZHEN}`);
    expect(city.city?.code).toBe(SHENZHEN);
    expect(await shownHeadline(page)).toEqual(expectedHeadline(city.headline));
    expect(await page.locator('[data-testid=overview-city-scope]').textContent()).toBe('深圳市');
    // Back to the province from the button; the table's city links open a city too.
    await page.click('[data-testid=overview-clear-city]');
    await page.waitForSelector('[data-ready][data-city=""]');
    await page.locator('[data-testid=overview-cities] tbody tr a', { hasText: '广州市' }).click();
    await page.waitForSelector('[data-ready][data-city="440100"]');

    await screenshot(page, 'overview-city');
    expect(consoleErrors).toEqual([]);
  });

  it('colours the map by alert level on request: Shenzhen carries the planted Nanshan alert', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/', { as: 'analyst' });
    await page.click('[data-testid=map-mode-alerts]');
    await page.waitForSelector('[data-testid=overview-map][data-mode=alerts] [data-testid=chart][data-rendered=true]');
    const alerts = await fx.api.get<{ alerts: Array<{ cityCode: string; severity: string }> }>('/api/alerts');
    expect(alerts.alerts.some((a) => a.cityCode === SHENZHEN)).toBe(true);
    const fill = (code: string) => page.locator(`[data-testid=overview-map] svg path[data-selectable="${code}"]`).first().getAttribute('fill');
    const quiet = await fx.api.get<Coverage>('/api/coverage').then((r) => r.cities.find((c) => !alerts.alerts.some((a) => a.cityCode === c.code))!.code);
    expect(await fill(SHENZHEN)).not.toBe(await fill(quiet));
    expect(consoleErrors).toEqual([]);
  });

  it("gives an operator its own department's view", async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/', { as: 'operator-samr' });
    const operator = await apiAs(fx.app, 'operator-samr');
    const own = await operator.get<Coverage>('/api/coverage');
    expect(own.department).toBe('SAMR');
    expect(await page.locator('[data-testid=overview-department]').textContent()).toContain('SAMR');
    expect(await shownHeadline(page)).toEqual(expectedHeadline(own.headline));
    expect(consoleErrors).toEqual([]);
  });

  it('prints a city as one A4 page without the menu', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, `/?city=${SHENZHEN}`, { as: 'leader' });
    await page.waitForSelector(`[data-ready][data-city="${SHENZHEN}"]`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=overview-map]').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=overview-departments]').isVisible()).toBe(true);
    expect(await printedPages(page)).toBe(1);
    // The whole province prints on one page too (page.pdf follows the emulated media: keep it 'print').
    await page.goto('/');
    await page.waitForSelector('[data-ready][data-city=""]');
    expect(await printedPages(page)).toBe(1);
    expect(consoleErrors).toEqual([]);
  });
});
