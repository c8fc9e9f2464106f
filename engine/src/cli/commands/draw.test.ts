import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db } from '../../db/duckdb.ts';
import { sql } from '../../db/sql.ts';
import { DIRECTORY_SQL } from '../../draw/lifecycle.fixture.ts';
import { packageSha256 } from '../../draw/attestations.ts';
import { DRAW_FILES } from '../../draw/files.ts';
import { formatShanghai, shanghaiDate } from '../../kernel/time.ts';
import { auditCommand } from './audit.ts';
import { drawCommand } from './draw.ts';
import { planCommand } from './plan.ts';
import { taskCommand } from './task.ts';

// The commands run in-process against a real database file, the way main.ts runs them.
describe('plan, task, draw and audit commands', () => {
  let dir: string;
  let dbPath: string;
  const today = shanghaiDate(new Date());
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-cli-'));
    dbPath = join(dir, 'cli.duckdb');
    const db = await Db.open({ path: dbPath, memoryLimit: '1GB', threads: 1 });
    await db.exec(sql.verbatim(readFileSync(DIRECTORY_SQL, 'utf8')));
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  /** Runs one command line; returns what it printed. */
  async function run(...args: string[]): Promise<string> {
    const program = new Command('fairdraw').exitOverride();
    for (const add of [planCommand, taskCommand, drawCommand, auditCommand]) add(program);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
    const readsFilesOnly = args[0] === 'draw' && args[1] === 'verify';
    await program.parseAsync(readsFilesOnly ? args : [...args, '--db', dbPath], { from: 'user' });
    return printed.join('\n');
  }

  it('creates a plan and a task from a spec file, naming file and line of a bad field', async () => {
    expect(await run('plan', 'create', '--year', today.slice(0, 4), '--region', '440300', '--lead', 'SAMR', '--name', '深圳年度计划', '--by', 'op-wang')).toContain('P');
    const spec = join(dir, 'task.json');
    const body = { planId: `P${today.slice(0, 4)}-0001`, kind: 'general', name: '联合抽查', items: ['SAMR-001', 'TAX-001'], ratiosBp: { A: 1000, D: 10000 }, windowStart: today, windowEnd: today };
    const bad = JSON.stringify({ ...body, teamSpec: [{ department: 'SAMR', count: 2 }] }, null, 2);
    writeFileSync(spec, bad);
    const line = bad.split('\n').findIndex((l) => l.includes('"teamSpec"')) + 1;
    const err = await run('task', 'create', spec).catch((e) => e);
    expect(err.message).toBe(`${spec} line ${line}: teamSpec = "TAX": 联合抽查须有每个参与部门的执法人员 / every participating department needs officers on the team`);
    writeFileSync(spec, JSON.stringify(body, null, 2));
    expect(await run('task', 'create', spec, '--team', 'SAMR=2,TAX=1', '--by', 'op-wang')).toMatch(/T\d{4}-0001 +general +ready/);
  });

  it('commits, enters the beacon, runs once, lists, exports and verifies', async () => {
    const taskId = `T${today.slice(0, 4)}-0001`;
    // fd2 §1: the commit names the beacon and its time; the clock (Date only) is moved, not waited for.
    const committedAt = Date.now();
    const due = new Date(committedAt + 3_600_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(committedAt);
    await expect(run('draw', 'commit', taskId, '--beacon-source', '深证成份指数收盘价', '--beacon-due', '2026-03-02T15:00')).rejects.toThrow(/with its offset/);
    // The joint task waits for its partner department, TAX, to accept.
    await expect(run('draw', 'commit', taskId, '--beacon-source', '深证成份指数收盘价', '--beacon-due', formatShanghai(due))).rejects.toThrow(/TAX accepted the invitation/);
    expect(await run('task', 'accept', taskId, 'TAX', '--by', 'op-tax')).toBe(`${taskId} TAX: accepted by op-tax`);
    await expect(run('draw', 'commit', taskId, '--beacon-source', '深证成份指数收盘价', '--beacon-due', formatShanghai(new Date(committedAt - 86_400_000)))).rejects.toThrow(/at least 60 minutes/);
    expect(await run('draw', 'commit', taskId, '--beacon-source', '深证成份指数收盘价', '--beacon-due', formatShanghai(due))).toMatch(/committed/);
    const drawId = JSON.parse(await run('draw', 'list', '--json'))[0].id as string;
    await expect(run('draw', 'run', drawId)).rejects.toThrow(/no beacon yet/);
    await expect(run('draw', 'beacon', drawId, '深证成指收盘 10234.56')).rejects.toThrow(/not due/);
    vi.setSystemTime(due);
    await run('draw', 'beacon', drawId, '深证成指收盘 10234.56');
    await run('draw', 'run', drawId);
    await expect(run('draw', 'run', drawId)).rejects.toThrow(/no re-roll/);
    const [listed] = JSON.parse(await run('draw', 'list', '--json'));
    expect(listed).toMatchObject({ id: drawId, taskId, status: 'drawn', beacon: '深证成指收盘 10234.56', grindProof: true, unstaffedObjects: 0 });
    expect(listed.selected).toBeGreaterThan(0);
    expect(listed.teamMembers).toBe(listed.selected * 3);

    // Before the window closes the public package holds the manifest only; the auditor package recomputes in full.
    const publicDir = join(dir, 'public');
    expect(await run('draw', 'export', drawId, publicDir)).toMatch(/public package, manifest\.json \(/);
    expect(await run('draw', 'verify', publicDir)).toContain('fd2 public checks passed (full recomputation needs the auditor package)');
    const out = join(dir, 'auditor');
    await run('draw', 'export', drawId, out, '--auditor');
    const verified = await run('draw', 'verify', out);
    expect(verified).toMatch(/fd2 verified$/);
    expect(verified).toContain(`package sha256 (docs/fd2.md §6): ${await packageSha256(out, DRAW_FILES)}`);
    expect(process.exitCode).toBe(0);
  });

  it('audit verify: exit 0 on an intact chain, 1 naming the entry when one was edited', async () => {
    expect(await run('audit', 'verify')).toMatch(/intact: \d+ entries[\s\S]*evidence files: 0 checked against the audit log/);
    expect(process.exitCode).toBeUndefined();
    const db = await Db.open({ path: dbPath });
    await db.exec(sql`UPDATE audit_log SET actor = 'someone-else' WHERE action = 'draw.beacon'`);
    const seq = (await db.one<{ seq: number }>(sql`SELECT seq FROM audit_log WHERE action = 'draw.beacon'`))!.seq;
    db.close();
    expect(await run('audit', 'verify')).toContain(`broken at entry ${seq} (draw.beacon`);
    expect(process.exitCode).toBe(1);
  });
});
