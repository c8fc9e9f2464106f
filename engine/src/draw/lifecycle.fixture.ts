// Test helper for the draw lifecycle tests: the small committed directory (data/fixtures/draws/directory.sql),
// a fictional "now" before the window, and a Shenzhen plan with a task to draw from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DATA_DIR } from '../kernel/config.ts';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { tempDb, testDb } from '../testing/db.ts';
import { createPlan, type Plan } from './plans.ts';
import { createTask, type Task, type TaskSpec } from './tasks.ts';
import { decideInvitation, partnerDepartments } from './invitations.ts';

export const DIRECTORY_SQL = resolve(DATA_DIR, 'fixtures/draws/directory.sql');
/** Commit and draw happen on this day (Asia/Shanghai); the window below opens a month later. */
export const NOW = new Date('2026-03-01T10:00:00+08:00');
export const WINDOW = { windowStart: '2026-04-01', windowEnd: '2026-06-30' } as const;
/** A day after the window has closed. */
export const AFTER_WINDOW = new Date('2026-07-01T00:00:01+08:00');

export async function openDirectory(): Promise<Awaited<ReturnType<typeof tempDb>>> {
  const t = await tempDb();
  await t.db.exec(sql.verbatim(readFileSync(DIRECTORY_SQL, 'utf8')));
  return t;
}

/** Each test of the block on a fresh directory with the Shenzhen plan, handed to `use` before it runs. */
export function directoryPerTest(use: (db: Db, plan: Plan) => unknown): void {
  testDb(async (t) => use(t.db, await shenzhenPlan(t.db)), openDirectory);
}

/** The USCC of fixture object i (objects are named 测试主体<i>). */
export async function objectId(db: Db, i: number): Promise<string> {
  const row = await db.one<{ id: string }>(sql`SELECT id FROM objects WHERE name = ${`测试主体${i}`}`);
  if (!row) throw new Error(`fixture object ${i} missing`);
  return row.id;
}

export function shenzhenPlan(db: Db): Promise<Plan> {
  return createPlan(db, { year: 2026, jurisdictionRegionCode: '440300', leadDepartment: 'SAMR', name: '深圳市市场监管局 2026 年度抽查计划', createdBy: 'operator-samr' });
}

export function samrTask(db: Db, plan: Plan, overrides: Partial<TaskSpec> = {}): Promise<Task> {
  return createTask(db, {
    planId: plan.id,
    kind: 'general',
    name: '2026 年企业公示信息与食品经营抽查',
    items: ['SAMR-001', 'SAMR-002'],
    ...WINDOW,
    createdBy: 'operator-samr',
    ...overrides,
  });
}

/** The beacon event the test draws declare at commit (fd2 §1). */
export const BEACON_SOURCE = '深证成份指数收盘价 / SZSE Component Index close';
const HOUR_MS = 3_600_000;
/** The beacon declaration of a commit at `now`: due one hour later, the least gap a task accepts by default. */
export const declaredBeacon = (now: Date) => ({ beaconSource: BEACON_SOURCE, beaconDue: new Date(now.getTime() + HOUR_MS) });
/** A commit at NOW declares its beacon due at BEACON_AT; the value is recorded then and the draw runs at RUN_AT. */
export const BEACON_AT = new Date(NOW.getTime() + HOUR_MS);
export const RUN_AT = new Date(BEACON_AT.getTime() + 5 * 60_000);

/** A joint task's partner departments accept their invitations (each as its own operator), so its draw may be committed. */
export async function acceptInvitations(db: Db, task: Task): Promise<void> {
  for (const department of partnerDepartments(task)) await decideInvitation(db, task.id, department, 'accepted', { actor: `op-${department.toLowerCase()}`, now: NOW });
}
