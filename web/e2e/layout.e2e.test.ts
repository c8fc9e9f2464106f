// The shell every page shares: sign-in, the menu by role, the language switch, signed-out visitors.
import { describe, it, expect } from 'vitest';
import { CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

describe.skipIf(!CHROMIUM)('dashboard shell', () => {
  const fx = useFairdraw();

  it('signs in through the form with fields username and password, then shows the account', async () => {
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/login');
    console.log(`render /login: ${renderMs} ms`);
    await screenshot(page, 'login');
    await page.fill('input[name=username]', 'leader');
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[data-testid=login-error]').textContent()).toMatch(/登录失败/);
    await page.fill('input[name=password]', fx.app.passwords.leader);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.locator('[data-testid=signed-in-as]').textContent()).toContain('leader');
    // The failed attempt's 401 is the only error the console may show.
    expect(consoleErrors.filter((e) => !/401/.test(e))).toEqual([]);
  });

  it('sends a signed-out visitor of a signed-in page to the sign-in form and back afterwards', async () => {
    const { page } = await openPage(fx.browser, fx.app, '/audit');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/audit');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', fx.app.passwords.admin);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => url.pathname === '/audit');
  });

  it('shows each role only its pages in the menu; the portal needs no account', async () => {
    const menu = async (as?: 'operator-samr' | 'analyst') => {
      const { page } = await openPage(fx.browser, fx.app, as ? '/tasks' : '/portal', { as, ready: 'header nav a' });
      return page.locator('header nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    };
    expect(await menu()).toEqual(['/portal']);
    expect(await menu('operator-samr')).toEqual(['/tasks', '/results', '/audit', '/portal']);
    expect(await menu('analyst')).toEqual(['/', '/alerts', '/ratios', '/tasks', '/results', '/outcomes', '/notebooks', '/audit', '/portal']);
  });

  it('switches between Chinese and English and remembers the choice', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('h1').textContent()).toBe('登录 Fairdraw');
    await page.click('[data-testid=lang-switch]');
    expect(await page.locator('h1').textContent()).toBe('Sign in to Fairdraw');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.waitForSelector('[data-ready]');
    expect(await page.locator('h1').textContent()).toBe('Sign in to Fairdraw');
    expect(consoleErrors).toEqual([]);
  });

  it('folds the menu behind a button on a phone, opened and followed by keyboard alone', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/tasks', { as: 'analyst', viewport: { width: 390, height: 844 } });
    const toggle = page.locator('[data-testid=menu-toggle]');
    expect(await page.locator('#site-nav').isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#site-nav').isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('/');
    await page.locator('#site-nav a[href="/audit"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/audit');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    // At 1440 px the links show and the button does not.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await toggle.isVisible()).toBe(false);
    expect(await page.locator('#site-nav').isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  it('sorts a table by a column heading, by click and by keyboard, and says the order in aria-sort', async () => {
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, '/tasks', { as: 'analyst' });
    await page.waitForSelector('[data-testid=tasks-table] tbody tr');
    const ids = () => page.locator('[data-testid=tasks-table] tbody [data-task-id]').evaluateAll((links) => links.map((a) => a.getAttribute('data-task-id')!));
    const heading = page.locator('[data-testid=tasks-table] thead th').first();
    const shown = await ids();
    expect(shown.length).toBeGreaterThan(1);
    await heading.locator('button').click();
    expect(await heading.getAttribute('aria-sort')).toBe('ascending');
    expect(await ids()).toEqual([...shown].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    await heading.locator('button').focus();
    await page.keyboard.press('Enter');
    expect(await heading.getAttribute('aria-sort')).toBe('descending');
    expect(await ids()).toEqual([...shown].sort((a, b) => b.localeCompare(a, 'en', { numeric: true })));
    // The table's scroll box is a named region the keyboard reaches.
    const region = page.locator('[data-testid=tasks-table]').locator('xpath=ancestor::div[@role="region"][1]');
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await region.getAttribute('aria-label')).toBeTruthy();
    expect(consoleErrors).toEqual([]);
  });
});
