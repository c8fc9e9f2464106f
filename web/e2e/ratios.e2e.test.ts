// 抽查比例 /ratios in the browser: the preview shows what POST /api/policy/preview answers for the sliders' ratios,
// a moved slider changes k, saving adds a version to the history, the backtest charts draw; leaders read only,
// operators get the no-access state.
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, openPage, screenshot, type ApiClient } from './harness.ts';
import { useFairdraw } from './fixture.ts';

const TIERS = ['A', 'B', 'C', 'D'] as const;
type Ratios = Record<(typeof TIERS)[number], number>;
const keyOf = (r: Ratios) => TIERS.map((t) => `${t}=${r[t]}`).join(',');
const number = (text: string | null) => Number((text ?? '').replace(/[,\s×%]/g, ''));

/** The preview table as numbers, one object per tier row (A..D in order). */
async function shownPreview(page: Page) {
  return page.locator('[data-testid=preview-table] tbody tr').evaluateAll((rows) =>
    rows.map((row) => Object.fromEntries(Array.from(row.querySelectorAll('td')).map((td) => [td.getAttribute('data-key'), td.textContent?.trim() ?? '']))),
  );
}

async function expectPreviewEquals(page: Page, api: ApiClient, ratios: Ratios) {
  await page.waitForSelector(`[data-testid=preview][data-key="${keyOf(ratios)}"]:not([data-busy])`);
  const expected = await api.send<{ tiers: Array<Record<string, number | null>>; totals: Record<string, number>; warnings: Array<{ code: string }> }>(
    'POST',
    '/api/policy/preview',
    { tierRatiosBp: ratios },
  );
  const shown = await shownPreview(page);
  expect(shown.map((r) => r.tier)).toEqual([...TIERS]);
  expected.tiers.forEach((tier, i) => {
    for (const field of ['activeEntities', 'inBurdenWindow', 'eligible', 'k', 'kPerYear', 'notInspected3y', 'atCap']) expect(number(shown[i][field]), `${tier.tier} ${field}`).toBe(tier[field]);
    expect(number(shown[i].expectedFindingsPerYear)).toBeCloseTo(tier.expectedFindingsPerYear ?? NaN, 1);
    expect(number(shown[i].inspectorDaysPerYear)).toBeCloseTo(tier.inspectorDaysPerYear ?? NaN, 1);
  });
  expect(number(await page.locator('[data-testid=total-k]').textContent())).toBe(expected.totals.kPerRound);
  expect(number(await page.locator('[data-testid=days-needed]').textContent())).toBeCloseTo(expected.totals.inspectorDaysNeeded, 1);
  expect(number(await page.locator('[data-testid=days-capacity]').textContent())).toBeCloseTo(expected.totals.capacityDays, 1);
  expect(number(await page.locator('[data-testid=total-not3y]').textContent())).toBe(expected.totals.notInspected3y);
  const over = expected.totals.inspectorDaysNeeded > expected.totals.capacityDays;
  expect(await page.locator('[data-testid=capacity-warning]').count()).toBe(over ? 1 : 0);
  // The preview's warnings, one per code the API gives, in Chinese only (the page is in Chinese).
  const warnings = await page.locator('[data-testid=preview-warnings] li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-code'), li.textContent ?? '']));
  expect(warnings.map(([code]) => code)).toEqual(expected.warnings.map((w) => w.code));
  for (const [, text] of warnings) expect(text).not.toMatch(/[A-Za-z]{4,}/);
  return expected;
}

