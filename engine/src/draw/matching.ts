// Inspector matching from the directory: each team-spec entry's pool (frozen at commit), the excluded
// (object, inspector) pairs of the selected objects (frozen at draw), and the fd1 assignment inputs built from them.
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import { defaultCap } from './fd1.ts';
import { parseTeamLabel, type Task, type TeamEntry } from './tasks.ts';
import type { TeamStaffing } from './schemas.ts';

const query = sqlFolder(import.meta.url);

type PoolTask = Pick<Task, 'items' | 'windowStart' | 'jurisdictionRegionCode'>;

/** One team-spec entry's pool (sql/pool.sql): one row per inspector; holding `specialties` (default: all its items'). */
function pool(task: PoolTask, entry: TeamEntry, specialties = requiredSpecialties(task, entry)): Sql {
  const { department, expert } = parseTeamLabel(entry.department);
  return query('pool', { department, expert, window_start: task.windowStart, area: task.jurisdictionRegionCode, specialties: JSON.stringify(specialties) });
}

const poolSize = async (q: Queryable, of: Sql) => (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM (${of})`))?.n ?? 0;

/** Who could staff a task as specified, before it is created: each team entry's pool and each of its items' alone. */
export async function staffing(q: Queryable, task: PoolTask & Pick<Task, 'teamSpec'>): Promise<TeamStaffing[]> {
  const out: TeamStaffing[] = [];
  for (const entry of task.teamSpec) {
    const { department } = parseTeamLabel(entry.department);
    const items = [];
    for (const item of task.items.filter((i) => i.departmentCode === department))
      items.push({ code: item.code, specialty: item.specialty, pool: await poolSize(q, pool(task, entry, [item.specialty])) });
    out.push({ department: entry.department, count: entry.count, pool: await poolSize(q, pool(task, entry)), items });
  }
  return out;
}

/** Pool sizes a task would get now, per team-spec entry, without committing (task preview). */
export async function previewPools(q: Queryable, task: Task): Promise<Array<{ department: string; count: number; pool: number; specialties: string[] }>> {
  const out = [];
  for (const entry of task.teamSpec) {
    out.push({ department: entry.department, count: entry.count, pool: await poolSize(q, pool(task, entry)), specialties: requiredSpecialties(task, entry) });
  }
  return out;
}

/** Specialties a team-spec entry's inspectors must hold: those of the task's items of its department. */
export function requiredSpecialties(task: Pick<Task, 'items'>, entry: TeamEntry): string[] {
  const { department } = parseTeamLabel(entry.department);
  return [...new Set(task.items.filter((i) => i.departmentCode === department).map((i) => i.specialty))].sort();
}

/** Freezes every team-spec entry's pool for a draw; returns the pool sizes in team-spec order. */
export async function freezePools(q: Queryable, drawId: string, task: Task): Promise<Array<{ department: string; pool: number }>> {
  const sizes: Array<{ department: string; pool: number }> = [];
  for (const entry of task.teamSpec) {
    // freezes the entry's pool for the draw
    await q.exec(sql`INSERT INTO draw_pools (draw_id, department_code, inspector_id) SELECT ${drawId}, ${entry.department}, inspector_id FROM (${pool(task, entry)})`);
    const row = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM draw_pools WHERE draw_id = ${drawId} AND department_code = ${entry.department}`);
    sizes.push({ department: entry.department, pool: row?.n ?? 0 });
  }
  return sizes;
}

/** Freezes the exclusions of a draw's selected objects (run after draw_selection is written). */
export async function freezeExclusions(q: Queryable, drawId: string): Promise<number> {
  await q.exec(query('exclusions', { draw_id: drawId }));
  const row = await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM draw_exclusions WHERE draw_id = ${drawId}`);
  return row?.n ?? 0;
}

/** Each department label's pool, inspector ids sorted (inspectors.csv order). */
export async function loadPools(q: Queryable, drawId: string, teamSpec: TeamEntry[]): Promise<Record<string, string[]>> {
  const pools: Record<string, string[]> = Object.fromEntries(teamSpec.map((e) => [e.department, [] as string[]]));
  const rows = await q.query<{ department_code: string; inspector_id: string }>(
    sql`SELECT department_code, inspector_id FROM draw_pools WHERE draw_id = ${drawId} ORDER BY department_code, inspector_id`,
  );
  for (const r of rows) (pools[r.department_code] ??= []).push(r.inspector_id);
  return pools;
}

export async function loadExclusions(q: Queryable, drawId: string): Promise<Array<[string, string]>> {
  const rows = await q.query<{ object_id: string; inspector_id: string }>(
    sql`SELECT object_id, inspector_id FROM draw_exclusions WHERE draw_id = ${drawId} ORDER BY object_id, inspector_id`,
  );
  return rows.map((r) => [r.object_id, r.inspector_id]);
}

/**
 * Caps a task raises above the protocol's default (section 5); a cap set below the default is ignored, because
 * the protocol lets a task only raise it. Undefined when the task sets none.
 */
export function taskCaps(teamSpec: TeamEntry[], selectedObjects: number, pools: Record<string, string[]>): Record<string, number> | undefined {
  const raised = teamSpec
    .filter((e) => e.cap !== undefined && (e.cap as number) > defaultCap(selectedObjects, e.count, pools[e.department]?.length ?? 0))
    .map((e) => [e.department, e.cap as number] as const);
  return raised.length > 0 ? Object.fromEntries(raised) : undefined;
}
