// /audit: the chain status equals GET /api/audit/verify; a task's trail lists the same entries as
// GET /api/audit?subject=<task>, in order; operators see no chain check and only their department's trails.
import { describe, it, expect } from 'vitest';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

describe.skipIf(!CHROMIUM)('audit page', () => {
  const fx = useFairdraw();

  it('shows the chain status and a task\'s trail as the API gives them', async () => {
    const api = await apiAs(fx.app, 'leader');
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/audit', { as: 'leader' });
    console.log(`render /audit: ${renderMs} ms`);
    await page.waitForSelector('[data-testid=chain-status]');
    const chain = await api.get('/api/audit/verify');
    expect(chain.ok).toBe(true);
    expect(await page.locator('[data-testid=chain-status]').getAttribute('data-ok')).toBe('true');
    expect(await page.locator('[data-testid=chain-status]').textContent()).toContain(chain.entries.toLocaleString('zh-CN'));

    await page.selectOption('[data-testid=task-select]', 'T2026-0001');
    await page.waitForSelector('[data-testid=trail-table]');
    const trail = await api.get('/api/audit?subject=T2026-0001&limit=2000');
    expect(trail.entries.map((e: { action: string }) => e.action).slice(0, 4)).toEqual(['task.create', 'draw.commit', 'draw.beacon', 'draw.run']);
    const shown = await page.locator('[data-testid=trail-table] tbody td[data-key=seq]').allTextContents();
    expect(shown.map(Number)).toEqual(trail.entries.map((e: { seq: number }) => e.seq));
    const actions = await page.locator('[data-testid=trail-table] tbody [data-action]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-action')));
    expect(actions).toEqual(trail.entries.map((e: { action: string }) => e.action));
    expect(new URL(page.url()).searchParams.get('task')).toBe('T2026-0001');
    await screenshot(page, 'audit');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('limits an operator to its own department: no chain check, another department\'s trail refused', async () => {
    const own = await openPage(fx.browser, fx.app, '/audit?task=T2026-0001', { as: 'operator-samr', ready: '[data-testid=trail-table]' });
    await own.page.waitForSelector('[data-testid=chain-not-allowed]');
    expect(own.consoleErrors).toEqual([]);
    await own.page.context().close();

    const other = await openPage(fx.browser, fx.app, '/audit?task=T2026-0001', { as: 'operator-tax', ready: '[data-state=forbidden]' });
    expect(await other.page.locator('[data-state=forbidden]').textContent()).toMatch(/TAX/);
    expect(other.consoleErrors.filter((e) => !/403/.test(e))).toEqual([]);
    await other.page.context().close();
  });
});
