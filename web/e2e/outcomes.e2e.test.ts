// 公示结果 /outcomes in the browser: totals equal GET /api/outcomes, the charts draw, filters narrow the page and the API
// agrees, a click on a chart drills down to the published results, operators are kept out, a city prints on one A4 page.
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

interface Group {
  key: string | null;
  results: number;
  findings: number;
}
interface Outcomes {
  totals: { results: number; findings: number; entities: number; findingsRate: number | null };
  byItem: Group[];
  byCity: Group[];
}

async function shownTotals(page: Page) {
  const value = async (id: string) => Number(await page.locator(`[data-testid=${id}]`).getAttribute('data-value'));
  return { results: await value('outcomes-results'), findings: await value('outcomes-findings'), entities: await value('outcomes-entities'), findingsRate: await value('outcomes-findings-rate') };
}

const totalsOf = (o: Outcomes) => ({ results: o.totals.results, findings: o.totals.findings, entities: o.totals.entities, findingsRate: o.totals.findingsRate });

describe.skipIf(!CHROMIUM)('/outcomes 公示结果', () => {
  const fx = useFairdraw({ apiAs: 'analyst' });

  it('shows the totals the API computes, draws every chart, and lists the published results', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/outcomes', { as: 'leader' });
    console.log(`render /outcomes: ${renderMs} ms`);
    const outcomes = await fx.api.get<Outcomes>('/api/outcomes');
    expect(outcomes.totals.results).toBeGreaterThan(0);
    expect(await shownTotals(page)).toEqual(totalsOf(outcomes));
    for (const chart of ['item', 'department', 'city', 'industry', 'tier', 'problems', 'month'])
      await page.waitForSelector(`[data-testid=chart-${chart}] [data-testid=chart][data-rendered=true]`);
    expect(await page.locator('[data-testid=outcomes-by-item] tbody tr').count()).toBe(outcomes.byItem.length);
    const drill = await fx.api.get<{ total: number }>('/api/outcomes/results?limit=1');
    await page.waitForSelector('[data-testid=drill-total]');
    expect(Number(await page.locator('[data-testid=drill-total]').getAttribute('data-value'))).toBe(drill.total);
    expect(await page.locator('[data-testid=outcomes-drill] tbody tr').count()).toBe(Math.min(50, drill.total));
    await screenshot(page, 'outcomes');
    expect(consoleErrors).toEqual([]);
  });

  it('narrows to a city with the filter; the numbers follow the API', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/outcomes', { as: 'analyst' });
    const all = await fx.api.get<Outcomes>('/api/outcomes');
    const city = all.byCity[0].key!;
    await page.waitForSelector(`[data-testid=filter-city] option[value="${city}"]`, { state: 'attached' });
    await page.selectOption('[data-testid=filter-city]', city);
    await page.waitForURL((url) => url.searchParams.get('city') === city);
    await page.waitForSelector(`[data-ready][data-filters*='"city":"${city}"']`);
    const narrowed = await fx.api.get<Outcomes>(`/api/outcomes?city=${city}`);
    expect(await shownTotals(page)).toEqual(totalsOf(narrowed));
    expect(narrowed.totals.results).toBe(all.byCity[0].results);
    expect(consoleErrors).toEqual([]);
  });

  it('drills down to an item when its bar is clicked', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/outcomes', { as: 'analyst' });
    const all = await fx.api.get<Outcomes>('/api/outcomes');
    await page.waitForSelector('[data-testid=chart-item] [data-testid=chart][data-rendered=true]');
    await page.locator('[data-testid=chart-item] svg .mark-rect path').first().dispatchEvent('click');
    const item = all.byItem[0];
    await page.waitForSelector('[data-testid=drill-clear-item]');
    const drill = await fx.api.get<{ total: number }>(`/api/outcomes/results?itemCode=${item.key}&limit=1`);
    expect(drill.total).toBe(item.results);
    await expect.poll(async () => Number(await page.locator('[data-testid=drill-total]').getAttribute('data-value'))).toBe(item.results);
    const items = await page.locator('[data-testid=outcomes-drill] td[data-key=item_name_zh]').allTextContents();
    expect(items.every((text) => text.startsWith(`${item.key} `))).toBe(true);
    // Findings only: the count follows the API.
    await page.selectOption('[data-testid=drill-finding]', 'true');
    const findings = await fx.api.get<{ total: number }>(`/api/outcomes/results?itemCode=${item.key}&finding=true&limit=1`);
    await expect.poll(async () => Number(await page.locator('[data-testid=drill-total]').getAttribute('data-value'))).toBe(findings.total);
    expect(findings.total).toBe(item.findings);
    expect(consoleErrors).toEqual([]);
  });

  it('keeps operators out', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/outcomes', { as: 'operator-samr' });
    expect(await page.locator('[data-testid=no-access]').count()).toBe(1);
    expect(consoleErrors).toEqual([]);
  });

  it('prints a city as one A4 page without the menu', async () => {
    const all = await fx.api.get<Outcomes>('/api/outcomes');
    const city = all.byCity[0].key!;
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, `/outcomes?city=${city}`, { as: 'leader' });
    await page.waitForSelector(`[data-ready][data-filters*='"city":"${city}"']`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=outcomes-by-item]').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length).toBe(1);
    expect(consoleErrors).toEqual([]);
  });
});
