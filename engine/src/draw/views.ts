// What the dashboard reads of tasks and draws: task rows with their stage, a task's page (its checklist, the ratios a
// commit would use now, its draws) and a draw's page (one page of its selection with names and teams, its unstaffed
// objects). Read-only; callers check the department rule first (operations.ts).
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { currentPolicy, type SamplingPolicy } from '../policy/policy.ts';
import { stratumSpec } from './eligibility.ts';
import { listDraws, type DrawDetail } from './lifecycle.ts';
import { checklist, listTasks, TIERS } from './tasks.ts';
import { listInvitations } from './invitations.ts';
import { earlyPublicationsOf } from './publication.ts';
import {
  UNSTAFFED_LIST_MAX,
  type Draw,
  type DrawHeader,
  type DrawPage,
  type SelectionPage,
  type Stage,
  type Stratum,
  type StratumRecord,
  type Task,
  type TaskDetail,
  type TaskKind,
  type TaskRow,
  type TaskStatus,
} from './schemas.ts';

/** Where a task stands: awaiting approval, ready to commit, or the status of its live (not voided) draw. */
export function stageOf(task: Pick<Task, 'status'>, live: Pick<DrawHeader, 'status'> | undefined): Stage {
  if (task.status === 'awaiting_approval') return 'awaiting_approval';
  return live && live.status !== 'voided' ? live.status : 'ready';
}

/** The manifest's strata (ratio_bp) in the API's names (ratioBp). */
export function strataView(strata: StratumRecord[]): Stratum[] {
  return strata.map((s) => ({
    stratum: s.stratum,
    eligible: s.eligible,
    ...(s.ratio_bp !== undefined ? { ratioBp: s.ratio_bp } : {}),
    ...(s.count !== undefined ? { count: s.count } : {}),
    ...(s.quota !== undefined ? { quota: s.quota } : {}),
  }));
}

/** A draw as lists show it: the header without its eligibility rules, strata in the API's names. */
export function drawView(header: DrawHeader): Draw {
  const { eligibility: _eligibility, strata, ...rest } = header;
  return { ...rest, strata: strataView(strata) };
}

/**
 * The ratio per stratum a commit would use now (stratumSpec's precedence: the task's stratum, then its tier, then the
 * policy's tier ratio; unstratified: the items' highest default), or null for a task with fixed counts.
 */
export function ratiosInEffect(task: Task, policy: SamplingPolicy): Record<string, number> | null {
  if (task.counts) return null;
  const strata = task.strataMode === 'none' ? ['ALL'] : [...TIERS, ...Object.keys(task.ratiosBp ?? {})];
  return Object.fromEntries(strata.map((stratum) => [stratum, (stratumSpec(task, policy, stratum) as { ratioBp: number }).ratioBp]));
}

const liveDrawOf = (draws: DrawHeader[]) => draws.find((d) => d.status !== 'voided');

export interface TaskRowFilter {
  planId?: string;
  year?: number;
  kind?: TaskKind;
  status?: TaskStatus;
  /** Only tasks this department leads or takes part in (and only their draws). */
  department?: string | null;
}

/** Tasks with their stage, live draw and number of draws, in id order. */
export async function taskRows(q: Queryable, filter: TaskRowFilter): Promise<TaskRow[]> {
  const department = filter.department ?? undefined;
  const tasks = (await listTasks(q, { planId: filter.planId, year: filter.year, department })).filter(
    (t) => (!filter.kind || t.kind === filter.kind) && (!filter.status || t.status === filter.status),
  );
  const byTask = new Map<string, DrawHeader[]>();
  for (const d of await listDraws(q, { department })) byTask.set(d.taskId, [...(byTask.get(d.taskId) ?? []), d]);
  return tasks.map((t) => {
    const own = byTask.get(t.id) ?? [];
    const live = liveDrawOf(own);
    return { ...t, stage: stageOf(t, live), liveDraw: live ? { id: live.id, status: live.status } : null, draws: own.length };
  });
}

/** A task's page: its checklist, the ratios in effect under the current policy, its stage, its draws, its partners' invitations and any early publication. */
export async function taskDetail(q: Queryable, task: Task): Promise<TaskDetail> {
  const draws = await listDraws(q, { taskId: task.id });
  const live = liveDrawOf(draws);
  const policy = await currentPolicy(q);
  return {
    ...task,
    checklist: checklist(task),
    ratiosInEffect: ratiosInEffect(task, policy),
    policyVersion: policy.version,
    stage: stageOf(task, live),
    liveDraw: live ? { id: live.id, status: live.status } : null,
    draws: draws.map(drawView),
    invitations: await listInvitations(q, task.id),
    earlyPublications: await earlyPublicationsOf(q, task.id),
  };
}

