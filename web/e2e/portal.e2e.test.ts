// 公示 /portal in the browser, signed out: the item list, plans and draws equal the public API, a closed draw offers its
// verification files and checks its commitment in the browser, the search finds a published result by its code — and
// no tab ever shows a risk classification or an inspector's name, in Chinese or English.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, apiAs, openPage, screenshot, type ApiClient } from './harness.ts';
import { useFairdraw } from './fixture.ts';

const TIER_TEXT = /[ABCD]类|tier/i;

interface PublicDraw {
  id: string;
  status: string;
  published: boolean;
  commitment: string;
  digest: 'salted' | 'plain' | null;
}

describe.skipIf(!CHROMIUM)('/portal 公示', () => {
  const fx = useFairdraw();
  let anonymous: ApiClient;
  let inspectorNames: string[];
  beforeAll(async () => {
    anonymous = await apiAs(fx.app);
    // Every inspector named in the published draws' teams (the internal draw view names them).
    const admin = await apiAs(fx.app, 'admin');
    const draws = await anonymous.get<{ draws: PublicDraw[] }>('/api/public/draws?limit=100');
    const names = new Set<string>();
    for (const d of draws.draws.filter((x) => x.status === 'drawn')) {
      const detail = await admin.get<{ selection: { rows: Array<{ team: Array<{ inspectorName: string | null }> }> } }>(`/api/draws/${d.id}?limit=1000`);
      for (const row of detail.selection.rows) for (const m of row.team) if (m.inspectorName) names.add(m.inspectorName);
    }
    inspectorNames = [...names];
  });

  /** Nothing internal in what the page shows now: no risk classification, no inspector's name. */
  async function expectNothingInternal(page: Page) {
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(TIER_TEXT);
    const named = inspectorNames.filter((name) => text.includes(name));
    expect(named).toEqual([]);
  }

  it('works signed out: items, plans and draws as the public API gives them', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/portal?tab=items');
    console.log(`render /portal?tab=items: ${renderMs} ms`);
    expect(inspectorNames.length).toBeGreaterThan(10);
    const items = await anonymous.get<{ items: unknown[] }>('/api/public/items');
    await page.waitForSelector('[data-testid=portal-item-table] tbody tr');
    expect(await page.locator('[data-testid=portal-item-table] tbody tr').count()).toBe(items.items.length);
    await page.selectOption('[data-testid=portal-item-department]', 'TAX');
    const tax = await anonymous.get<{ items: unknown[] }>('/api/public/items?department=TAX');
    await expect.poll(() => page.locator('[data-testid=portal-item-table] tbody tr').count()).toBe(tax.items.length);
    await expectNothingInternal(page);
    // The department is in the address: a shared link opens the same list, the chooser set to it.
    await page.waitForURL((url) => url.searchParams.get('department') === 'TAX');
    const shared = await openPage(fx.browser, fx.app, page.url().replace(/^https?:\/\/[^/]+/, ''));
    await expect.poll(() => shared.page.locator('[data-testid=portal-item-table] tbody tr').count()).toBe(tax.items.length);
    await expect.poll(() => shared.page.locator('[data-testid=portal-item-department]').inputValue()).toBe('TAX');
    await shared.page.context().close();

    await page.click('[data-testid=portal-tab-plans]');
    const plans = await anonymous.get<{ plans: Array<{ tasks: unknown[] }> }>('/api/public/plans');
    await page.waitForSelector('[data-testid=portal-plan-tasks] tbody tr');
    expect(await page.locator('[data-testid=portal-plan-tasks] tbody tr').count()).toBe(plans.plans.reduce((n, p) => n + p.tasks.length, 0));
    await expectNothingInternal(page);

    await page.click('[data-testid=portal-tab-draws]');
    const draws = await anonymous.get<{ total: number; draws: PublicDraw[] }>('/api/public/draws?limit=100');
    await page.waitForSelector('[data-testid=portal-draw-table] tbody tr');
    expect(await page.locator('[data-testid=portal-draw-table] tbody tr').count()).toBe(draws.total);
    await expectNothingInternal(page);
    expect(consoleErrors).toEqual([]);
  });

  it('opens a closed tier-stratified draw: its public package to download, checked in the browser, no names', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal?tab=draws');
    const draws = await anonymous.get<{ draws: PublicDraw[] }>('/api/public/draws?limit=100');
    const closed = draws.draws.find((d) => d.published && d.status === 'drawn' && d.digest === 'salted')!;
    const open = draws.draws.find((d) => !d.published && d.status !== 'voided');
    expect(closed).toBeDefined();
    await page.click(`[data-testid=portal-draw-open][data-draw-id="${closed.id}"]`);
    await page.waitForSelector(`[data-testid=portal-draw-detail][data-draw-id="${closed.id}"]`);
    const links = await page.locator('[data-testid=draw-files] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['manifest.json', 'selected.csv'].map((f) => `/api/public/draws/${closed.id}/files/${f}`));
    const manifest = await fetch(`${fx.app.baseUrl}${links[0]}`);
    expect(manifest.status).toBe(200);
    expect((await manifest.json()).commitment).toBe(closed.commitment);
    await page.click('[data-testid=draw-check]');
    await page.waitForSelector('[data-testid=draw-check-result]');
    expect(await page.locator('[data-testid=draw-check-result]').getAttribute('data-ok')).toBe('true');
    await expectNothingInternal(page);
    await screenshot(page, 'portal-draw');

    if (open) {
      await page.click(`[data-testid=portal-draw-open][data-draw-id="${open.id}"]`);
      await page.waitForSelector(`[data-testid=portal-draw-detail][data-draw-id="${open.id}"]`);
      expect(await page.locator('[data-testid=draw-files]').count()).toBe(0);
      expect(await page.locator('[data-testid=draw-secret]').count()).toBe(0);
      expect(await page.locator('[data-testid=draw-commitment]').textContent()).toBe(open.commitment);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('explains how to verify a draw yourself', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal?tab=verify');
    const text = await page.locator('[data-testid=portal-verify]').innerText();
    expect(text).toContain('npx fairdraw draw verify DIR');
    for (const file of ['manifest.json', 'inspectors.csv', 'exclusions.csv', 'teams.csv', 'population.csv', 'selection.csv']) expect(text).toContain(file);
    expect(text).toContain('SHA-256');
    await expectNothingInternal(page);
    expect(consoleErrors).toEqual([]);
  });

  it('opens on the results search; the search is in the address, so back, forward and a shared link show it', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal', { viewport: { width: 390, height: 844 } });
    expect(await page.locator('[data-tab]').getAttribute('data-tab')).toBe('results');
    const any = await anonymous.get<{ results: Array<{ objectId: string }> }>('/api/public/results?limit=1');
    const code = any.results[0].objectId;
    await page.fill('[data-testid=portal-search]', code);
    await page.click('[data-testid=portal-search-submit]');
    await page.waitForSelector('[data-testid=portal-result-table] tbody tr');
    expect(new URL(page.url()).searchParams.get('q')).toBe(code);
    // The inspection and publication dates are on screen without scrolling, on a phone too.
    for (const key of ['inspectedOn', 'publishedAt']) {
      const box = (await page.locator(`[data-testid=portal-result-table] tbody tr:first-child td[data-key=${key}]`).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await page.goBack();
    await expect.poll(() => page.locator('[data-testid=portal-result-table]').count()).toBe(0);
    await page.goForward();
    await page.waitForSelector('[data-testid=portal-result-table] tbody tr');
    expect(await page.inputValue('[data-testid=portal-search]')).toBe(code);
    const shared = await openPage(fx.browser, fx.app, `/portal?tab=results&q=${code}`);
    await shared.page.waitForSelector('[data-testid=portal-result-table] tbody tr');
    expect(await shared.page.locator('[data-testid=portal-result-table] td[data-key=objectId]').first().textContent()).toBe(code);
    expect([...consoleErrors, ...shared.consoleErrors]).toEqual([]);
  });

  it('finds a published result by its credit code, and shows nothing internal in either language', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal?tab=results');
    const any = await anonymous.get<{ results: Array<{ objectId: string }> }>('/api/public/results?limit=1');
    const code = any.results[0].objectId;
    const expected = await anonymous.get<{ total: number; results: Array<{ objectId: string }> }>(`/api/public/results?q=${code}`);
    await page.fill('[data-testid=portal-search]', code);
    await page.click('[data-testid=portal-search-submit]');
    await page.waitForSelector('[data-testid=portal-result-table] tbody tr');
    expect(Number(await page.locator('[data-testid=portal-result-summary]').getAttribute('data-total'))).toBe(expected.total);
    const codes = await page.locator('[data-testid=portal-result-table] td[data-key=objectId]').allTextContents();
    expect(codes.length).toBe(expected.results.length);
    expect(codes.every((c) => c === code)).toBe(true);
    await expectNothingInternal(page);
    await screenshot(page, 'portal');

    // A broad search (every published result on the first page) and the English texts: still nothing internal.
    await page.fill('[data-testid=portal-search]', '');
    await page.click('[data-testid=portal-search-submit]');
    await page.waitForSelector('[data-testid=portal-result-table] tbody tr');
    await expectNothingInternal(page);
    await page.click('[data-testid=lang-switch]');
    for (const tab of ['items', 'plans', 'draws', 'verify', 'results']) {
      await page.click(`[data-testid=portal-tab-${tab}]`);
      await page.waitForSelector(`[data-tab=${tab}]`);
      await page.waitForLoadState('networkidle');
      await expectNothingInternal(page);
    }
    expect(consoleErrors).toEqual([]);
  });
});
