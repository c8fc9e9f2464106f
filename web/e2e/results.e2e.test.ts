// 结果录入 Results: the operator's assignments and deadline counts equal the API's, the overdue warning shows when the API
// reports overdue results, and an operator of SAMR enters a result, corrects it, and sees both versions in its history.
// Leaders see the same page read-only. On a 390 px phone an operator enters a result with two photos (the large one
// downscaled in the browser) and publishes it; the public sees the result, not the photos.
import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { apiAs, CHROMIUM, openPage, screenshot, SCREENSHOT_DIR } from './harness.ts';
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
    // Unsorted, the list opens on the work to do; choosing a state applies at once (no extra click).
    expect(list.assignments[0].state).toBe('not_entered');
    const published = await api.get<AssignmentPage>('/api/results/assignments?state=published&limit=1');
    await page.selectOption('[data-testid=filter-state]', 'published');
    await expect.poll(() => page.locator('[data-testid=assignments-total]').getAttribute('data-total')).toBe(String(published.total));
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

  /** As SAMR's operator on a 390 px phone: the editor of an unentered assignment whose window has begun (`at` from the list's end). */
  async function openOnPhone(at: number) {
    const api = await apiAs(fx.app, 'operator-samr');
    const { today } = await api.get<AssignmentPage>('/api/results/assignments?limit=1');
    const open = await api.get<AssignmentPage>('/api/results/assignments?state=not_entered&limit=100');
    const target = open.assignments.filter((a) => a.windowStart <= today).at(at)!;
    const opened = await openPage(fx.browser, fx.app, `/results?drawId=${target.drawId}&state=not_entered`, { as: 'operator-samr', viewport: { width: 390, height: 844 } });
    await opened.page.click(`[data-testid=open-assignment][data-key="${keyOf(target)}"]`);
    return { api, target, ...opened };
  }

  it('on a 390 px phone: enters a result with two photos, publishes it, and the public sees it without them', async () => {
    const { api, target, page, consoleErrors } = await openOnPhone(-1);
    await page.selectOption('[data-testid=outcome-select]', 'FIXED');
    await page.click('[data-testid=save-result]');
    await page.waitForSelector('[data-testid=current-result][data-version="1"]');

    // A 3000x2000 photo as a phone takes it, and a small scan.
    const photo = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 3000;
      canvas.height = 2000;
      const ctx = canvas.getContext('2d')!;
      const noise = ctx.createImageData(3000, 2000);
      for (let i = 0; i < noise.data.length; i++) noise.data[i] = i % 4 === 3 ? 255 : (i * 7919) % 251;
      ctx.putImageData(noise, 0, 0);
      return canvas.toDataURL('image/png').split(',')[1];
    });
    const scan = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    await page.setInputFiles('[data-testid=evidence-input]', [
      { name: 'IMG_0001.png', mimeType: 'image/png', buffer: Buffer.from(photo, 'base64') },
      { name: '营业执照.png', mimeType: 'image/png', buffer: scan },
    ]);
    await expect.poll(() => page.locator('[data-testid=evidence-item]').count(), { timeout: 20_000 }).toBe(2);
    const base = `/api/results/${target.drawId}/${target.objectId}/${target.itemCode}`;
    const { evidence } = await api.get<{ evidence: Array<{ number: number; filename: string; mediaType: string; bytes: number; sha256: string }> }>(`${base}/evidence`);
    expect(evidence.map((e) => [e.filename, e.mediaType])).toEqual([
      ['IMG_0001.jpg', 'image/jpeg'],
      ['营业执照.png', 'image/png'],
    ]);
    // The photo went as a 2000 x 1333 JPEG.
    const shownPhoto = page.locator('[data-testid=evidence-item] img').first();
    await expect.poll(() => shownPhoto.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([2000, 1333]);
    // The page fits the phone: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.locator('[data-testid=result-editor]').screenshot({ path: join(SCREENSHOT_DIR, 'results-evidence-390.png') });

    // The draw's window is still open: results go public before it closes only on a leader's recorded decision.
    await (await apiAs(fx.app, 'leader')).send('POST', `/api/draws/${target.drawId}/publish-early`, { reason: '专项整治需及时公开检查结果' });
    await page.click('[data-testid=publish-result]');
    await expect.poll(async () => (await api.get<{ result: { publishedAt: string | null } }>(`${base}/history`)).result.publishedAt).not.toBeNull();
    await expect.poll(() => page.locator('[data-testid=result-editor] [data-testid=current-result]').getAttribute('data-version')).toBe('2');
    const shown = await (await fetch(`${fx.app.baseUrl}/api/public/results?q=${target.objectId}&limit=100`)).text();
    expect(shown).toContain(target.itemCode);
    for (const hidden of ['evidence', 'IMG_0001', '营业执照', evidence[0].sha256]) expect(shown).not.toContain(hidden);

    // Each file's bytes hash to what the audit log recorded for it.
    const trail = await api.get<{ entries: Array<{ action: string; payload: { sha256?: string; objectId?: string } }> }>(`/api/audit?subject=${target.drawId}&limit=5000`);
    const audited = trail.entries.filter((e) => e.action === 'result.evidence' && e.payload.objectId === target.objectId).map((e) => e.payload.sha256);
    for (const e of evidence) {
      const bytes = await (await page.request.get(`${base}/evidence/${e.number}`)).body();
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(e.sha256);
      expect(audited).toContain(e.sha256);
    }
    expect(consoleErrors).toEqual([]);
  });

  it('the visit sheet of a joint draw lists every department\'s items and prints with the notice on a page of its own; the entity\'s record is shared', async () => {
    const api = await apiAs(fx.app, 'operator-samr');
    const { draws } = await api.get<{ draws: Array<{ id: string; status: string; departments: string[] }> }>('/api/draws?status=drawn');
    const joint = draws.find((d) => d.departments.length > 1 && d.departments.includes('SAMR'))!;
    expect(joint, 'a drawn joint draw in the demo').toBeDefined();
    const { selection } = await api.get<{ selection: { rows: Array<{ objectId: string }> } }>(`/api/draws/${joint.id}?limit=1`);
    const objectId = selection.rows[0].objectId;
    const sheet = await api.get<{ items: Array<{ code: string; departmentCode: string }>; team: unknown[] }>(`/api/visits/${joint.id}/${objectId}`);
    expect(new Set(sheet.items.map((i) => i.departmentCode))).toEqual(new Set(joint.departments));

    for (const [lang, width] of [['zh', 390], ['en', 1440]] as const) {
      const { page, consoleErrors } = await openPage(fx.browser, fx.app, `/visits/${joint.id}/${objectId}`, { as: 'operator-samr', lang, viewport: { width, height: 900 } });
      expect(await page.locator('[data-testid=visit-department]').count()).toBe(joint.departments.length);
      expect(await page.locator('[data-testid=visit-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).toEqual(sheet.items.map((i) => i.code));
      expect(await page.locator('[data-testid=visit-team] li').count()).toBe(sheet.team.length);
      expect(await page.locator('[data-testid=visit-notice]').textContent()).toContain('抽查告知书');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(page, `visit-${lang}-${width}`);
      if (width === 1440) {
        // A4: the sheet, then the notice starting a page of its own.
        await page.emulateMedia({ media: 'print' });
        const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
        expect(pdf.match(/\/Type\s*\/Page[^s]/g)!.length).toBeGreaterThanOrEqual(2);
      }
      expect(consoleErrors).toEqual([]);
    }
    // Another department's operator is refused the sheet, but shares the entity's record of every department's results.
    const tax = await apiAs(fx.app, 'operator-tax');
    if (!joint.departments.includes('TAX')) await expect(tax.get(`/api/visits/${joint.id}/${objectId}`)).rejects.toThrow(/403/);
    const record = await tax.get<{ results: unknown[] }>(`/api/entities/${objectId}/results`);
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, `/entities/${objectId}`, { as: 'operator-tax', viewport: { width: 390, height: 844 } });
    expect(await page.locator('[data-testid=entity-results] tbody tr').count()).toBe(Math.max(1, record.results.length));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'entity-zh-390');
    expect(consoleErrors).toEqual([]);
  });

  it('without network a result waits on the phone and is sent once when the network is back', async () => {
    const { api, target, page, consoleErrors } = await openOnPhone(-2);
    await page.selectOption('[data-testid=outcome-select]', 'NO_PROBLEM');
    await page.context().setOffline(true);
    await page.click('[data-testid=save-result]');
    await page.locator('[data-testid=outbox][data-waiting="1"]').waitFor();
    expect(await page.locator('[data-testid=editor-message]').textContent()).toContain('保存在本机');
    const history = `/api/results/${target.drawId}/${target.objectId}/${target.itemCode}/history`;
    await expect(api.get(history)).rejects.toThrow(/404/);

    await page.context().setOffline(false);
    await page.locator('[data-testid=outbox]').waitFor({ state: 'detached' });
    const entered = await api.get<{ result: { outcomeCode: string }; history: unknown[] }>(history);
    expect(entered.result.outcomeCode).toBe('NO_PROBLEM');
    expect(entered.history).toHaveLength(1);
    // Nothing left to send: a reload sends nothing again.
    await page.reload();
    await page.locator('[data-ready]').first().waitFor();
    expect(await page.locator('[data-testid=outbox]').count()).toBe(0);
    expect((await api.get<{ history: unknown[] }>(history)).history).toHaveLength(1);
    // The browser logs the failed requests made while offline; nothing else.
    expect(consoleErrors.filter((e) => !/Failed to (load resource|fetch)|ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
  });
});
