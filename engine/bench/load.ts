// `npm run bench -- load [--db PATH] [--clients 100] [--seconds 60] [--entities 20000]`: 100 concurrent clients for
// 60 s on loopback against the real server (npm start's heap limit), mixing reads and writes: public results search
// (40%), coverage as an analyst (20%), results entry as an operator (20%), imports of a small complaints file as an
// admin (5%), health (15%). Counts errors, checks every acknowledged write against the database afterwards (zero lost
// writes) and samples the server's memory every 5 s (flat after warm-up). Without --db it builds a demo on a copy.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/open.ts';
import { sql } from '../src/db/sql.ts';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { serveDatabase } from '../src/testing/serve.ts';
import { heapLimitMb } from '../src/kernel/memory.ts';

const CLI = fileURLToPath(new URL('../bin/fairdraw.js', import.meta.url));
const COMMON_WORDS = ['有限公司', '餐馆', '便利店', '深圳市', '科技', '贸易', '服务部', '物流'];

interface Caller {
  cookie: string;
  csrf: string;
}

async function sessionFor(db: Awaited<ReturnType<typeof openDatabase>>, role: string, department?: string): Promise<Caller> {
  const user = await db.one<{ username: string }>(
    sql`SELECT username FROM users WHERE role = ${role} AND NOT disabled AND (${department ?? null}::VARCHAR IS NULL OR department_code = ${department ?? null}) ORDER BY username LIMIT 1`,
  );
  if (!user) throw new Error(`no ${role} account in the database`);
  const session = await db.transaction((tx) => createSession(tx, { username: user.username, userAgent: 'fairdraw bench load' }));
  return { cookie: `${SESSION_COOKIE}=${session.sessionId}`, csrf: session.csrfToken };
}

