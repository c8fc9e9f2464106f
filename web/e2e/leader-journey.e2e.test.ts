// Journey 1 as one leader account: sign in, the overview's inbox names a high alert no task answers, one click opens
// its evidence, one more the special task pre-filled from it (region, industry, items, ratio, plain public name), one
// more creates it approved as the leader's; then the SAMR operator's inbox lists it ready to draw. At most 5 clicks
// after sign-in. Screenshots: leader-inbox, leader-special-task, operator-inbox, and each page this journey changed at
// 1440 and 390 px in Chinese and English (journey-<page>-<width>-<lang>).
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

const NANSHAN_CATERING = 'complaints:440305:H';
const shanghaiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe.skipIf(!CHROMIUM)('the leader journey', () => {
  const fx = useFairdraw();

  it('overview -> alert -> special task approved as the leader in at most 5 clicks -> the operator\'s inbox', async () => {
    const year = Number(shanghaiToday().slice(0, 4));
    const admin = await apiAs(fx.app, 'admin');
    // The demo's plan is for its year; a later run needs a plan of the current year (set-up, not part of the journey).
    const plans = (await admin.get('/api/plans')).plans as Array<{ year: number }>;
    if (!plans.some((p) => p.year === year))
      await admin.send('POST', '/api/plans', { year, jurisdictionRegionCode: '440000', leadDepartment: 'SAMR', name: `${year}年度广东省市场监管领域抽查工作计划` });

    const context = await fx.browser.newContext({ baseURL: fx.app.baseUrl, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    let clicks = 0;
    const click = async (p: Page, selector: string) => {
      clicks++;
      await p.click(selector);
    };

    await page.goto('/login');
    await page.fill('input[name=username]', 'leader');
    await page.fill('input[name=password]', fx.app.passwords.leader);
    await page.click('button[type=submit]'); // signing in is not counted
    const started = Date.now();
    const alertItem = `[data-testid=inbox-item][data-source=alert][data-subject="${NANSHAN_CATERING}"]`;
    await page.waitForSelector(alertItem, { timeout: 60_000 });
    await screenshot(page, 'leader-inbox');

    await click(page, alertItem);
    await page.waitForSelector(`[data-testid=evidence][data-alert-id="${NANSHAN_CATERING}"]`);
    expect(await page.locator('[data-testid=alerts-age]').getAttribute('data-age-days')).toMatch(/^\d+$/);
    await click(page, '[data-testid=special-draw-selected]');
    await page.waitForSelector('[data-testid=task-form]');
    expect(await page.locator('[data-testid=kind-special]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid=regions]').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value))).toEqual(['440305']);
    expect(await page.locator('[data-testid=industries]').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value))).toEqual(['H']);
    expect(await page.locator('[data-testid=item-SAMR-005]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid=public-name]').inputValue()).toBe(`${year}年南山区住宿和餐饮业专项抽查`);
    await page.waitForSelector('[data-testid=alert-evidence]');
    await screenshot(page, 'leader-special-task');
    // The alert's items together leave the district's pool short of a SAMR team: the form says so and offers to keep
    // the items a team can be staffed for, in one click.
    await click(page, '[data-testid=create-task]');
    await page.waitForSelector('[data-testid=form-error]');
    await click(page, '[data-testid=keep-staffable]');
    await page.waitForSelector('[data-testid=narrowed]');
    await click(page, '[data-testid=create-task]');
    await page.waitForURL((url) => /^\/tasks\/T\d{4}-\d{4}$/.test(url.pathname), { timeout: 30_000 });
    await page.waitForSelector('[data-testid=task-stage][data-stage=ready]');
    expect(await page.locator('[data-testid=approved-by]').textContent()).toContain('leader');
    const elapsedS = (Date.now() - started) / 1000;
    console.log(`leader journey: ${clicks} clicks, ${elapsedS.toFixed(1)} s from the overview to the approved task`);
    expect(clicks).toBeLessThanOrEqual(5);
    expect(consoleErrors).toEqual([]);
    const taskId = new URL(page.url()).pathname.split('/').pop()!;
    await context.close();

    const task = await admin.get(`/api/tasks/${taskId}`);
    expect(task).toMatchObject({ kind: 'special', status: 'ready', createdBy: 'leader', approvedBy: 'leader', publicName: `${year}年南山区住宿和餐饮业专项抽查`, alertEvidence: { alertId: NANSHAN_CATERING, severity: 'high' } });
    const trail = await admin.get(`/api/audit?subject=${taskId}`);
    expect(trail.entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`)).toEqual(['task.create leader', 'task.approve leader']);
    // The public sees the plain name only: no q-value, no counts, no alert wording.
    const publicTask = (await (await apiAs(fx.app)).get('/api/public/plans')).plans.flatMap((p: { tasks: Array<{ id: string; name: string }> }) => p.tasks).find((t: { id: string }) => t.id === taskId);
    expect(publicTask.name).toBe(`${year}年南山区住宿和餐饮业专项抽查`);

    // The lead department's operator finds it in the inbox (on /tasks, where operators land), ready to draw; the alert is answered for the leader.
    const operator = await openPage(fx.browser, fx.app, '/tasks', { as: 'operator-samr', ready: `[data-testid=inbox-item][data-subject="${taskId}"]` });
    expect(await operator.page.locator(`[data-testid=inbox-item][data-subject="${taskId}"]`).getAttribute('data-source')).toBe('ready_to_commit');
    await screenshot(operator.page, 'operator-inbox');
    expect(operator.consoleErrors).toEqual([]);
    await operator.page.context().close();
    const leaderInbox = await (await apiAs(fx.app, 'leader')).get('/api/inbox');
    expect(leaderInbox.items.map((i: { subject: string }) => i.subject)).not.toContain(NANSHAN_CATERING);
  });

  it('shows the pages it changed at 1440 and 390 px, in Chinese and in English', async () => {
    const pages: Array<{ name: string; path: string; as: 'leader' | 'analyst' | 'operator-samr'; ready: string }> = [
      { name: 'overview', path: '/', as: 'leader', ready: '[data-testid=inbox] ul, [data-testid=inbox-empty]' },
      { name: 'alerts', path: '/alerts', as: 'leader', ready: '[data-testid=alerts-age]' },
      { name: 'special-task', path: `/tasks/new?kind=special&region=440305&industry=H&ratioBp=3000&item=SAMR-005&alert=${encodeURIComponent(NANSHAN_CATERING)}`, as: 'leader', ready: '[data-testid=task-form]' },
      { name: 'ratios', path: '/ratios', as: 'analyst', ready: '[data-testid=slider-A]' },
      { name: 'tasks', path: '/tasks', as: 'operator-samr', ready: '[data-testid=inbox]' },
    ];
    for (const lang of ['zh', 'en'] as const)
      for (const width of [1440, 390]) {
        for (const p of pages) {
          const opened = await openPage(fx.browser, fx.app, p.path, { as: p.as, viewport: { width, height: width > 500 ? 900 : 844 }, ready: p.ready });
          if (lang === 'en') {
            await opened.page.evaluate(() => localStorage.setItem('fairdraw.lang', 'en'));
            await opened.page.reload();
            await opened.page.waitForSelector(p.ready, { timeout: 60_000 });
          }
          expect(await opened.page.locator('html').getAttribute('lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
          await screenshot(opened.page, `journey-${p.name}-${width}-${lang}`);
          expect(opened.consoleErrors).toEqual([]);
          await opened.page.context().close();
        }
      }
  });
});
