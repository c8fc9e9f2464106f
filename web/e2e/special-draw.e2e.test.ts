// The special-draw flow end to end: an alert's "special draw" (or /tasks/new with the same query string) -> the
// analyst creates the special task -> the leader approves -> the SAMR operator commits, enters the beacon, draws ->
// the teams are shown (equal to the API) and fd2 verifies. Screenshots: special-draw-form, special-draw-drawn.
import { describe, it, expect } from 'vitest';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';
import { shanghaiInputAfter } from '../src/lib/format.ts';

const shanghaiToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const FALLBACK_QUERY = `kind=special&region=440305&industry=H&ratioBp=3000&reason=${encodeURIComponent('区域风险预警：深圳市南山区 × 住宿和餐饮业 12345投诉上升 / Regional risk alert: Nanshan x catering complaints rising')}`;

describe.skipIf(!CHROMIUM)('special draw from an alert', () => {
  const fx = useFairdraw();

  // Longer than the suite's 120 s: the beacon cannot be entered before its declared due time (fd2 §1), up to two minutes.
  it('alert -> special task -> leader approves -> commit -> beacon -> draw -> teams', { timeout: 300_000 }, async () => {
    const today = shanghaiToday();
    const year = Number(today.slice(0, 4));
    const admin = await apiAs(fx.app, 'admin');
    // The demo's plan is for its year; a later run of this test needs a plan of the current year.
    const plans = (await admin.get('/api/plans')).plans as Array<{ id: string; year: number }>;
    if (!plans.some((p) => p.year === year))
      await admin.send('POST', '/api/plans', { year, jurisdictionRegionCode: '440000', leadDepartment: 'SAMR', name: `${year}年度广东省市场监管领域抽查工作计划` });

    // 1. The analyst follows the planted Nanshan catering alert's special-draw link (or opens the same pre-filled form if
    // the alerts page has none); other alerts of the generated province may name items few inspectors are qualified for.
    const alerts = await openPage(fx.browser, fx.app, '/alerts', { as: 'analyst' });
    const link = alerts.page.locator('[data-testid=special-draw][href*="region=440305"][href*="industry=H"]').first();
    const href = (await link.count()) > 0 ? await link.getAttribute('href') : null;
    await alerts.page.context().close();
    const path = href ?? `/tasks/new?${FALLBACK_QUERY}`;
    const params = new URL(path, fx.app.baseUrl).searchParams;
    expect(params.get('kind')).toBe('special');
    const region = params.get('region')!;
    const industry = params.get('industry')!;
    const ratioBp = Number(params.get('ratioBp'));

    const form = await openPage(fx.browser, fx.app, path, { as: 'analyst', ready: '[data-testid=task-form]' });
    console.log(`render /tasks/new (special): ${form.renderMs} ms`);
    const page = form.page;
    expect(await page.locator('[data-testid=kind-special]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid=regions]').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value))).toEqual([region]);
    expect(await page.locator('[data-testid=industries]').evaluate((s: HTMLSelectElement) => [...s.selectedOptions].map((o) => o.value))).toEqual([industry]);
    for (const tier of ['A', 'B', 'C', 'D']) expect(Number(await page.locator(`[data-testid=ratio-${tier}]`).inputValue()) * 100).toBeGreaterThanOrEqual(ratioBp);
    expect(await page.locator('[data-testid=name]').inputValue()).toMatch(/^专项抽查：/);
    await page.fill('[data-testid=window-start]', today);
    const end = new Date(`${today}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 30);
    await page.fill('[data-testid=window-end]', end.toISOString().slice(0, 4) === String(year) ? end.toISOString().slice(0, 10) : `${year}-12-31`);
    const plan = (await admin.get('/api/plans')).plans.find((p: { year: number }) => p.year === year);
    await page.selectOption('[data-testid=plan]', plan.id);
    // fd2 §1: the beacon must be due after the commitment; a one-minute least gap keeps the wait below two minutes.
    await page.fill('[data-testid=min-beacon-gap]', '1');
    // The alert's items come pre-checked (the leader's journey test checks them). Together their specialties leave the
    // Shenzhen pool too few SAMR inspectors for a team: the form says so before anything is created, with the counts.
    await page.click('[data-testid=create-task]');
    const refusal = await page.locator('[data-testid=form-error]').textContent({ timeout: 20_000 });
    expect(refusal).toMatch(/每组需 \d+ 人，但同时具备所选全部事项专长的合格执法人员仅 \d+ 人（仅 SAMR-\d+：\d+ 人/);
    expect(new URL(page.url()).pathname).toBe('/tasks/new');
    // This draw narrows to one item whose inspectors the pool holds at least two of, so every object gets its team.
    const checked = page.locator('input[type=checkbox][data-testid^=item-]:checked');
    while ((await checked.count()) > 0) await checked.first().uncheck();
    await page.check('[data-testid=item-SAMR-005]');
    await screenshot(page, 'special-draw-form');
    await page.click('[data-testid=create-task]');
    await page.waitForURL((url) => /^\/tasks\/T\d{4}-\d{4}$/.test(url.pathname), { timeout: 20_000 });
    const taskId = new URL(page.url()).pathname.split('/').pop()!;
    await page.waitForSelector('[data-testid=awaiting-approval]');
    expect(await page.locator('[data-testid=approve]').count()).toBe(0); // analysts propose, leaders approve
    expect(form.consoleErrors).toEqual([]);
    await page.context().close();

    const created = await admin.get(`/api/tasks/${taskId}`);
    expect(created).toMatchObject({ kind: 'special', status: 'awaiting_approval', createdBy: 'analyst', scope: { regions: [region], industries: [industry] } });

    // 2. The leader approves.
    const leader = await openPage(fx.browser, fx.app, `/tasks/${taskId}`, { as: 'leader', ready: '[data-testid=approve]' });
    await leader.page.click('[data-testid=approve]');
    await leader.page.waitForSelector('[data-testid=task-stage][data-stage=ready]');
    expect(await leader.page.locator('[data-testid=approved-by]').textContent()).toContain('leader');
    expect(leader.consoleErrors).toEqual([]);
    await leader.page.context().close();

    // 3. The SAMR operator commits, enters the beacon and draws.
    const operator = await openPage(fx.browser, fx.app, `/tasks/${taskId}`, { as: 'operator-samr', ready: '[data-testid=commit]' });
    const op = operator.page;
    await op.fill('[data-testid=beacon-source]', '深证成份指数收盘价 / SZSE Component Index close');
    // A due time two minutes on (minute precision): at least the task's one-minute gap after the commitment.
    await op.fill('[data-testid=beacon-due]', shanghaiInputAfter(2));
    await op.click('[data-testid=commit]');
    await op.waitForSelector('[data-testid=draw][data-status=committed]', { timeout: 30_000 });
    expect(await op.locator('[data-testid=beacon-countdown]').getAttribute('data-due')).toBe('later');
    expect(await op.locator('[data-testid=beacon-submit]').isDisabled()).toBe(true);
    // The page counts down; the value is entered once the due time has come (the server refuses it earlier).
    await op.waitForSelector('[data-testid=beacon-countdown][data-due=now]', { timeout: 150_000 });
    expect(await op.locator('[data-testid=commitment]').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await op.locator('[data-testid=population-digest]').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await op.fill('[data-testid=beacon-input]', `深证成指 ${today} 收盘 10234.56`);
    await op.click('[data-testid=beacon-submit]');
    await op.waitForSelector('[data-testid=draw][data-status=beaconed]');
    await op.click('[data-testid=run]');
    await op.waitForSelector('[data-testid=draw][data-status=drawn]', { timeout: 30_000 });
    const drawId = await op.locator('[data-testid=draw]').getAttribute('data-draw-id');

    const detail = await (await apiAs(fx.app, 'operator-samr')).get(`/api/draws/${drawId}?limit=100`);
    expect(detail.counts.selected).toBeGreaterThan(0);
    const shown = await op.locator('[data-testid=teams-table] tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({
        objectId: row.querySelector('[data-object-id]')?.getAttribute('data-object-id'),
        team: [...row.querySelectorAll('[data-inspector-id]')].map((m) => m.getAttribute('data-inspector-id')),
      })),
    );
    expect(shown).toEqual(detail.selection.rows.map((r: { objectId: string; team: Array<{ inspectorId: string }> }) => ({ objectId: r.objectId, team: r.team.map((m) => m.inspectorId) })));
    await op.waitForSelector('[data-testid=verified-badge][data-verified=true]', { timeout: 30_000 });
    await screenshot(op, 'special-draw-drawn');
    expect(operator.consoleErrors).toEqual([]);
    await op.context().close();
  });
});
