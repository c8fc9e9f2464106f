// Inspector matching from the directory: each team-spec entry's pool (frozen at commit), the excluded
// (object, inspector) pairs of the selected objects (frozen at draw), and the fd1 assignment inputs built from them.
import type { Queryable } from '../db/duckdb.ts';
import { defaultCap } from './fd1.ts';
import { parseTeamLabel, type Task, type TeamEntry } from './tasks.ts';

/**
 * Pool of one team-spec entry: one row per inspector of the entry's department who is active, within the plan's
 * jurisdiction, whose specialties cover every item of that department in the task, and who is either a certified
 * officer (certificate valid on the window's first day, open ends allowed) or, for a `:expert` entry, an expert
 * or third party.
 */
export const POOL_SELECT_SQL = `
SELECT i.id AS inspector_id
FROM inspectors i
WHERE i.department_code = $department
  AND i.active
  AND CASE WHEN $expert::BOOLEAN THEN i.kind IN ('expert', 'third_party')
      ELSE i.kind = 'officer'
        AND i.certificate_no IS NOT NULL AND i.certificate_no <> ''
        AND coalesce(i.certificate_valid_from <= $window_start::DATE, true)
        AND coalesce(i.certificate_valid_to >= $window_start::DATE, true)
      END
  AND CASE WHEN $area LIKE '__0000' THEN left(i.region_code, 2) = left($area, 2)
           WHEN $area LIKE '____00' THEN left(i.region_code, 4) = left($area, 4)
           ELSE i.region_code = $area END
  AND list_has_all(i.specialties, CAST($specialties::JSON AS VARCHAR[]))`;

/** Freezes one entry's pool for a draw. */
const POOL_INSERT_SQL = `INSERT INTO draw_pools (draw_id, department_code, inspector_id) SELECT $draw_id, $label, inspector_id FROM (${POOL_SELECT_SQL})`;

function poolParams(task: Task, entry: TeamEntry): Record<string, string | boolean> {
  const { department, expert } = parseTeamLabel(entry.department);
  return { department, expert, window_start: task.windowStart, area: task.jurisdictionRegionCode, specialties: JSON.stringify(requiredSpecialties(task, entry)) };
}

/** Pool sizes a task would get now, per team-spec entry, without committing (task preview). */
export async function previewPools(q: Queryable, task: Task): Promise<Array<{ department: string; count: number; pool: number; specialties: string[] }>> {
  const out = [];
  for (const entry of task.teamSpec) {
    const row = await q.one<{ n: number }>(`SELECT count(*) AS n FROM (${POOL_SELECT_SQL})`, poolParams(task, entry));
    out.push({ department: entry.department, count: entry.count, pool: row?.n ?? 0, specialties: requiredSpecialties(task, entry) });
  }
  return out;
}

/**
 * Excluded pairs of one draw: one row per (selected object, pool inspector) that must not meet, with every reason:
 * a conflict declared by the inspector or by the object, a member of the object's latest inspection
 * (inspection_results of its latest date), or a member of its team in the latest earlier drawn, non-voided draw.
 */
export const EXCLUSIONS_SQL = `
INSERT INTO draw_exclusions (draw_id, object_id, inspector_id, reasons)
WITH selected AS (
  SELECT object_id FROM draw_selection WHERE draw_id = $draw_id
),
pool AS (
  SELECT DISTINCT inspector_id FROM draw_pools WHERE draw_id = $draw_id
),
latest_inspection AS (
  SELECT r.object_id, r.inspector_ids
  FROM inspection_results r SEMI JOIN selected s ON s.object_id = r.object_id
  QUALIFY r.inspected_on = max(r.inspected_on) OVER (PARTITION BY r.object_id)
),
latest_draw AS (
  SELECT s.object_id, arg_max(s.draw_id, d.drawn_at) AS draw_id
  FROM draw_selection s JOIN draws d ON d.id = s.draw_id
  WHERE d.status = 'drawn' AND d.id <> $draw_id AND s.object_id IN (SELECT object_id FROM selected)
  GROUP BY s.object_id
),
pairs AS (
  SELECT c.object_id, c.inspector_id, 'conflict_' || c.declared_by AS reason
  FROM conflicts c SEMI JOIN selected s ON s.object_id = c.object_id
  UNION ALL
  SELECT object_id, unnest(inspector_ids) AS inspector_id, 'previous_inspection' AS reason FROM latest_inspection
  UNION ALL
  SELECT t.object_id, t.inspector_id, 'previous_draw' AS reason
  FROM draw_teams t JOIN latest_draw l ON l.draw_id = t.draw_id AND l.object_id = t.object_id
)
SELECT $draw_id, p.object_id, p.inspector_id, list_sort(list_distinct(list(p.reason)))
FROM pairs p SEMI JOIN pool ON pool.inspector_id = p.inspector_id
GROUP BY p.object_id, p.inspector_id`;

/** Specialties a team-spec entry's inspectors must hold: those of the task's items of its department. */
export function requiredSpecialties(task: Task, entry: TeamEntry): string[] {
  const { department } = parseTeamLabel(entry.department);
  return [...new Set(task.items.filter((i) => i.departmentCode === department).map((i) => i.specialty))].sort();
}

/** Freezes every team-spec entry's pool for a draw; returns the pool sizes in team-spec order. */
export async function freezePools(q: Queryable, drawId: string, task: Task): Promise<Array<{ department: string; pool: number }>> {
  const sizes: Array<{ department: string; pool: number }> = [];
  for (const entry of task.teamSpec) {
    await q.exec(POOL_INSERT_SQL, { ...poolParams(task, entry), draw_id: drawId, label: entry.department });
    const row = await q.one<{ n: number }>('SELECT count(*) AS n FROM draw_pools WHERE draw_id = $id AND department_code = $label', { id: drawId, label: entry.department });
    sizes.push({ department: entry.department, pool: row?.n ?? 0 });
  }
  return sizes;
}

/** Freezes the exclusions of a draw's selected objects (run after draw_selection is written). */
export async function freezeExclusions(q: Queryable, drawId: string): Promise<number> {
  await q.exec(EXCLUSIONS_SQL, { draw_id: drawId });
  const row = await q.one<{ n: number }>('SELECT count(*) AS n FROM draw_exclusions WHERE draw_id = $id', { id: drawId });
  return row?.n ?? 0;
}

/** Each department label's pool, inspector ids sorted (inspectors.csv order). */
export async function loadPools(q: Queryable, drawId: string, teamSpec: TeamEntry[]): Promise<Record<string, string[]>> {
  const pools: Record<string, string[]> = Object.fromEntries(teamSpec.map((e) => [e.department, [] as string[]]));
  const rows = await q.query<{ department_code: string; inspector_id: string }>(
    'SELECT department_code, inspector_id FROM draw_pools WHERE draw_id = $id ORDER BY department_code, inspector_id',
    { id: drawId },
  );
  for (const r of rows) (pools[r.department_code] ??= []).push(r.inspector_id);
  return pools;
}

export async function loadExclusions(q: Queryable, drawId: string): Promise<Array<[string, string]>> {
  const rows = await q.query<{ object_id: string; inspector_id: string }>(
    'SELECT object_id, inspector_id FROM draw_exclusions WHERE draw_id = $id ORDER BY object_id, inspector_id',
    { id: drawId },
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
