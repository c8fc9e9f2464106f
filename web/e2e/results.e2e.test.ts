// 结果录入 Results: the operator's assignments and deadline counts equal the API's, the overdue warning shows when the API
// reports overdue results, and an operator of SAMR enters a result, corrects it, and sees both versions in its history.
// Leaders see the same page read-only.
import { describe, it, expect } from 'vitest';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

interface Assignment {
  drawId: string;
  objectId: string;
  itemCode: string;
  windowStart: string;
  windowEnd: string;
  state: string;
  deadline: string;
}
interface AssignmentPage {
  total: number;
  today: string;
  assignments: Assignment[];
}
interface Deadlines {
  counts: { overdue: number; dueSoon: number; open: number; publishedOnTime: number; publishedLate: number };
}

const keyOf = (a: Assignment) => `${a.drawId}|${a.objectId}|${a.itemCode}`;

describe.skipIf(!CHROMIUM)('results page', () => {
  const fx = useFairdraw();

  it('shows the assignments and deadline counts the API reports, with the overdue warning', async () => {
    const api = await apiAs(fx.app, 'operator-samr');
    const list = await api.get<AssignmentPage>('/api/results/assignments?limit=50');
    const deadlines = await api.get<Deadlines>('/api/results/deadlines');
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/results', { as: 'operator-samr' });
    console.log(`render /results: ${renderMs} ms`);
    expect(await page.locator('[data-testid=assignments-total]').getAttribute('data-total')).toBe(String(list.total));
    expect(await page.locator('[data-testid=assignments] tbody tr').count()).toBe(list.assignments.length);
    expect(await page.locator('[data-testid=assignments] [data-testid=open-assignment]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).toEqual(
      list.assignments.map(keyOf),
    );
    const number = async (testid: string) => Number((await page.locator(`[data-testid=${testid}]`).textContent())!.replace(/[^\d]/g, ''));
    expect({
      overdue: await number('count-overdue'),
      dueSoon: await number('count-due-soon'),
      open: await number('count-open'),
      publishedOnTime: await number('count-on-time'),
      publishedLate: await number('count-late'),
    }).toEqual(deadlines.counts);
    // The demo year leaves results overdue; the page must say so.
    expect(deadlines.counts.overdue).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=deadline-warning]').textContent()).toContain(String(deadlines.counts.overdue));
    expect(await page.locator('[data-testid=urgent] [data-deadline=overdue]').count()).toBe(Math.min(deadlines.counts.overdue, 200));
    await screenshot(page, 'results');

    // Sorting the paged list asks the server for the order over every assignment: the first page by state, descending,
    // is the API's first page in that order (published first), not this page re-sorted.
    const shownKeys = () => page.locator('[data-testid=assignments] [data-testid=open-assignment]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    const stateHeading = page.locator('[data-testid=assignments] thead th', { hasText: /^状态/ });
    for (const direction of ['ascending', 'descending']) {
      const ordered = await api.get<AssignmentPage>(`/api/results/assignments?limit=50&sort=state&direction=${direction}`);
      await stateHeading.locator('button').click();
      await expect.poll(shownKeys, { timeout: 10_000 }).toEqual(ordered.assignments.map(keyOf));
      expect(await stateHeading.getAttribute('aria-sort')).toBe(direction);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('enters a result for an assigned object, corrects it, and shows both versions in the history', async () => {
    const api = await apiAs(fx.app, 'operator-samr');
    const { today } = await api.get<AssignmentPage>('/api/results/assignments?limit=1');
    // An assignment whose inspection window has begun (results cannot be dated in the future).
    const candidates = await api.get<AssignmentPage>('/api/results/assignments?state=not_entered&limit=100');
    const target = candidates.assignments.find((a) => a.windowStart <= today);
    expect(target, 'an unentered assignment whose window has begun').toBeDefined();
    const filtered = await api.get<AssignmentPage>(`/api/results/assignments?drawId=${target!.drawId}&state=not_entered&limit=50`);
    const onPage = filtered.assignments.find((a) => keyOf(a) === keyOf(target!)) ?? filtered.assignments.find((a) => a.windowStart <= today)!;

    const started = Date.now();
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, `/results?drawId=${onPage.drawId}&state=not_entered`, { as: 'operator-samr' });
    console.log(`render /results?drawId=${onPage.drawId}&state=not_entered: ${renderMs} ms`);
    expect(await page.locator('[data-testid=assignments-total]').getAttribute('data-total')).toBe(String(filtered.total));
    await page.click(`[data-testid=assignments] [data-testid=open-assignment][data-key="${keyOf(onPage)}"]`);
    const editor = page.locator('[data-testid=result-editor]');
    await editor.waitFor();
    expect(await editor.getAttribute('data-key')).toBe(keyOf(onPage));

    await page.selectOption('[data-testid=outcome-select]', 'PENDING');
    await page.fill('[data-testid=findings]', '现场检查发现进货查验记录不全，已要求限期补正');
    await page.click('[data-testid=save-result]');
    await page.waitForSelector('[data-testid=current-result][data-version="1"]');
    expect(await page.locator('[data-testid=current-outcome]').textContent()).toBe('发现问题待后续处理');

    await page.selectOption('[data-testid=correct-outcome]', 'FIXED');
    await page.fill('[data-testid=correct-reason]', '复查时已当场整改完毕');
    await page.click('[data-testid=save-correction]');
    await page.waitForSelector('[data-testid=current-result][data-version="2"]');
    expect(await page.locator('[data-testid=current-outcome]').textContent()).toBe('发现问题已责令改正');
    await expect.poll(() => page.locator('[data-testid=result-history] tbody tr').count()).toBe(2);
    const historyText = await page.locator('[data-testid=result-history] tbody').textContent();
    expect(historyText).toContain('复查时已当场整改完毕');
    expect(historyText).toContain('发现问题待后续处理');
    expect(historyText).toContain('发现问题已责令改正');
    console.log(`enter and correct on /results: ${Date.now() - started} ms`);

    const path = `/api/results/${onPage.drawId}/${onPage.objectId}/${onPage.itemCode}/history`;
    const history = await api.get<{ history: Array<{ version: number; change: string; changedBy: string; after: { outcomeCode: string } }> }>(path);
    expect(history.history.map((h) => [h.version, h.change, h.changedBy, h.after.outcomeCode])).toEqual([
      [1, 'enter', 'operator-samr', 'PENDING'],
      [2, 'correct', 'operator-samr', 'FIXED'],
    ]);
    // The list moved on with it: one fewer to enter, as the API says.
    const after = await api.get<AssignmentPage>(`/api/results/assignments?drawId=${onPage.drawId}&state=not_entered&limit=50`);
    expect(after.total).toBe(filtered.total - 1);
    await expect.poll(() => page.locator('[data-testid=assignments-total]').getAttribute('data-total')).toBe(String(after.total));
    await editor.scrollIntoViewIfNeeded();
    await screenshot(page, 'results-editor');
    expect(consoleErrors).toEqual([]);
  });

  it('shows leaders the same page read-only', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/results?state=not_entered', { as: 'leader' });
    console.log(`render /results (leader): ${renderMs} ms`);
    expect(await page.locator('[data-testid=read-only]').count()).toBe(1);
    await page.locator('[data-testid=assignments] [data-testid=open-assignment]').first().click();
    await page.locator('[data-testid=result-editor]').waitFor();
    expect(await page.locator('[data-testid=entry-form]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
