// Crash drills: SIGKILL a demo build (first start and migration, imports, scoring, draws, result entry) at a chosen
// moment, then reopen the file and check what a crash must never leave behind. Used by crash.test.ts and `bench crash`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { openDatabase } from '../open.ts';
import { sql } from '../db/sql.ts';
import type { Db } from '../db/duckdb.ts';
import { verifyAudit } from '../audit/chain.ts';
import { importFile } from '../ingest/import.ts';
import { FORMATS } from '../ingest/formats.ts';

const CLI = fileURLToPath(new URL('../../bin/fairdraw.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const IMPORT_KINDS = ['entities', 'inspectors', 'credit', 'complaints', 'results'] as const;

/** When to kill: `delayMs` after the demo prints a line matching `afterLine` (after the start when there is none). */
export interface CrashPoint {
  phase: string;
  afterLine?: RegExp;
  delayMs: number;
}

/** One point per phase; the CI test takes a few of them, `bench crash` adds random delays around each. */
export const CRASH_POINTS: CrashPoint[] = [
  { phase: 'first start and migration', delayMs: 1_500 },
  { phase: 'import', afterLine: /^imported entities/, delayMs: 30 },
  { phase: 'scoring', afterLine: /^imported results/, delayMs: 300 },
  { phase: 'draw run', afterLine: /^risk model/, delayMs: 200 },
  { phase: 'result entry', afterLine: /^task T2026-0002/, delayMs: 100 },
];

export interface CrashOutcome {
  phase: string;
  /** The demo's last line before the kill (where it was). */
  lastLine: string;
  killed: boolean;
  /** What the reopened file failed to hold, empty when the drill passed. */
  problems: string[];
}

/** Runs `fairdraw demo` on a fresh `dbPath` and SIGKILLs it at `point`; resolves once the process has gone. */
function killDemoAt(dbPath: string, point: CrashPoint, entities: number): Promise<{ lastLine: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'demo', '--db', dbPath, '--entities', String(entities), '--seed', '7'], {
      cwd: ROOT,
      // the demo's generated files go beside the database, so a killed demo leaves nothing outside the drill's folder
      env: { ...process.env, TZ: 'Asia/Shanghai', TMPDIR: dirname(dbPath), FAIRDRAW_THREADS: '1', FAIRDRAW_MEMORY_LIMIT: '1GB' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastLine = '(nothing printed)';
    let armed = false;
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), point.delayMs);
    };
    if (!point.afterLine) arm();
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        lastLine = line;
        if (point.afterLine?.test(line)) arm();
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ lastLine, killed: signal === 'SIGKILL' }));
  });
}

const count = async (db: Db, statement: ReturnType<typeof sql>) => Number((await db.one<{ n: number }>(statement))?.n ?? 0);

/** What a crash must never leave: each import whole or absent, each draw step whole or absent, the audit chain intact. */
export async function checkAfterCrash(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const audit = await verifyAudit(db);
  if (!audit.ok) problems.push(`audit chain broken at entry ${audit.seq}: ${audit.problem}`);
  const audited = (action: string) => count(db, sql`SELECT count(*) AS n FROM audit_log WHERE action = ${action}`);
  for (const kind of IMPORT_KINDS) {
    // results entered through the results module also land in inspection_results (result_id = the draw_results id)
    const fromImport = kind === 'results' ? sql`WHERE result_id NOT IN (SELECT id FROM draw_results)` : sql``;
    const rows = await count(db, sql`SELECT count(*) AS n FROM ${sql.id(FORMATS[kind].table)} ${fromImport}`);
    const accepted = await count(
      db,
      sql`SELECT coalesce(sum((payload->'$.counts.accepted')::BIGINT), 0) AS n FROM audit_log WHERE action = 'import' AND subject = ${kind}`,
    );
    if (rows !== accepted) problems.push(`half import of ${kind}: ${rows} rows stored, ${accepted} recorded as imported`);
  }
  const checks: Array<[string, number, number]> = [
    ['draws committed', await count(db, sql`SELECT count(*) AS n FROM draws`), await audited('draw.commit')],
    ['draws run', await count(db, sql`SELECT count(*) AS n FROM draws WHERE drawn_at IS NOT NULL`), await audited('draw.run')],
    ['results entered', await count(db, sql`SELECT count(*) AS n FROM draw_results`), await audited('result.enter')],
    ['results published', await count(db, sql`SELECT count(*) AS n FROM draw_results WHERE published_at IS NOT NULL`), await audited('result.publish')],
    ['risk models', await count(db, sql`SELECT count(*) AS n FROM risk_models`), await audited('risk.score')],
  ];
  for (const [what, stored, recorded] of checks) if (stored !== recorded) problems.push(`${what}: ${stored} stored, ${recorded} in the audit log`);
  const orphanSelections = await count(
    db,
    sql`SELECT count(*) AS n FROM draw_selection s WHERE s.draw_id NOT IN (SELECT subject FROM audit_log WHERE action = 'draw.run')`,
  );
  if (orphanSelections) problems.push(`half-recorded draw: ${orphanSelections} selected objects of draws never recorded as run`);
  return problems;
}

/**
 * Kills the demo at `point` on a fresh file in `dir`, reopens it (migrating what was left), checks it, then imports
 * `entitiesCsv` again (a re-run after the crash: it must work, and the chain must still verify).
 */
export async function crashDrill(dir: string, point: CrashPoint, options: { entities: number; entitiesCsv: string; run: number }): Promise<CrashOutcome> {
  const dbPath = `${dir}/crash-${options.run}.duckdb`;
  const { lastLine, killed } = await killDemoAt(dbPath, point, options.entities);
  const problems: string[] = [];
  let db: Db;
  try {
    db = await openDatabase({ path: dbPath, threads: 1, memoryLimit: '1GB' });
  } catch (err) {
    return { phase: point.phase, lastLine, killed, problems: [`does not open: ${(err as Error).message.slice(0, 300)}`] };
  }
  try {
    problems.push(...(await checkAfterCrash(db)));
    const rerun = await importFile(db, { kind: 'entities', file: options.entitiesCsv, actor: 'crash-drill' });
    if (!rerun.written) problems.push(`re-run import rejected: ${JSON.stringify(rerun.rejected.slice(0, 2))}`);
    if (rerun.accepted + rerun.updated + rerun.unchanged !== options.entities) problems.push(`re-run import covered ${rerun.accepted + rerun.unchanged} of ${options.entities} entities`);
    const after = await verifyAudit(db);
    if (!after.ok) problems.push(`audit chain broken after the re-run: ${after.problem}`);
  } finally {
    db.close();
  }
  return { phase: point.phase, lastLine, killed, problems };
}
