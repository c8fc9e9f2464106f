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
  name: string;
  /** The page's address, from the demo's first drawn task and first notebook. */
  path: (demo: { taskId: string; notebook: string }) => string;
  /** Open signed out (the sign-in form and the portal are for anyone). */
  public?: boolean;
}

const PAGES: PageCase[] = [
  { name: 'overview', path: () => '/' },
  { name: 'alerts', path: () => '/alerts' },
  { name: 'ratios', path: () => '/ratios' },
  { name: 'tasks', path: () => '/tasks' },
  { name: 'new task', path: () => '/tasks/new' },
  { name: 'task', path: (d) => `/tasks/${d.taskId}` },
  { name: 'results', path: () => '/results' },
  { name: 'outcomes', path: () => '/outcomes' },
  { name: 'notebooks', path: () => '/notebooks' },
  { name: 'notebook', path: (d) => `/notebooks/${d.notebook}` },
  { name: 'audit', path: () => '/audit' },
  { name: 'portal', path: () => '/portal', public: true },
  { name: 'portal audit heads', path: () => '/portal/audit', public: true },
  { name: 'login', path: () => '/login', public: true },
  { name: 'not found', path: () => '/no-such-page' },
];

/** The page has drawn what it will draw: its content is ready and every chart on it is rendered. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=chart]')].every((c) => c.getAttribute('data-rendered') === 'true'), null, { timeout: 30_000 });
}

describe.skipIf(!CHROMIUM)('every page', () => {
  const fx = useFairdraw({ apiAs: 'admin' });
  const demo = { taskId: '', notebook: '' };
  let sessionId = '';

  beforeAll(async () => {
    const { tasks } = await fx.api.get<{ tasks: Array<{ id: string; liveDraw: unknown }> }>('/api/tasks');
    demo.taskId = (tasks.find((task) => task.liveDraw) ?? tasks[0]).id;
    demo.notebook = (await fx.api.get<{ notebooks: Array<{ name: string }> }>('/api/notebooks')).notebooks[0].name;
    sessionId = await signIn(fx.app, 'admin');
  });

  const open = async (c: PageCase, lang: 'zh' | 'en', viewport: { width: number; height: number }) => {
    const opened = await openPage(fx.browser, fx.app, c.path(demo), { sessionId: c.public ? undefined : sessionId, lang, viewport });
    await settled(opened.page);
    return opened;
  };
  const shotName = (c: PageCase, lang: string, width: number) => `page-${c.name.replace(/\W+/g, '-')}-${lang}-${width}`;

  it.each(PAGES)('$name: fits a 390 px phone without sideways scrolling and passes axe at 1440 px, in both languages', async (c) => {
    const problems: string[] = [];
    for (const lang of LANGS) {
      const phone = await open(c, lang, PHONE);
      const widths = await phone.page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
      if (widths.scroll > widths.inner) problems.push(`${lang}: ${widths.scroll} px wide at ${widths.inner} px`);
      if (process.env.FAIRDRAW_SCREENSHOTS) await screenshot(phone.page, shotName(c, lang, PHONE.width));
      await phone.page.context().close();

      const desktop = await open(c, lang, DESKTOP);
      const result = await new AxeBuilder({ page: desktop.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of result.violations)
        if (v.impact === 'serious' || v.impact === 'critical')
          problems.push(`${lang}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
      if (process.env.FAIRDRAW_SCREENSHOTS) await screenshot(desktop.page, shotName(c, lang, DESKTOP.width));
      await desktop.page.context().close();
    }
    expect(problems).toEqual([]);
  });
});