describe.skipIf(!CHROMIUM)('/ratios 抽查比例', () => {
  const fx = useFairdraw({ apiAs: 'analyst' });

  it('previews what the API computes, follows a moved slider, draws the backtest, saves a version into the history', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/ratios', { as: 'analyst' });
    console.log(`render /ratios: ${renderMs} ms`);
    const { policy } = await fx.api.get<{ policy: { version: number; tierRatiosBp: Ratios } }>('/api/policy');
    await expectPreviewEquals(page, fx.api, policy.tierRatiosBp);

    // The backtest of the current model: lift curve and hit rate per tier, AUC as the API has it.
    await page.waitForSelector('[data-testid=chart][data-rendered=true] >> nth=1');
    const model = (await fx.api.get<{ models: Array<{ version: number; current: boolean; metrics: { auc: number } }> }>('/api/models')).models.find((m) => m.current)!;
    expect(number(await page.locator('[data-testid=bt-auc]').textContent())).toBeCloseTo(model.metrics.auc, 3);
    const backtest = await fx.api.get<{ source: string; liftCurve: unknown[] }>(`/api/models/${model.version}/backtest`);
    expect(backtest.source).toBe('curve');
    expect(backtest.liftCurve.length).toBeGreaterThan(10);
    // Beside the model, the logistic regression on its features and the best single feature; calibration and segments.
    const figures = await fx.api.get<{ auc: number; baselines: { logistic: { auc: number } }; tiers: unknown[]; segments: unknown[] }>(`/api/models/${model.version}/backtest`);
    const aucs = await page.locator('[data-testid=backtest-baselines] tbody td[data-key=auc]').allTextContents();
    expect(aucs).toHaveLength(3);
    expect(number(aucs[0])).toBeCloseTo(figures.auc, 3);
    expect(number(aucs[1])).toBeCloseTo(figures.baselines.logistic.auc, 3);
    expect(await page.locator('[data-testid=backtest-tiers] tbody tr').count()).toBe(figures.tiers.length);
    expect(await page.locator('[data-testid=backtest-segments] tbody tr').count()).toBe(figures.segments.length);
    await screenshot(page, 'ratios');

    // Moving the C slider changes C's k, and the page again shows what the API computes for the new ratios.
    const kBefore = number((await shownPreview(page))[2].k);
    const moved = { ...policy.tierRatiosBp, C: policy.tierRatiosBp.C + 1500 };
    await page.locator('[data-testid=slider-C]').evaluate((el, value) => {
      const input = el as HTMLInputElement;
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, moved.C);
    const after = await expectPreviewEquals(page, fx.api, moved);
    expect(after.tiers[2].k).toBeGreaterThan(kBefore);
    expect(number((await shownPreview(page))[2].k)).toBe(after.tiers[2].k);

    // Typing a ratio (in percent) works the same way; each tier's slider spans a range that suits it.
    const typed = { ...moved, D: 5000 };
    await page.fill('[data-testid=ratio-input-D]', '50');
    expect(await page.locator('[data-testid=slider-A]').getAttribute('max')).toBe('750');
    await expectPreviewEquals(page, fx.api, typed);

    // A ratio below the policy's floor (1%: every entity keeps a known chance of being drawn) is refused on the page.
    expect(await page.locator('[data-testid=tier-floor]').textContent()).toContain('1%');
    await page.fill('[data-testid=ratio-input-A]', '0.5');
    await expect.poll(() => page.locator('.sliders [role=alert]').textContent()).toContain('1%');
    expect(await page.locator('[data-testid=save-policy]').isDisabled()).toBe(true);
    await page.fill('[data-testid=ratio-input-A]', String(typed.A / 100));
    await expectPreviewEquals(page, fx.api, typed);

    // Save with a reason: a new version appears at the top of the history, authored by the analyst.
    const reason = `浏览器测试：C 级提高到 ${moved.C / 100}%，D 级 50%`;
    await page.fill('[data-testid=save-reason]', reason);
    await page.click('[data-testid=save-policy]');
    await expect.poll(() => page.locator('[data-testid=save-message]').textContent()).toContain(`${policy.version + 1}`);
    await expect.poll(() => page.locator('[data-testid=policy-history] tbody tr:first-child td[data-key=version]').textContent()).toBe(String(policy.version + 1));
    expect(await page.locator('[data-testid=policy-history] tbody tr:first-child td[data-key=reason]').textContent()).toBe(reason);
    const versions = (await fx.api.get<{ versions: Array<{ version: number; author: string; tierRatiosBp: Ratios }> }>('/api/policy/versions')).versions;
    expect(versions[0]).toMatchObject({ version: policy.version + 1, author: 'analyst', tierRatiosBp: typed });
    expect(await page.locator('[data-testid=policy-history] tbody tr').count()).toBe(versions.length);
    expect(await page.locator('[data-testid=save-policy]').isDisabled()).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('fits a 390 px phone: the sliders stack, the wide tables scroll inside their cards, the page does not', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/ratios', { as: 'analyst', viewport: { width: 390, height: 844 } });
    await page.waitForSelector('[data-testid=backtest-segments]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'ratios-390');
    expect(consoleErrors).toEqual([]);
  });

  it('lets a leader preview but not save', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/ratios', { as: 'leader' });
    console.log(`render /ratios (leader): ${renderMs} ms`);
    await page.waitForSelector('[data-testid=preview-table]');
    expect(await page.locator('[data-testid=read-only]').count()).toBe(1);
    expect(await page.locator('[data-testid=save-policy]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('shows an operator the no-access state', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/ratios', { as: 'operator-samr' });
    expect(await page.locator('[data-testid=no-access]').count()).toBe(1);
    expect(await page.locator('[data-testid=preview]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
