// The auditor's journey: signed in as the demo auditor, the menu holds overview, tasks, outcomes and audit (no new
// task); on a drawn task the auditor verifies the draw, sees the verifier's report item by item and the attestation
// listed, and the public portal's draw card shows it by role and department (the API test checks the name never leaves the server).
import { describe, it, expect } from 'vitest';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

describe.skipIf(!CHROMIUM)('auditor journey', () => {
  const fx = useFairdraw();

  it('verifies a draw on its task page and finds the attestation on the public draw page', async () => {
    const draw = await (await apiAs(fx.app, 'auditor')).get('/api/draws/D2026-0001?limit=1');
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, `/tasks/${draw.taskId}`, { as: 'auditor' });
    const nav = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(nav).toEqual(['/', '/tasks', '/outcomes', '/audit', '/portal']);
    expect(await page.locator('[data-testid=new-task]').count()).toBe(0);
    await page.waitForSelector('[data-testid=export-auditor-zip]');
    await page.waitForSelector('[data-testid=no-attestations]');

    await page.click('[data-testid=attest-verify]');
    await page.waitForSelector('[data-testid=attest-report][data-result=pass]', { timeout: 60_000 });
    expect(await page.locator('[data-testid=attest-report] li').last().textContent()).toBe('fd2 verified');
    await page.waitForSelector('[data-testid=attestation][data-result=pass][data-source=dashboard]');
    expect(await page.locator('[data-testid=attestation]').count()).toBe(1);
    await screenshot(page, 'auditor-attestation');
    expect(consoleErrors).toEqual([]);
    await page.context().close();

    const portal = await openPage(fx.browser, fx.app, '/portal?tab=draws');
    await portal.page.click('[data-testid=portal-draw-open][data-draw-id="D2026-0001"]');
    await portal.page.waitForSelector('[data-testid=portal-attestation][data-result=pass]');
    const shown = await portal.page.locator('[data-testid=portal-attestations]').textContent();
    expect(shown).toMatch(/[0-9a-f]{64}/);
    expect(portal.consoleErrors).toEqual([]);
    await portal.page.context().close();
  });
});
