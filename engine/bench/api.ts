// `npm run bench -- api --db PATH[,PATH...] [--seconds 10] [--connections 20]`: latency of the API under load, from
// autocannon on loopback against the real server (`fairdraw serve`, its own process) on each database: the leaders'
// coverage, the regional alerts and the public results search (by code, by part of a name, by a common word). Prints
// p50 / p95 / p99, requests per second and errors.
// Target (issue #5): p95 <= 150 ms at 18 M entities with 20 clients, zero errors.
// The bench signs in by creating a session for an existing analyst account (or a `bench-analyst` account it adds).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { quantileSorted } from 'simple-statistics';
import { openDatabase } from '../src/open.ts';
import { createUser } from '../src/auth/users.ts';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { REPO_ROOT } from '../src/kernel/config.ts';
import { sql } from '../src/db/sql.ts';
import { serveDatabase } from '../src/testing/serve.ts';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** How many distinct name searches the bench rotates through: more than it sends in a run, so hardly any repeats. */
const NAME_TERMS = 5_000;
/** Words many people search for: they match most results (counting those is the cost), and the API keeps their answers per data version. */
const COMMON_WORDS = ['有限公司', '餐馆', '便利店', '深圳市', '科技', '贸易', '服务部', '物流', '美容', '华'];

/**
 * What a person types to find an entity: its public name without the region (深圳市, 南山区) it starts with, cut to
 * 2-6 characters, i.e. a trade name (华创) or a trade name with its trade (华创电子).
 */
function searchTerm(name: string, regionNames: string[], length: number): string {
  let rest = name;
  for (let region = regionNames.find((r) => rest.startsWith(r)); region; region = regionNames.find((r) => rest.startsWith(r))) rest = rest.slice(region.length);
  return rest.slice(0, length);
}

/**
 * A session cookie for an analyst, and search terms that find published results: up to 1,000 entity codes and
 * NAME_TERMS parts of published names (each search endpoint rotates through its terms, so no answer is simply repeated).
 */
async function prepare(dbPath: string): Promise<{ cookie: string; codes: string[]; nameTerms: string[]; entities: number }> {
  const db = await openDatabase({ path: dbPath });
  try {
    let analyst = (await db.one<{ username: string }>(sql`SELECT username FROM users WHERE role = 'analyst' AND NOT disabled ORDER BY username LIMIT 1`))?.username;
    if (!analyst) {
      analyst = 'bench-analyst';
      await db.transaction((tx) => createUser(tx, { username: analyst!, role: 'analyst', password: randomBytes(18).toString('base64url') }, 'bench'));
    }
    const session = await db.transaction((tx) => createSession(tx, { username: analyst!, userAgent: 'fairdraw bench api' }));
    const codes = (await db.query<{ code: string }>(sql`SELECT DISTINCT object_id AS code FROM public_results ORDER BY hash(object_id) LIMIT 1000`)).map((r) => r.code);
    const regionNames = (await db.query<{ name: string }>(sql`SELECT name_zh AS name FROM regions ORDER BY length(name_zh) DESC`)).map((r) => r.name);
    const names = await db.query<{ name: string }>(sql`SELECT DISTINCT entity_name AS name FROM public_results ORDER BY hash(entity_name) LIMIT ${NAME_TERMS}`);
    const nameTerms = [...new Set(names.map((r, i) => searchTerm(r.name, regionNames, 2 + (i % 5))).filter((t) => t.length >= 2))];
    const entities = (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM objects`))!.n;
    return { cookie: `${SESSION_COOKIE}=${session.sessionId}`, codes: codes.length ? codes : ['91440000000000000X'], nameTerms: nameTerms.length ? nameTerms : ['餐饮'], entities };
  } finally {
    db.close();
  }
}

interface Figures {
  endpoint: string;
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Loads `base` + each of `paths` in turn (one path: the same request throughout). */
async function load(base: string, paths: string[], headers: Record<string, string>, seconds: number, connections: number): Promise<Omit<Figures, 'endpoint'>> {
  const latenciesMs: number[] = [];
  let next = 0;
  const requests = [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: paths[next++ % paths.length] }) }];
  const result = await new Promise<autocannon.Result>((resolveResult, reject) => {
    const instance = autocannon({ url: base, headers, connections, duration: seconds, requests }, (err, done) => (err ? reject(err) : resolveResult(done)));
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => latenciesMs.push(responseTimeMs));
  });
  latenciesMs.sort((a, b) => a - b);
  const at = (p: number) => (latenciesMs.length ? Math.round(quantileSorted(latenciesMs, p) * 10) / 10 : NaN);
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: Math.round(result.requests.average),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
  };
}

export async function run(args: string[]): Promise<void> {
  const dbPaths = option(args, '--db', process.env.FAIRDRAW_DB ?? resolve(REPO_ROOT, 'data/fairdraw.duckdb')).split(',');
  const seconds = Number(option(args, '--seconds', '10'));
  const connections = Number(option(args, '--connections', '20'));
  for (const dbPath of dbPaths) {
    const { cookie, codes, nameTerms, entities } = await prepare(dbPath);
    const server = await serveDatabase(dbPath);
    const base = server.baseUrl;
    try {
      console.log(`\n${dbPath}: ${entities.toLocaleString('en-US')} entities; ${connections} connections, ${seconds} s per endpoint`);
      const search = (q: string) => `/api/public/results?q=${encodeURIComponent(q)}`;
      const endpoints: Array<{ endpoint: string; paths: string[]; headers: Record<string, string> }> = [
        { endpoint: 'GET /api/coverage', paths: ['/api/coverage'], headers: { cookie } },
        { endpoint: 'GET /api/alerts', paths: ['/api/alerts'], headers: { cookie } },
        { endpoint: `GET /api/public/results?q=<code> (${codes.length} codes in turn)`, paths: codes.map(search), headers: {} },
        { endpoint: `GET /api/public/results?q=<part of a name> (${nameTerms.length} in turn, e.g. ${nameTerms.slice(0, 3).join(' ')})`, paths: nameTerms.map(search), headers: {} },
        { endpoint: `GET /api/public/results?q=<common word> (${COMMON_WORDS.length} in turn: ${COMMON_WORDS.slice(0, 3).join(' ')} ...)`, paths: COMMON_WORDS.map(search), headers: {} },
      ];
      // One request to each endpoint before any is measured: a server that has been up a while has its start-up work
      // (coverage, the public search index) done and its caches warm.
      for (const e of endpoints) {
        const first = await fetch(base + e.paths[0], { headers: e.headers });
        if (!first.ok) throw new Error(`${e.endpoint}: ${first.status} ${(await first.text()).slice(0, 200)}`);
      }
      const rows: Figures[] = [];
      for (const e of endpoints) rows.push({ endpoint: e.endpoint, ...(await load(base, e.paths, e.headers, seconds, connections)) });
      console.table(rows.map((r) => ({ endpoint: r.endpoint, 'p50 ms': r.p50, 'p95 ms': r.p95, 'p99 ms': r.p99, 'req/s': r.rps, requests: r.requests, errors: r.errors, non2xx: r.non2xx })));
      if (args.includes('--json')) console.log(JSON.stringify({ db: dbPath, entities, connections, seconds, endpoints: rows }));
    } finally {
      await server.stop();
    }
  }
}
