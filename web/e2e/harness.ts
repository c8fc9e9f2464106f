// Browser-test harness: one demo province built once per engine version (a template database, shared by the test
// files through a lock folder), a private copy of it served by the real `fairdraw serve` per test file, and
// headless Chromium through playwright-core. Tests skip when Chromium is not installed.
import { sql } from '../../engine/src/db/sql.ts';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../engine/src/kernel/config.ts';
import { openDatabase } from '../../engine/src/open.ts';
import { buildDemo } from '../../engine/src/demo/demo.ts';
import { createUser } from '../../engine/src/auth/users.ts';
import { SESSION_COOKIE } from '../../engine/src/auth/sessions.ts';
import { buildWeb, webBuildIsStale } from '../../engine/src/cli/web-build.ts';
import { serveDatabase } from '../../engine/src/testing/serve.ts';

/** Debian's Chromium (never downloaded: this machine has no internet). */
export const CHROMIUM: string | null = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p)) ?? null;

/** The province the pages are tested on: large enough that the planted Nanshan catering outbreak is an alert. */
export const E2E_DEMO = { entities: 60_000, seed: 20260101 };
export const SCREENSHOT_DIR = resolve(REPO_ROOT, 'test-results/screenshots');

export type Username = 'admin' | 'analyst' | 'leader' | 'operator-samr' | 'operator-tax' | 'auditor' | (string & {});

export interface Fairdraw {
  baseUrl: string;
  dbPath: string;
  /** Account name to password: the demo's accounts (admin, analyst, leader, operator-samr) and operator-tax. */
  passwords: Record<string, string>;
  stop(): Promise<void>;
}

