// The portal's verify-it-yourself in the browser, signed out: the protocol text as a page; a tier-stratified demo draw
// passes the public checks in the page and its one-zip package passes `fairdraw draw verify`; the demo's draw without
// tier strata is recomputed in full in the page (timed) and its zip ends "fd2 verified"; at 390 px the report fits.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../engine/src/kernel/config.ts';
import { unzipDrawFiles } from '../../engine/src/draw/zip.ts';
import { CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

const run = promisify(execFile);

interface PublicDraw {
  id: string;
  status: string;
  published: boolean;
  digest: 'salted' | 'plain' | null;
}

describe.skipIf(!CHROMIUM)('/portal verify it yourself', () => {
  const fx = useFairdraw();
  let tiered: PublicDraw;
  let flat: PublicDraw;
  let scratch: string;
  beforeAll(async () => {
    const draws = (await fx.api.get<{ draws: PublicDraw[] }>('/api/public/draws?limit=100')).draws.filter((d) => d.published && d.status === 'drawn');
    tiered = draws.find((d) => d.digest === 'salted')!;
    flat = draws.find((d) => d.digest === 'plain')!;
    scratch = mkdtempSync(join(tmpdir(), 'fairdraw-portal-zip-'));
  });

  /** Opens the draw on the portal's draws tab and runs the check its button offers. */
  async function checkInPage(page: Page, drawId: string, mode: 'public' | 'full') {
    await page.click(`[data-testid=portal-draw-open][data-draw-id="${drawId}"]`);
    await page.waitForSelector(`[data-testid=portal-draw-detail][data-draw-id="${drawId}"]`);
    expect(await page.locator('[data-testid=draw-check]').getAttribute('data-mode')).toBe(mode);
    await page.click('[data-testid=draw-check]');
    const result = page.locator('ul[data-testid=draw-check-result]');
    await result.waitFor({ timeout: 60_000 });
    return result;
  }

  /** Downloads the draw's zip through the page's link, unzips it and runs the command-line verifier on the folder. */
  async function downloadAndVerify(page: Page, drawId: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=draw-zip]')]);
    const zip = join(scratch, `${drawId}.zip`);
    await download.saveAs(zip);
    const dir = mkdtempSync(join(scratch, `${drawId}-`));
    await unzipDrawFiles(zip, dir, { maxUncompressedBytes: 1 << 30 });
    const { stdout } = await run(process.execPath, [resolve(REPO_ROOT, 'engine/bin/fairdraw.js'), 'draw', 'verify', dir], { cwd: REPO_ROOT });
    return stdout;
  }

  it('serves the protocol text as a page, linked from verify-it-yourself', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal?tab=verify');
    await page.click('[data-testid=portal-protocol-links] a[href="/portal/protocol/fd2"]');
    await page.waitForSelector('[data-testid=portal-protocol][data-doc=fd2]');
    expect(await page.locator('[data-testid=portal-protocol] h1').textContent()).toBe("fd2 — Fairdraw's draw protocol, second version");
    const text = await page.locator('[data-testid=portal-protocol] article').innerText();
    expect(text).toContain('committed_at < beacon_due <= beacon_recorded_at <= drawn_at');
    expect(text).toContain('概要（中文）');
    await page.click('[data-testid=portal-protocol] article a[href="/portal/protocol/fd1"]');
    await page.waitForSelector('[data-testid=portal-protocol][data-doc=fd1]');
    expect(await page.locator('[data-testid=portal-protocol] h1').textContent()).toContain('fd1');
    expect(consoleErrors).toEqual([]);
  });

  it('a tier-stratified draw: the public checks pass in the page, and its zip passes fairdraw draw verify', async () => {
    expect(tiered).toBeDefined();
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal?tab=draws');
    const result = await checkInPage(page, tiered.id, 'public');
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toContain('fd2 public checks passed (full recomputation needs the auditor package)');
    expect(await result.locator('li[data-check=timeline]').getAttribute('data-status')).toBe('ok');
    const cli = await downloadAndVerify(page, tiered.id);
    expect(cli).toContain('fd2 public checks passed');
    expect(consoleErrors).toEqual([]);
  });

  it('the draw without tier strata: recomputed in full in the page, item by item, and its six-file zip is fd2 verified', async () => {
    expect(flat).toBeDefined();
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/portal?tab=draws');
    const links = await page
      .locator(`[data-testid=portal-draw-open][data-draw-id="${flat.id}"]`)
      .click()
      .then(() => page.waitForSelector('[data-testid=draw-files]'))
      .then(() => page.locator('[data-testid=draw-files] a').evaluateAll((as) => as.map((a) => a.textContent)));
    expect(links).toEqual(['manifest.json', 'population.csv', 'selection.csv', 'inspectors.csv', 'exclusions.csv', 'teams.csv']);
    await page.click(`[data-testid=portal-draw-open][data-draw-id="${flat.id}"]`); // closed again; checkInPage opens it
    const result = await checkInPage(page, flat.id, 'full');
    expect(await result.getAttribute('data-ok')).toBe('true');
    const items = await result.locator('li[data-check]').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-check'), li.getAttribute('data-status')]));
    // The CLI's items in the CLI's order: the draw, the population and its picks, then the teams.
    const ids = items.map(([id]) => id);
    expect(ids.slice(0, 11)).toEqual(['manifest', 'commitment', 'seed', 'beacon', 'timeline', 'population', 'digest', 'selection', 'stratum:ALL', 'pools', 'exclusions']);
    expect(ids.filter((id) => id!.startsWith('cap:')).length).toBeGreaterThanOrEqual(2);
    expect(ids).toContain('teams');
    expect(items.filter(([, status]) => status === 'mismatch')).toEqual([]);
    expect(items.find(([id]) => id === 'teams')?.[1]).toBe('ok');
    expect(await result.innerText()).toContain('fd2 verified');
    const ms = Number(await result.getAttribute('data-ms'));
    const time = await page.locator('[data-testid=draw-check-time]').innerText();
    console.log(`full recomputation of ${flat.id} in the page: ${ms} ms (${time})`);
    expect(await downloadAndVerify(page, flat.id)).toContain('fd2 verified');

    // At 390 px the report fits the screen: no sideways scroll, every item inside the width.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const box of await result.locator('li').evaluateAll((lis) => lis.map((li) => li.getBoundingClientRect().right))) expect(box).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-verify-full-390');
    expect(consoleErrors).toEqual([]);
  });
});