/** The server's resident memory in MB, from /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, clients: { type: 'string', default: '100' }, seconds: { type: 'string', default: '60' }, entities: { type: 'string', default: '20000' } },
  });
  const clients = Number(values.clients);
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-load-'));
  const dbPath = join(dir, 'load.duckdb');
  try {
    if (values.db) copyFileSync(values.db, dbPath);
    else {
      const demo = spawnSync(process.execPath, [CLI, 'demo', '--db', dbPath, '--entities', values.entities!, '--json'], { encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Shanghai' } });
      if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
    }
    // sessions, the assignments results entry works through, and entities a complaint can name
    const db = await openDatabase({ path: dbPath });
    let analyst: Caller, operator: Caller, admin: Caller;
    let open: Array<{ drawId: string; objectId: string; itemCode: string; inspectedOn: string }>;
    let usccs: Array<{ id: string; region: string }>;
    let before: { results: number; complaints: number };
    try {
      analyst = await sessionFor(db, 'analyst');
      operator = await sessionFor(db, 'operator', 'SAMR');
      admin = await sessionFor(db, 'admin');
      open = (
        await db.query<{ draw_id: string; object_id: string; item_code: string; window_start: string }>(
          sql`SELECT s.draw_id, s.object_id, ti.item_code, strftime(t.window_start, '%Y-%m-%d') AS window_start
           FROM draw_selection s JOIN draws d ON d.id = s.draw_id AND d.status = 'drawn' JOIN tasks t ON t.id = d.task_id
           JOIN task_items ti ON ti.task_id = t.id JOIN items i ON i.code = ti.item_code AND i.version = ti.item_version AND i.department_code = 'SAMR'
           WHERE EXISTS (SELECT 1 FROM draw_teams m WHERE m.draw_id = s.draw_id AND m.object_id = s.object_id AND m.department_code = 'SAMR')
             AND NOT EXISTS (SELECT 1 FROM draw_results r WHERE r.draw_id = s.draw_id AND r.object_id = s.object_id AND r.item_code = ti.item_code)
             AND t.window_start <= current_date`,
        )
      ).map((r) => ({ drawId: r.draw_id, objectId: r.object_id, itemCode: r.item_code, inspectedOn: r.window_start }));
      usccs = (await db.query<{ id: string; region: string }>(sql`SELECT id, region_code AS region FROM objects WHERE object_kind = 'entity' ORDER BY hash(id) LIMIT 500`)).map((r) => r);
      before = (await db.one<{ results: number; complaints: number }>(sql`SELECT (SELECT count(*) FROM draw_results) AS results, (SELECT count(*) FROM complaints) AS complaints`))!;
    } finally {
      db.close();
    }

    const server = await serveDatabase(dbPath, { nodeArgs: [`--max-old-space-size=${heapLimitMb()}`] });
    const base = server.baseUrl;
    const counts = { requests: 0, errors: 0, busy: 0, resultsAcked: 0, complaintRowsAcked: 0 };
    const errorSamples: string[] = [];
    const memory: number[] = [];
    let importNo = 0;
    const fail = (what: string) => {
      counts.errors++;
      if (errorSamples.length < 5) errorSamples.push(what);
    };
    const send = async (path: string, init: RequestInit = {}): Promise<Response | null> => {
      counts.requests++;
      try {
        const response = await fetch(base + path, init);
        if (response.status === 503) counts.busy++;
        return response;
      } catch (err) {
        fail(`${path}: ${(err as Error).message}`);
        return null;
      }
    };
    const as = (caller: Caller, extra: Record<string, string> = {}) => ({ cookie: caller.cookie, 'x-csrf-token': caller.csrf, ...extra });

    const step = async (): Promise<void> => {
      const pick = Math.random();
      if (pick < 0.4) {
        const q = Math.random() < 0.5 ? COMMON_WORDS[Math.floor(Math.random() * COMMON_WORDS.length)] : usccs[Math.floor(Math.random() * usccs.length)].id;
        const r = await send(`/api/public/results?q=${encodeURIComponent(q)}&limit=20`);
        if (r && !r.ok) fail(`search ${r.status}`);
        await r?.arrayBuffer();
      } else if (pick < 0.6) {
        const r = await send('/api/coverage', { headers: as(analyst) });
        if (r && !r.ok) fail(`coverage ${r.status}`);
        await r?.arrayBuffer();
      } else if (pick < 0.8) {
        const target = open.pop();
        if (!target) return;
        const r = await send('/api/results', {
          method: 'POST',
          headers: as(operator, { 'content-type': 'application/json' }),
          body: JSON.stringify({ ...target, outcomeCode: 'NO_PROBLEM' }),
        });
        if (r?.ok) counts.resultsAcked++;
        else if (r) fail(`result entry ${r.status} ${(await r.text()).slice(0, 160)}`);
        else open.push(target);
      } else if (pick < 0.85) {
        const n = ++importNo;
        const rows = Array.from({ length: 5 }, (_, i) => {
          const e = usccs[(n * 5 + i) % usccs.length];
          return `LOAD-${process.pid}-${n}-${i},2026-11-0${1 + (i % 9)} 10:00:00,${e.id},${e.region},complaint,食品安全,true`;
        });
        const csv = `complaint_id,received_at,uscc,region_code,category,topic,substantiated\n${rows.join('\n')}\n`;
        const boundary = `----fairdraw${n}`;
        const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="complaints-${n}.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
        const r = await send('/api/imports/complaints', { method: 'POST', headers: as(admin, { 'content-type': `multipart/form-data; boundary=${boundary}` }), body });
        if (r?.ok) counts.complaintRowsAcked += ((await r.json()) as { accepted: number }).accepted;
        else if (r) fail(`import ${r.status} ${(await r.text()).slice(0, 160)}`);
      } else {
        const r = await send('/api/health');
        if (r && !r.ok) fail(`health ${r.status}`);
        await r?.arrayBuffer();
      }
    };

    console.log(`load: ${clients} clients for ${seconds} s against ${base} (heap limit ${heapLimitMb()} MB); ${open.length} results open for entry`);
    const started = Date.now();
    const endAt = started + seconds * 1000;
    const sampler = setInterval(() => memory.push(rssMb(server.pid)), 5_000);
    try {
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (Date.now() < endAt) await step();
        }),
      );
    } finally {
      clearInterval(sampler);
      await server.stop();
    }
    const elapsedS = (Date.now() - started) / 1000;

    const check = await openDatabase({ path: dbPath, readOnly: true });
    let after: { results: number; complaints: number };
    try {
      after = (await check.one<{ results: number; complaints: number }>(sql`SELECT (SELECT count(*) FROM draw_results) AS results, (SELECT count(*) FROM complaints) AS complaints`))!;
    } finally {
      check.close();
    }
    const lost = { results: counts.resultsAcked - (after.results - before.results), complaints: counts.complaintRowsAcked - (after.complaints - before.complaints) };
    const warm = memory.slice(Math.min(2, memory.length - 1));
    const figures = {
      clients,
      seconds: Math.round(elapsedS),
      requests: counts.requests,
      requestsPerSecond: Math.round(counts.requests / elapsedS),
      errors: counts.errors,
      busy503: counts.busy,
      resultsAcknowledged: counts.resultsAcked,
      complaintRowsAcknowledged: counts.complaintRowsAcked,
      lostWrites: lost.results + lost.complaints,
      rssMb: memory,
      rssAfterWarmUpMb: warm.length ? { min: Math.min(...warm), max: Math.max(...warm) } : null,
    };
    console.log(JSON.stringify(figures, null, 2));
    for (const sample of errorSamples) console.log(`error: ${sample}`);
    if (counts.errors) console.log(`server log (end):\n${server.output().slice(-3000)}`);
    if (figures.errors || figures.lostWrites) process.exitCode = 1;
    writeFileSync(join(dir, 'figures.json'), JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