/** Fingerprint of everything that shapes the demo database, so a changed engine rebuilds the template. */
function engineFingerprint(): string {
  const hash = createHash('sha256').update(JSON.stringify(E2E_DEMO));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|sql|csv|json)$/.test(entry) && !/\.test\.ts$/.test(entry)) hash.update(path).update(readFileSync(path));
    }
  };
  for (const dir of ['engine/src', 'data/generator', 'data/reference']) walk(resolve(REPO_ROOT, dir));
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True while process `pid` runs (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` under a lock folder shared by the test processes; waits while another live process holds it.
 * The holder writes its pid into the folder, so a lock left by a killed test run is taken over at once.
 */
async function withLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const holderFile = join(lockDir, 'pid');
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(holderFile, String(process.pid));
      break;
    } catch {
      const holder = Number(existsSync(holderFile) ? readFileSync(holderFile, 'utf8') : NaN);
      // No pid yet: the holder is between mkdir and write; a dead pid: its lock is stale.
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** The template database (built once) and the dashboard build (rebuilt when its sources changed). */
async function prepare(): Promise<{ template: string; passwords: Record<Username, string> }> {
  const dir = join(tmpdir(), 'fairdraw-e2e', engineFingerprint());
  const template = join(dir, 'demo.duckdb');
  const passwordsFile = join(dir, 'passwords.json');
  mkdirSync(dir, { recursive: true });
  return withLock(join(tmpdir(), 'fairdraw-e2e', 'lock'), async () => {
    for (const old of readdirSync(join(dir, '..'))) if (old !== 'lock' && join(dir, '..', old) !== dir) rmSync(join(dir, '..', old), { recursive: true, force: true });
    if (webBuildIsStale()) buildWeb();
    if (!existsSync(passwordsFile)) {
      rmSync(template, { force: true });
      rmSync(`${template}.heads.jsonl`, { force: true });
      const summary = await buildDemo({ dbPath: template, ...E2E_DEMO });
      const passwords = Object.fromEntries(summary.accounts.map((a) => [a.username, a.password])) as Record<Username, string>;
      passwords['operator-tax'] = 'e2e operator-tax password';
      const db = await openDatabase({ path: template });
      await db.transaction((tx) => createUser(tx, { username: 'operator-tax', role: 'operator', department: 'TAX', password: passwords['operator-tax'] }, 'e2e'));
      await db.exec(sql`CHECKPOINT`);
      db.close();
      writeFileSync(passwordsFile, JSON.stringify(passwords));
    }
    return { template, passwords: JSON.parse(readFileSync(passwordsFile, 'utf8')) };
  });
}

/** A private copy of the demo province served by the real server on a free port. */
export async function startFairdraw(): Promise<Fairdraw> {
  const { template, passwords } = await prepare();
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-e2e-run-'));
  const dbPath = join(dir, 'fairdraw.duckdb');
  copyFileSync(template, dbPath);
  // the audit heads the demo's draws published live beside the database (engine/src/audit/heads.ts)
  if (existsSync(`${template}.heads.jsonl`)) copyFileSync(`${template}.heads.jsonl`, `${dbPath}.heads.jsonl`);
  const server = await serveDatabase(dbPath);
  return {
    ...server,
    passwords,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function openBrowser(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('Chromium is not installed (apt-get install chromium)');
  // playwright gives every launch a fresh, temporary user-data dir.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen on the page so far (the array keeps filling). */
  consoleErrors: string[];
  /**
   * From navigation start to the frame that first shows the page's meaningful content (`[data-ready]`), timed inside
   * the page: a poll from outside would also count whatever work the page starts right after that frame (charts).
   */
  renderMs: number;
}

/** Opens `path` in a fresh browser context, signed in as `as` through the real login API when given, and waits for `ready`. */
export async function openPage(
  browser: Browser,
  app: Fairdraw,
  path: string,
  options: { as?: Username; sessionId?: string; viewport?: { width: number; height: number }; ready?: string; lang?: 'zh' | 'en' } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ baseURL: app.baseUrl, viewport: options.viewport ?? { width: 1280, height: 900 }, locale: 'zh-CN' });
  // The pages remember the chosen language in localStorage; Chinese when none was chosen.
  if (options.lang) await context.addInitScript((lang: string) => localStorage.setItem('fairdraw.lang', lang), options.lang);
  // A session made beforehand (benchmarks open many pages; the login route is rate-limited per address).
  if (options.sessionId) await context.addCookies([{ name: SESSION_COOKIE, value: options.sessionId, url: app.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
  else if (options.as) {
    const response = await context.request.post('/api/auth/login', { data: { username: options.as, password: app.passwords[options.as] } });
    if (!response.ok()) throw new Error(`sign-in as ${options.as} failed: ${response.status()} ${await response.text()}`);
  }
  const ready = options.ready ?? '[data-ready]';
  await context.addInitScript((selector: string) => {
    const w = window as unknown as { __readyFrameMs?: number };
    const observer = new MutationObserver(() => {
      if (!document.querySelector(selector)) return;
      observer.disconnect();
      requestAnimationFrame((frameMs) => (w.__readyFrameMs = frameMs));
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  }, ready);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(path);
  await page.waitForSelector(ready, { timeout: 30_000 });
  const renderMs = await page.waitForFunction(() => (window as unknown as { __readyFrameMs?: number }).__readyFrameMs).then((h) => h.jsonValue() as Promise<number>);
  return { page, consoleErrors, renderMs: Math.round(renderMs) };
}

/** Signs `username` in through the login API: the session cookie ("name=value") and the CSRF token. */
async function logIn(app: Fairdraw, username: Username): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${app.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: app.passwords[username] }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username} failed: ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  return { cookie, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** A session of `username` for openPage's `sessionId` (one sign-in for many pages: the login route is rate-limited). */
export async function signIn(app: Fairdraw, username: Username): Promise<string> {
  const { cookie } = await logIn(app, username);
  return cookie.slice(cookie.indexOf('=') + 1);
}

/** Saves a full-page screenshot under test-results/screenshots (not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface ApiClient {
  get<T = any>(path: string): Promise<T>;
  send<T = any>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** A JSON client signed in as `username` (or anonymous), to compare what a page shows with what the API answers. */
export async function apiAs(app: Fairdraw, username?: Username): Promise<ApiClient> {
  let cookie = '';
  let csrf = '';
  if (username) ({ cookie, csrf } = await logIn(app, username));
  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (cookie) headers.cookie = cookie;
    if (method !== 'GET') headers['x-csrf-token'] = csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${app.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return { get: (path) => call('GET', path), send: (method, path, body) => call(method, path, body) };
}
