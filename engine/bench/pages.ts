// `npm run bench -- pages --db PATH [--runs 3]`: first meaningful render of every dashboard page in headless Chromium,
// against the real server on an existing database (e.g. the 18 M province), with a warm server: each page is opened
// once to warm the server, then each `--runs` times in fresh browser contexts; the median is reported.
// Target (issue #6): every page <= 1.5 s at 18 M entities on this machine.
// The bench signs in with a session of a `bench-admin` account it creates once (random password, never shown).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { median } from 'simple-statistics';
import { openDatabase } from '../src/open.ts';
import { createUser, getUser } from '../src/auth/users.ts';
import { createSession } from '../src/auth/sessions.ts';
import { REPO_ROOT } from '../src/kernel/config.ts';
import { buildWeb, webBuildIsStale } from '../src/cli/web-build.ts';
import { CHROMIUM, openBrowser, openPage } from '../../web/e2e/harness.ts';
import { serveDatabase } from '../src/testing/serve.ts';
import { sql } from '../src/db/sql.ts';

/** Every page with the first meaningful content's marker (each page sets data-ready once it shows its numbers). */
export const PAGES = ['/', '/alerts', '/ratios', '/tasks', '/results', '/outcomes', '/portal', '/notebooks', '/audit'];

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** A session of the `bench-admin` account (created once, with a password nobody knows). */
async function benchSession(dbPath: string): Promise<{ sessionId: string; entities: number }> {
  const db = await openDatabase({ path: dbPath });
  try {
    const { sessionId } = await db.transaction(async (tx) => {
      if (!(await getUser(tx, 'bench-admin'))) await createUser(tx, { username: 'bench-admin', role: 'admin', password: randomBytes(18).toString('base64url') }, 'bench');
      return createSession(tx, { username: 'bench-admin', userAgent: 'fairdraw bench pages' });
    });
    return { sessionId, entities: (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM objects`))!.n };
  } finally {
    db.close();
  }
}

export async function run(args: string[]): Promise<void> {
  if (!CHROMIUM) throw new Error('the pages benchmark needs Chromium (apt-get install chromium fonts-noto-cjk)');
  const dbPath = option(args, '--db', process.env.FAIRDRAW_DB ?? resolve(REPO_ROOT, 'data/fairdraw.duckdb'));
  const runs = Number(option(args, '--runs', '3'));
  if (webBuildIsStale()) buildWeb();
  const { sessionId, entities } = await benchSession(dbPath);
  const server = await serveDatabase(dbPath);
  const browser = await openBrowser();
  const app = { ...server, passwords: {} };
  try {
    console.log(`${dbPath}: ${entities.toLocaleString('en-US')} entities; first meaningful render ([data-ready]), median of ${runs} after every page was opened once`);
    const rows = [];
    const open = (path: string) => openPage(browser, app, path, path === '/portal' ? {} : { sessionId });
    // Every page once before any is timed: a warm server has finished what it computes when it starts (coverage,
    // outcomes, the policy preview's load), which would otherwise compete with the first pages timed.
    const errors = new Map<string, Set<string>>(PAGES.map((p) => [p, new Set<string>()]));
    for (const path of PAGES) {
      const opened = await open(path);
      for (const e of opened.consoleErrors) errors.get(path)!.add(e);
      await opened.page.context().close();
    }
    for (const path of PAGES) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const opened = await open(path);
        times.push(opened.renderMs);
        for (const e of opened.consoleErrors) errors.get(path)!.add(e);
        await opened.page.context().close();
      }
      rows.push({ page: path, 'median ms': median(times), 'max ms': Math.max(...times), 'within 1.5 s': median(times) <= 1500 ? 'yes' : 'NO', 'console errors': errors.get(path)!.size });
    }
    console.table(rows);
  } finally {
    await browser.close();
    await server.stop();
  }
}
