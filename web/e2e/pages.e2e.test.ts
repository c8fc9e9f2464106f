// Every page, both languages: nothing scrolls sideways on a 390 px phone, and axe (WCAG 2.1 A and AA) finds no
// serious or critical violation. FAIRDRAW_SCREENSHOTS=1 also saves each page at 1440 and 390 px in both languages.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { CHROMIUM, openPage, screenshot, signIn } from './harness.ts';
import { useFairdraw } from './fixture.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const LANGS = ['zh', 'en'] as const;

interface PageCase {
  path: string;
  /** Open signed out (the sign-in form, the portal and the not-found page are for anyone). */
  public?: boolean;
}

/** The page has drawn what it will draw: its content is ready and every chart on it is rendered. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chart]')].every((c) => c.getAttribute('data-rendered') === 'true'), null, { timeout: 30_000 });
}

describe.skipIf(!CHROMIUM)('every page', () => {
  const fx = useFairdraw({ apiAs: 'admin' });
  let pages: PageCase[] = [];
  let sessionId = '';

  beforeAll(async () => {
    const { tasks } = await fx.api.get<{ tasks: Array<{ id: string; liveDraw: unknown }> }>('/api/tasks');
    const drawn = tasks.find((task) => task.liveDraw) ?? tasks[0];
    const { notebooks } = await fx.api.get<{ notebooks: Array<{ name: string }> }>('/api/notebooks');
    pages = [
      { path: '/' },
      { path: '/alerts' },
      { path: '/ratios' },
      { path: '/tasks' },
      { path: '/tasks/new' },
      { path: `/tasks/${drawn.id}` },
      { path: '/results' },
      { path: '/outcomes' },
      { path: '/notebooks' },
      { path: `/notebooks/${notebooks[0].name}` },
      { path: '/audit' },
      { path: '/portal', public: true },
      { path: '/login', public: true },
      { path: '/no-such-page' },
    ];
    sessionId = await signIn(fx.app, 'admin');
  });

  const open = async (c: PageCase, lang: 'zh' | 'en', viewport: { width: number; height: number }) => {
    const opened = await openPage(fx.browser, fx.app, c.path, { sessionId: c.public ? undefined : sessionId, lang, viewport });
    await settled(opened.page);
    return opened;
  };
  const shotName = (c: PageCase, lang: string, width: number) => `page-${c.path.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'overview'}-${lang}-${width}`;

  it('no page scrolls sideways at 390 px, in either language', async () => {
    const sideways: string[] = [];
    for (const lang of LANGS)
      for (const c of pages) {
        const { page } = await open(c, lang, PHONE);
        const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
        if (widths.scroll > widths.inner) sideways.push(`${lang} ${c.path}: ${widths.scroll} px wide`);
        if (process.env.FAIRDRAW_SCREENSHOTS) await screenshot(page, shotName(c, lang, PHONE.width));
        await page.context().close();
      }
    expect(sideways).toEqual([]);
  });

  it('axe finds no serious or critical violation on any page (WCAG 2.1 A and AA), in either language', async () => {
    const violations: string[] = [];
    for (const lang of LANGS)
      for (const c of pages) {
        const { page } = await open(c, lang, DESKTOP);
        const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of result.violations)
          if (v.impact === 'serious' || v.impact === 'critical') violations.push(`${lang} ${c.path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
        if (process.env.FAIRDRAW_SCREENSHOTS) await screenshot(page, shotName(c, lang, DESKTOP.width));
        await page.context().close();
      }
    expect(violations).toEqual([]);
  });
});
