// 风险预警 /alerts in the browser: the list equals GET /api/alerts, the planted Nanshan x catering outbreak is shown,
// its evidence chart draws, its special-draw link carries region and industry; operators get the no-access state.
import { describe, it, expect } from 'vitest';
import { CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

const NANSHAN_CATERING = 'complaints:440305:H';

interface Alert {
  id: string;
  observed: number;
  expected: number;
  regionCode: string;
  industryCode: string;
}

describe.skipIf(!CHROMIUM)('/alerts 风险预警', () => {
  const fx = useFairdraw({ apiAs: 'leader' });

  it('lists what the API finds, shows the Nanshan catering evidence and a special draw for it', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/alerts', { as: 'leader' });
    console.log(`render /alerts: ${renderMs} ms`);
    const report = await fx.api.get<{ alerts: Alert[]; cache: { hit: boolean } }>('/api/alerts?windowWeeks=8&q=0.01&minObserved=10');
    expect(report.cache.hit).toBe(true); // the page asked first: same settings, same data version

    const ids = await page.locator('[data-testid=alert-table] [data-alert-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')));
    expect(ids).toEqual(report.alerts.map((a) => a.id));
    const observed = await page.locator('[data-testid=alert-table] td[data-key=observed]').allTextContents();
    expect(observed.map((s) => Number(s.replace(/,/g, '')))).toEqual(report.alerts.map((a) => a.observed));
    const expected = await page.locator('[data-testid=alert-table] td[data-key=expected]').allTextContents();
    expected.forEach((s, i) => expect(Number(s.replace(/,/g, ''))).toBeCloseTo(report.alerts[i].expected, 1));
    expect(ids).toContain(NANSHAN_CATERING);

    const row = page.locator('[data-testid=alert-table] tbody tr', { has: page.locator(`[data-alert-id="${NANSHAN_CATERING}"]`) });
    expect(await row.locator('td[data-key=regionCode]').textContent()).toContain('南山区');
    await row.locator('[data-testid=select-alert]').click();
    await page.waitForSelector(`[data-testid=evidence][data-alert-id="${NANSHAN_CATERING}"] [data-testid=chart][data-rendered=true]`);
    const nanshan = report.alerts.find((a) => a.id === NANSHAN_CATERING)!;
    expect(Number((await page.locator('[data-testid=evidence-observed]').textContent())!.replace(/,/g, ''))).toBe(nanshan.observed);
    expect(await page.locator('[data-testid=evidence] svg .mark-rect path, [data-testid=evidence] svg .mark-area path').count()).toBeGreaterThan(0);

    const href = await row.locator('[data-testid=special-draw]').getAttribute('href');
    const link = new URL(href!, fx.app.baseUrl);
    expect(link.pathname).toBe('/tasks/new');
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ kind: 'special', region: '440305', industry: 'H', ratioBp: '3000' });
    expect(link.searchParams.get('reason')).toMatch(/南山区.*住宿和餐饮业|南山区/);
    expect(await page.locator('[data-testid=special-draw]').count()).toBe(report.alerts.length);
    await screenshot(page, 'alerts');
    expect(consoleErrors).toEqual([]);
  });

  it('recomputes with other settings: the list follows the API', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/alerts', { as: 'analyst' });
    await page.fill('[data-testid=window-weeks]', '4');
    await page.selectOption('[data-testid=q]', '0.05');
    await page.fill('[data-testid=min-observed]', '5');
    await page.click('form button[type=submit]');
    const report = await fx.api.get<{ alerts: Alert[] }>('/api/alerts?windowWeeks=4&q=0.05&minObserved=5');
    await expect
      .poll(() => page.locator('[data-testid=alerts-summary]').textContent())
      .toMatch(new RegExp(`预警 ${report.alerts.length} 条`));
    const ids = await page.locator('[data-testid=alert-table] [data-alert-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')));
    expect(ids).toEqual(report.alerts.map((a) => a.id));
    expect(consoleErrors).toEqual([]);
  });

  it('shows an operator the no-access state', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/alerts', { as: 'operator-samr' });
    expect(await page.locator('[data-testid=no-access]').count()).toBe(1);
    expect(await page.locator('[data-testid=alert-table]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
