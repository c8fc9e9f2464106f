// /portal/audit in the browser, signed out: the published audit heads as GET /api/public/audit-heads gives them, newest
// first, with the explanation and a download of the list; it fits a 390 px phone. The dashboard's audit page shows
// the same verdict on the heads and the bound rows as GET /api/audit/verify.
import { describe, it, expect } from 'vitest';
import { CHROMIUM, apiAs, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

interface HeadsPage {
  total: number;
  heads: Array<{ date: string; seq: number; hash: string; reason: string }>;
}

describe.skipIf(!CHROMIUM)('/portal/audit 审计链头', () => {
  const fx = useFairdraw();

  it('lists the published heads as the public API gives them, signed out, and fits a phone', async () => {
    const anonymous = await apiAs(fx.app);
    const api = await anonymous.get<HeadsPage>('/api/public/audit-heads?limit=50');
    // the demo's draws each published their commit and draw heads
    expect(api.heads.length).toBeGreaterThan(1);
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal/audit', { viewport: { width: 390, height: 844 }, ready: '[data-testid=heads-list]' });
    const shown = await page.locator('[data-testid=heads-list] li').evaluateAll((items) => items.map((li) => ({ seq: Number(li.getAttribute('data-seq')), hash: li.querySelector('.hash')!.textContent })));
    expect(shown).toEqual(api.heads.map((h) => ({ seq: h.seq, hash: h.hash })));
    expect(await page.locator('main').innerText()).toContain('fairdraw audit verify --heads');
    expect(await page.locator('[data-testid=heads-download]').getAttribute('href')).toBe('/api/public/audit-heads?limit=1000');
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    await screenshot(page, 'portal-audit-heads-390');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('the dashboard audit page shows the heads and bound rows verdict of GET /api/audit/verify', async () => {
    const leader = await apiAs(fx.app, 'leader');
    const verdict = await leader.get<{ ok: boolean; heads: { sources: Array<{ heads: number }> }; rows: { problems: unknown[] } }>('/api/audit/verify');
    expect(verdict).toMatchObject({ ok: true, rows: { problems: [] } });
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/audit', { as: 'leader', ready: '[data-testid=rows-status]' });
    const checked = verdict.heads.sources.reduce((n, s) => n + s.heads, 0);
    expect(await page.locator('[data-testid=heads-status]').innerText()).toContain(checked.toLocaleString('zh-CN'));
    expect(await page.locator('[data-testid=chain-status]').getAttribute('data-ok')).toBe('true');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});