// One page of a draw's selection in draw order with the object's name, type, region and industry. Grain: one row per
// selected object.
const selectionPageSql = (drawId: string, limit: number, offset: number) => sql`
SELECT s.draw_order, s.stratum, s.rank, s.object_id, o.name, o.entity_type, o.region_code, r.name_zh AS region_name_zh, o.industry_code
FROM draw_selection s
LEFT JOIN objects o ON o.id = s.object_id
LEFT JOIN regions r ON r.code = o.region_code
WHERE s.draw_id = ${drawId}
ORDER BY s.draw_order
LIMIT ${limit} OFFSET ${offset}`;

// The object ids of that page, in draw order.
const pageSql = (drawId: string, limit: number, offset: number) =>
  sql`SELECT object_id, draw_order FROM draw_selection WHERE draw_id = ${drawId} ORDER BY draw_order LIMIT ${limit} OFFSET ${offset}`;

// Team members of that page's objects with the inspector's name and kind. Grain: one row per (object, inspector), in
// position order.
const pageTeamsSql = (drawId: string, limit: number, offset: number) => sql`
WITH page AS (${pageSql(drawId, limit, offset)})
SELECT t.object_id, t.department_code, t.inspector_id, i.name AS inspector_name, i.kind AS inspector_kind, t.position
FROM draw_teams t
JOIN page p ON p.object_id = t.object_id
LEFT JOIN inspectors i ON i.id = t.inspector_id
WHERE t.draw_id = ${drawId}
ORDER BY p.draw_order, t.position`;

// Unstaffed departments of that page's objects. Grain: one row per (object, department).
const pageUnstaffedSql = (drawId: string, limit: number, offset: number) => sql`
WITH page AS (${pageSql(drawId, limit, offset)})
SELECT u.object_id, u.department_code, u.reason
FROM draw_unstaffed u JOIN page p ON p.object_id = u.object_id
WHERE u.draw_id = ${drawId}
ORDER BY p.draw_order, u.department_code`;

// Every unstaffed (object, department) of a draw in draw order, with the object's name. Grain: one row per (object,
// department), at most `limit`.
const unstaffedSql = (drawId: string, limit: number) => sql`
SELECT u.object_id, o.name AS object_name, u.department_code, u.reason
FROM draw_unstaffed u
JOIN draw_selection s ON s.draw_id = u.draw_id AND s.object_id = u.object_id
LEFT JOIN objects o ON o.id = u.object_id
WHERE u.draw_id = ${drawId}
ORDER BY s.draw_order, u.department_code
LIMIT ${limit}`;

/** One page of a draw's selection in draw order, each object with its name, place, team and unstaffed departments. */
export async function selectionPage(q: Queryable, drawId: string, total: number, limit: number, offset: number): Promise<SelectionPage> {
  const rows = await q.query<{ draw_order: number; stratum: string; rank: number; object_id: string; name: string | null; entity_type: string | null; region_code: string | null; region_name_zh: string | null; industry_code: string | null }>(
    selectionPageSql(drawId, limit, offset),
  );
  const teams = await q.query<{ object_id: string; department_code: string; inspector_id: string; inspector_name: string | null; inspector_kind: string | null; position: number }>(
    pageTeamsSql(drawId, limit, offset),
  );
  const unstaffed = await q.query<{ object_id: string; department_code: string; reason: string }>(pageUnstaffedSql(drawId, limit, offset));
  const page: SelectionPage = {
    total,
    limit,
    offset,
    rows: rows.map((r) => ({
      drawOrder: r.draw_order,
      stratum: r.stratum,
      rank: r.rank,
      objectId: r.object_id,
      name: r.name,
      entityType: r.entity_type,
      regionCode: r.region_code,
      regionNameZh: r.region_name_zh,
      industryCode: r.industry_code,
      team: [],
      unstaffed: [],
    })),
  };
  const byObject = new Map(page.rows.map((r) => [r.objectId, r]));
  for (const t of teams) byObject.get(t.object_id)?.team.push({ department: t.department_code, inspectorId: t.inspector_id, inspectorName: t.inspector_name, inspectorKind: t.inspector_kind, position: t.position });
  for (const u of unstaffed) byObject.get(u.object_id)?.unstaffed.push({ department: u.department_code, reason: u.reason });
  return page;
}

/** A draw's page (internal: inspectors are named; never the secret): header, rules, checklist, one page of the selection, unstaffed objects. */
export async function drawPage(q: Queryable, detail: DrawDetail, page: { limit: number; offset: number }): Promise<Omit<DrawPage, 'mayDownloadAuditorPackage'>> {
  const { secret: _secret, seed: _seed, checklist: drawChecklist, selection: _selection, teams: _teams, unstaffed: _unstaffed, ...header } = detail;
  const unstaffed = await q.query<{ object_id: string; object_name: string | null; department_code: string; reason: string }>(unstaffedSql(detail.id, UNSTAFFED_LIST_MAX));
  return {
    ...drawView(header),
    eligibility: header.eligibility,
    checklist: drawChecklist,
    selection: await selectionPage(q, detail.id, header.counts.selected, page.limit, page.offset),
    unstaffed: unstaffed.map((u) => ({ objectId: u.object_id, objectName: u.object_name, department: u.department_code, reason: u.reason })),
  };
}
