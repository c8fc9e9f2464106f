// 笔记本 Notebooks: the list shows the three shipped notebooks; one opened runs live with every chart drawn, the same
// row counts as the API, no console errors; the HTML download is the self-contained file; operators are refused.
import { describe, it, expect } from 'vitest';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

interface ApiCell {
  kind: 'markdown' | 'sql' | 'chart';
  name?: string | null;
  hidden?: boolean;
  rowCount?: number;
  error?: { message: string } | null;
}

describe.skipIf(!CHROMIUM)('notebooks page', () => {
  const fx = useFairdraw();

  it('lists the three notebooks with their titles, as the API does', async () => {
    const api = await apiAs(fx.app, 'analyst');
    const { notebooks } = await api.get<{ notebooks: Array<{ name: string; title: string }> }>('/api/notebooks');
    expect(notebooks.map((n) => n.name)).toEqual(['alert-review', 'model-backtest', 'ratio-tuning']);
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/notebooks', { as: 'analyst' });
    console.log(`render /notebooks: ${renderMs} ms`);
    await page.waitForSelector('[data-testid=notebook-entry]');
    const entries = page.locator('[data-testid=notebook-entry]');
    expect(await entries.count()).toBe(3);
    expect(await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(notebooks.map((n) => n.name));
    // Titles are written "中文 English"; the page shows the Chinese half.
    for (const nb of notebooks) expect(nb.title.startsWith((await page.locator(`[data-name=${nb.name}] h2`).textContent())!)).toBe(true);
    await screenshot(page, 'notebooks');
    expect(consoleErrors).toEqual([]);
  });

  it('renders a notebook live with its charts, the same row counts as the API and no console errors', async () => {
    const api = await apiAs(fx.app, 'leader');
    const run = await api.get<{ cells: ApiCell[]; counts: { errors: number; charts: number } }>('/api/notebooks/alert-review');
    expect(run.counts.errors).toBe(0);
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/notebooks/alert-review', { as: 'leader' });
    console.log(`render /notebooks/alert-review: ${renderMs} ms`);
    await page.waitForSelector('[data-testid=notebook-title]');
    const chartsStarted = Date.now();
    await expect
      .poll(() => page.locator('[data-testid=chart][data-rendered=true]').count(), { timeout: 30_000 })
      .toBe(run.counts.charts);
    console.log(`charts /notebooks/alert-review: ${run.counts.charts} drawn ${Date.now() - chartsStarted} ms after the first render`);
    expect(await page.locator('[data-testid=notebook-title]').textContent()).toBe('区域预警复核');
    // One language at a time: no paragraph shows English beside its Chinese, and the switch shows the English half.
    const visibleEnglish = () => page.locator('.prose span[lang=en]').evaluateAll((spans) => spans.filter((s) => (s as HTMLElement).offsetParent !== null).length);
    expect(await page.locator('.prose span[lang=en]').count()).toBeGreaterThan(5);
    expect(await visibleEnglish()).toBe(0);
    await page.click('[data-testid=lang-switch]');
    expect(await page.locator('[data-testid=notebook-title]').textContent()).toBe('Alert review');
    expect(await visibleEnglish()).toBeGreaterThan(5);
    expect(await page.locator('.prose span[lang=zh-CN]').evaluateAll((spans) => spans.filter((s) => (s as HTMLElement).offsetParent !== null).length)).toBe(0);
    await page.click('[data-testid=lang-switch]');
    const sqlCells = run.cells.filter((c) => c.kind === 'sql');
    const shown = await page.locator('[data-testid=sql-cell]').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name'), rows: Number(e.getAttribute('data-rows')) })));
    expect(shown).toEqual(sqlCells.map((c) => ({ name: c.name ?? null, rows: c.rowCount })));
    // The table of a result holds the rows the API returned (up to the page's display limit).
    const district = sqlCells.find((c) => c.name === 'district_rises')!;
    expect(await page.locator('[data-testid=result-district_rises] tbody tr').count()).toBe(district.rowCount);
    expect(await page.locator('[data-testid=cell-error]').count()).toBe(0);
    await page.locator('[data-testid=chart][data-rendered=true]').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'notebook-alert-review');
    expect(consoleErrors).toEqual([]);
  });

  it('downloads the same notebook as one self-contained HTML file', async () => {
    const { page } = await openPage(fx.browser, fx.app, '/notebooks/model-backtest', { as: 'analyst' });
    await page.waitForSelector('[data-testid=download-html]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-html]')]);
    expect(download.suggestedFilename()).toBe('model-backtest.html');
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    const html = Buffer.concat(chunks).toString('utf8');
    // In the reader's language (the page is in Chinese): the title and the prose's first paragraph in Chinese only.
    expect(html).toContain('<title>风险模型回测 · Fairdraw</title>');
    expect(html).toContain('<html lang="zh-CN">');
    const firstParagraph = /<section class="cell prose"[^>]*>[\s\S]*?<p>([\s\S]*?)<\/p>/.exec(html)![1];
    expect(firstParagraph).toMatch(/\p{Script=Han}/u);
    expect(firstParagraph.replace(/<[^>]*>/g, '')).not.toMatch(/\b(the|and|of)\b/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    // Opened on its own (no server), every chart draws from the inlined bundles and data (the notebook has six).
    const offline = await fx.browser.newPage();
    const errors: string[] = [];
    offline.on('pageerror', (e) => errors.push(e.message));
    await offline.setContent(html);
    await expect.poll(() => offline.locator('[data-chart][data-rendered=true]').count(), { timeout: 30_000 }).toBe(6);
    expect(errors).toEqual([]);
    await offline.close();
  });

  it('keeps operators out', async () => {
    const { page } = await openPage(fx.browser, fx.app, '/notebooks', { as: 'operator-samr' });
    expect(await page.locator('[data-testid=no-access]').count()).toBe(1);
  });
});
