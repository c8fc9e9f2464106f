// Inspection tasks (抽查任务): kind, items (one checklist, from one or several departments: a joint task),
// scope, strata, ratios or counts, team specification and inspection window; validated, stored, approved.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { inviteIn, partnerDepartments } from './invitations.ts';
import { isIsoDate } from '../kernel/time.ts';
import { DrawInputError, DrawNotFoundError, DrawStateError, getPlan, nextYearlyId, requireDepartment, requireRegion, type Plan } from './plans.ts';
import { RATIO_BP_MAX, TIERS } from '../kernel/schema.ts';
import type { ChecklistEntry, StrataMode, Task, TaskItemRef, TaskKind, TaskScope, TaskSpec, TaskStatus, TeamEntry } from './schemas.ts';

export { TIERS, type Tier } from '../kernel/schema.ts';
export type { TaskKind, StrataMode, TaskStatus, TaskScope, TeamEntry, TaskItemRef, TaskSpec, Task, ChecklistEntry } from './schemas.ts';

/** Team-spec label suffix for the expert / third-party pool of a department, e.g. `SAMR:expert`. */
export const EXPERT_SUFFIX = ':expert';
/** Every team holds at least this many certified enforcement officers (两名以上执法人员). */
export const MIN_OFFICERS = 2;

/** Whether region `code` lies within region `area` (GB/T 2260: province ..0000, city ....00, district). */
export function regionWithin(code: string, area: string): boolean {
  if (area.endsWith('0000')) return code.slice(0, 2) === area.slice(0, 2);
  if (area.endsWith('00')) return code.slice(0, 4) === area.slice(0, 4);
  return code === area;
}

/** The department a team-spec label draws from, and whether it is the expert pool. */
export function parseTeamLabel(label: string): { department: string; expert: boolean } {
  return label.endsWith(EXPERT_SUFFIX) ? { department: label.slice(0, -EXPERT_SUFFIX.length), expert: true } : { department: label, expert: false };
}

/** Stratum labels a task's ratios or counts may name: tiers, and in tier_city mode also `tier|city`. */
function validStratumKey(key: string, mode: StrataMode): boolean {
  if (mode === 'none') return key === 'ALL';
  if ((TIERS as readonly string[]).includes(key)) return true;
  return mode === 'tier_city' && /^[A-D]\|\d{4}00$/.test(key);
}

function validateNumbers(field: string, values: Record<string, number>, mode: StrataMode, max: number | null): void {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new DrawInputError(field, values, '须为对象 {分层: 数值} / must be an object {stratum: number}');
  for (const [key, value] of Object.entries(values)) {
    if (!validStratumKey(key, mode))
      throw new DrawInputError(`${field}.${key}`, key, mode === 'none' ? '不分层时只能用 ALL / with strata_mode none the only stratum is ALL' : '须为风险等级 A..D 或 等级|地市代码 (如 D|440300) / must be a tier A..D or tier|city code (e.g. D|440300)');
    if (!Number.isInteger(value) || value < 0 || (max !== null && value > max))
      throw new DrawInputError(`${field}.${key}`, value, max === null ? '须为非负整数 / must be a non-negative integer' : `须为 0..${max} 的整数（基点） / must be an integer 0..${max} (basis points)`);
  }
}

function parseItemRef(ref: string | { code: string; version?: number }, index: number): { code: string; version?: number } {
  if (typeof ref === 'string') {
    const m = /^([^@\s]+)(?:@(\d+))?$/.exec(ref.trim());
    if (!m) throw new DrawInputError(`items[${index}]`, ref, '须为 事项编码 或 事项编码@版本 / must be CODE or CODE@VERSION');
    return { code: m[1], version: m[2] ? Number(m[2]) : undefined };
  }
  if (!ref || typeof ref.code !== 'string') throw new DrawInputError(`items[${index}]`, ref, '须给出事项编码 / needs an item code');
  return ref;
}

interface ItemRow {
  code: string;
  version: number;
  department_code: string;
  name_zh: string;
  name_en: string;
  specialty: string;
  method: string;
  default_ratio_bp: number;
  valid_from: string;
  valid_to: string | null;
}

async function resolveItems(q: Queryable, refs: TaskSpec['items'], windowStart: string): Promise<TaskItemRef[]> {
  if (!Array.isArray(refs) || refs.length === 0) throw new DrawInputError('items', refs, '任务至少包含一个抽查事项 / a task needs at least one item');
  const out: TaskItemRef[] = [];
  for (const [i, raw] of refs.entries()) {
    const ref = parseItemRef(raw, i);
    if (out.some((x) => x.code === ref.code)) throw new DrawInputError(`items[${i}]`, ref.code, '事项重复 / item listed twice');
    const rows = await q.query<ItemRow>(
      sql`SELECT code, version, department_code, name_zh, name_en, specialty, method, default_ratio_bp, valid_from, valid_to
       FROM items WHERE code = ${ref.code} ORDER BY version DESC`,
    );
    if (rows.length === 0) throw new DrawInputError(`items[${i}]`, ref.code, '不在抽查事项清单中 / not on the item list (items table)');
    const inForce = (r: ItemRow) => r.valid_from <= windowStart && (r.valid_to === null || r.valid_to >= windowStart);
    let row: ItemRow | undefined;
    if (ref.version !== undefined) {
      row = rows.find((r) => r.version === ref.version);
      if (!row) throw new DrawInputError(`items[${i}]`, `${ref.code}@${ref.version}`, `没有该版本（现有 ${rows.map((r) => r.version).join(', ')}） / no such version`);
      if (!inForce(row)) throw new DrawInputError(`items[${i}]`, `${ref.code}@${ref.version}`, `检查窗口首日 ${windowStart} 不在该版本有效期内 / this version is not in force on the window's first day`);
    } else {
      row = rows.find(inForce);
      if (!row) throw new DrawInputError(`items[${i}]`, ref.code, `检查窗口首日 ${windowStart} 没有有效版本 / no version in force on the window's first day`);
    }
    out.push({ code: row.code, version: row.version, departmentCode: row.department_code, nameZh: row.name_zh, nameEn: row.name_en, specialty: row.specialty, method: row.method, defaultRatioBp: row.default_ratio_bp });
  }
  return out;
}

/** Checks a team specification against the task's departments; returns it normalised. */
export function validateTeamSpec(teamSpec: unknown, departments: string[]): TeamEntry[] {
  if (!Array.isArray(teamSpec) || teamSpec.length === 0) throw new DrawInputError('teamSpec', teamSpec, '须为非空列表 [{department, count}] / must be a non-empty list [{department, count}]');
  const seen = new Set<string>();
  let officers = 0;
  let expertSeen = false;
  const out: TeamEntry[] = (teamSpec as TeamEntry[]).map((entry, i) => {
    const field = `teamSpec[${i}]`;
    if (!entry || typeof entry.department !== 'string') throw new DrawInputError(`${field}.department`, entry?.department, '须给出部门 / needs a department');
    const { department, expert } = parseTeamLabel(entry.department);
    if (!departments.includes(department))
      throw new DrawInputError(`${field}.department`, entry.department, `不是本任务的参与部门 (${departments.join(', ')}) / not a participating department of this task`);
    if (seen.has(entry.department)) throw new DrawInputError(`${field}.department`, entry.department, '同一部门只能列一次 / each label may appear once');
    seen.add(entry.department);
    if (!Number.isInteger(entry.count) || entry.count < 1 || entry.count > 20) throw new DrawInputError(`${field}.count`, entry.count, '须为 1..20 的整数 / must be an integer 1..20');
    if (entry.cap !== undefined && (!Number.isInteger(entry.cap) || entry.cap < 1)) throw new DrawInputError(`${field}.cap`, entry.cap, '须为正整数 / must be a positive integer');
    if (!expert && expertSeen) throw new DrawInputError(`${field}.department`, entry.department, '专家和第三方列在执法人员之后 / list expert entries after the officers');
    if (expert) expertSeen = true;
    else officers += entry.count;
    return entry.cap === undefined ? { department: entry.department, count: entry.count } : { department: entry.department, count: entry.count, cap: entry.cap };
  });
  for (const d of departments)
    if (!seen.has(d)) throw new DrawInputError('teamSpec', d, '联合抽查须有每个参与部门的执法人员 / every participating department needs officers on the team');
  if (officers < MIN_OFFICERS)
    throw new DrawInputError('teamSpec', officers, `每组至少 ${MIN_OFFICERS} 名持证执法人员，专家和第三方只能在此之外 / at least ${MIN_OFFICERS} certified officers per team; experts and third parties only on top`);
  return out;
}

/** Default team: two officers of the lead department, one of every other participating department. */
export function defaultTeamSpec(leadDepartment: string, departments: string[]): TeamEntry[] {
  return departments.map((d) => ({ department: d, count: d === leadDepartment ? MIN_OFFICERS : 1 }));
}

/** fd2 §1: a beacon due at least this long after the commitment, unless the task says otherwise. */
export const DEFAULT_MIN_BEACON_GAP_MINUTES = 60;

interface TaskRow {
  id: string;
  plan_id: string;
  kind: TaskKind;
  name: string;
  public_name: string;
  alert_evidence: string | null;
  lead_department: string;
  departments: string[];
  scope: string;
  strata_mode: StrataMode;
  ratios: string | null;
  counts: string | null;
  team_spec: string;
  window_start: string;
  window_end: string;
  min_beacon_gap_minutes: number;
  status: TaskStatus;
  created_by: string;
  created_at: Date;
  approved_by: string | null;
  approved_at: Date | null;
  jurisdiction_region_code: string;
}

// One row per task with its plan's jurisdiction.
const TASK_SELECT = sql`SELECT t.id, t.plan_id, t.kind, t.name, t.public_name, t.alert_evidence::VARCHAR AS alert_evidence, t.lead_department, t.departments, t.scope::VARCHAR AS scope, t.strata_mode,
  t.ratios::VARCHAR AS ratios, t.counts::VARCHAR AS counts, t.team_spec::VARCHAR AS team_spec, t.window_start, t.window_end,
  t.min_beacon_gap_minutes, t.status, t.created_by, t.created_at, t.approved_by, t.approved_at, p.jurisdiction_region_code
  FROM tasks t JOIN plans p ON p.id = t.plan_id`;

async function taskItems(q: Queryable, taskIds: string[]): Promise<Map<string, TaskItemRef[]>> {
  const rows = await q.query<ItemRow & { task_id: string }>(
    sql`SELECT ti.task_id, i.code, i.version, i.department_code, i.name_zh, i.name_en, i.specialty, i.method, i.default_ratio_bp, i.valid_from, i.valid_to
     FROM task_items ti JOIN items i ON i.code = ti.item_code AND i.version = ti.item_version
     WHERE list_contains(CAST(${JSON.stringify(taskIds)}::JSON AS VARCHAR[]), ti.task_id)
     ORDER BY ti.task_id, ti.position`,
  );
  const out = new Map<string, TaskItemRef[]>();
  for (const r of rows) {
    const list = out.get(r.task_id) ?? [];
    list.push({ code: r.code, version: r.version, departmentCode: r.department_code, nameZh: r.name_zh, nameEn: r.name_en, specialty: r.specialty, method: r.method, defaultRatioBp: r.default_ratio_bp });
    out.set(r.task_id, list);
  }
  return out;
}

function toTask(r: TaskRow, items: TaskItemRef[]): Task {
  return {
    id: r.id,
    planId: r.plan_id,
    kind: r.kind,
    name: r.name,
    publicName: r.public_name,
    alertEvidence: r.alert_evidence ? JSON.parse(r.alert_evidence) : null,
    leadDepartment: r.lead_department,
    departments: r.departments,
    items,
    scope: JSON.parse(r.scope),
    strataMode: r.strata_mode,
    ratiosBp: r.ratios ? JSON.parse(r.ratios) : null,
    counts: r.counts ? JSON.parse(r.counts) : null,
    teamSpec: JSON.parse(r.team_spec),
    windowStart: r.window_start,
    windowEnd: r.window_end,
    minBeaconGapMinutes: r.min_beacon_gap_minutes,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    jurisdictionRegionCode: r.jurisdiction_region_code,
  };
}

export async function getTask(q: Queryable, id: string): Promise<Task> {
  const row = await q.one<TaskRow>(sql`${TASK_SELECT} WHERE t.id = ${id}`);
  if (!row) throw new DrawNotFoundError('task', id);
  return toTask(row, (await taskItems(q, [id])).get(id) ?? []);
}

export async function listTasks(q: Queryable, filter: { planId?: string; department?: string; year?: number } = {}): Promise<Task[]> {
  const plan = filter.planId ?? null;
  const dept = filter.department ?? null;
  const year = filter.year ?? null;
  const rows = await q.query<TaskRow>(
    sql`${TASK_SELECT}
     WHERE (${plan}::VARCHAR IS NULL OR t.plan_id = ${plan})
       AND (${dept}::VARCHAR IS NULL OR list_contains(t.departments, ${dept}))
       AND (${year}::INTEGER IS NULL OR p.year = ${year})
     ORDER BY t.id`,
  );
  const items = await taskItems(q, rows.map((r) => r.id));
  return rows.map((r) => toTask(r, items.get(r.id) ?? []));
}

/** Validates a task specification against the plan, the item list and the directories; no writes. */
export async function validateTaskSpec(q: Queryable, spec: TaskSpec, plan: Plan): Promise<Omit<Task, 'id' | 'status' | 'createdAt' | 'approvedBy' | 'approvedAt'>> {
  if (!['general', 'key', 'special'].includes(spec.kind)) throw new DrawInputError('kind', spec.kind, '须为 general / key / special（一般 / 重点 / 专项） / must be general, key or special');
  if (typeof spec.name !== 'string' || !spec.name.trim()) throw new DrawInputError('name', spec.name, '任务名称不能为空 / a task needs a name');
  if (spec.publicName !== undefined && !spec.publicName.trim()) throw new DrawInputError('publicName', spec.publicName, '公开名称不能为空 / the public name cannot be blank');
  if (spec.alert && spec.kind !== 'special') throw new DrawInputError('alert', spec.alert.alertId, '只有专项抽查任务来自预警 / only a special task answers an alert');
  if (!spec.createdBy?.trim()) throw new DrawInputError('createdBy', spec.createdBy, '须记录创建人 / the creator must be recorded');
  if (!isIsoDate(spec.windowStart)) throw new DrawInputError('windowStart', spec.windowStart, '须为 YYYY-MM-DD 日期 / must be a YYYY-MM-DD date');
  if (!isIsoDate(spec.windowEnd)) throw new DrawInputError('windowEnd', spec.windowEnd, '须为 YYYY-MM-DD 日期 / must be a YYYY-MM-DD date');
  if (spec.windowEnd < spec.windowStart) throw new DrawInputError('windowEnd', spec.windowEnd, `早于窗口开始 ${spec.windowStart} / is before the window start`);
  if (Number(spec.windowStart.slice(0, 4)) !== plan.year)
    throw new DrawInputError('windowStart', spec.windowStart, `须在计划年度 ${plan.year} 内 / must fall in the plan's year ${plan.year}`);

  const items = await resolveItems(q, spec.items, spec.windowStart);
  const leadDepartment = spec.leadDepartment ?? plan.leadDepartment;
  await requireDepartment(q, 'leadDepartment', leadDepartment);
  const itemDepartments = [...new Set(items.map((i) => i.departmentCode))];
  const departments = spec.departments ?? [leadDepartment, ...itemDepartments.filter((d) => d !== leadDepartment)];
  if (!Array.isArray(departments) || new Set(departments).size !== departments.length) throw new DrawInputError('departments', departments, '须为不重复的部门列表 / must be a list of distinct departments');
  for (const [i, d] of departments.entries()) await requireDepartment(q, `departments[${i}]`, d);
  if (!departments.includes(leadDepartment)) throw new DrawInputError('departments', departments, `须包含牵头部门 ${leadDepartment} / must include the lead department`);
  for (const item of items)
    if (!departments.includes(item.departmentCode)) throw new DrawInputError('items', item.code, `事项属于 ${item.departmentCode}，该部门未参与本任务 / belongs to a department not taking part`);
  for (const d of departments)
    if (!itemDepartments.includes(d)) throw new DrawInputError('departments', d, '参与部门须至少有一个抽查事项 / every participating department brings at least one item');

  const scopeIn = spec.scope ?? {};
  const list = (field: keyof TaskScope, fallback: string[]): string[] => {
    const v = scopeIn[field];
    if (v === undefined || v === null) return fallback;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new DrawInputError(`scope.${field}`, v, '须为字符串列表 / must be a list of strings');
    return [...new Set(v)];
  };
  const scope: TaskScope = {
    regions: list('regions', [plan.jurisdictionRegionCode]),
    industries: list('industries', []),
    entityTypes: list('entityTypes', []),
    objectKinds: list('objectKinds', ['entity']),
    departments: list('departments', departments),
  };
  if (scope.regions.length === 0) scope.regions = [plan.jurisdictionRegionCode];
  for (const [i, r] of scope.regions.entries()) {
    await requireRegion(q, `scope.regions[${i}]`, r);
    if (!regionWithin(r, plan.jurisdictionRegionCode)) throw new DrawInputError(`scope.regions[${i}]`, r, `不在计划辖区 ${plan.jurisdictionRegionCode} 内 / outside the plan's jurisdiction`);
  }
  for (const [i, c] of scope.industries.entries())
    if (!(await q.one(sql`SELECT code FROM industries WHERE code = ${c}`))) throw new DrawInputError(`scope.industries[${i}]`, c, '不是国民经济行业门类 A..T / not a GB/T 4754 section');
  for (const [i, t] of scope.entityTypes.entries())
    if (!['enterprise', 'individual', 'cooperative'].includes(t)) throw new DrawInputError(`scope.entityTypes[${i}]`, t, '须为 enterprise / individual / cooperative');
  if (scope.objectKinds.length === 0) throw new DrawInputError('scope.objectKinds', scope.objectKinds, '至少一种检查对象 / at least one object kind');
  for (const [i, k] of scope.objectKinds.entries())
    if (!['entity', 'product', 'project', 'behaviour'].includes(k)) throw new DrawInputError(`scope.objectKinds[${i}]`, k, '须为 entity / product / project / behaviour');
  if (scope.departments.length === 0) throw new DrawInputError('scope.departments', scope.departments, '至少一个监管部门 / at least one responsible department');
  for (const [i, d] of scope.departments.entries()) await requireDepartment(q, `scope.departments[${i}]`, d);

  const strataMode = spec.strataMode ?? 'tier';
  if (!['tier', 'tier_city', 'none'].includes(strataMode)) throw new DrawInputError('strataMode', strataMode, '须为 tier / tier_city / none');
  if (spec.ratiosBp && spec.counts) throw new DrawInputError('counts', spec.counts, '比例和数量只能给一种 / give ratios or counts, not both');
  if (spec.ratiosBp) validateNumbers('ratiosBp', spec.ratiosBp, strataMode, RATIO_BP_MAX);
  if (spec.counts) validateNumbers('counts', spec.counts, strataMode, null);
  if (spec.minBeaconGapMinutes !== undefined && !(Number.isSafeInteger(spec.minBeaconGapMinutes) && spec.minBeaconGapMinutes >= 1))
    throw new DrawInputError('minBeaconGapMinutes', spec.minBeaconGapMinutes, '须为正整数（分钟） / must be a whole number of minutes, at least 1');
  const teamSpec = validateTeamSpec(spec.teamSpec ?? defaultTeamSpec(leadDepartment, departments), departments);

  return {
    planId: plan.id,
    kind: spec.kind,
    name: spec.name.trim(),
    publicName: spec.publicName?.trim() || (spec.kind === 'special' ? await plainSpecialName(q, plan.year, scope) : spec.name.trim()),
    alertEvidence: spec.alert ?? null,
    leadDepartment,
    departments,
    items,
    scope,
    strataMode,
    ratiosBp: spec.ratiosBp ?? null,
    counts: spec.counts ?? null,
    teamSpec,
    windowStart: spec.windowStart,
    windowEnd: spec.windowEnd,
    minBeaconGapMinutes: spec.minBeaconGapMinutes ?? DEFAULT_MIN_BEACON_GAP_MINUTES,
    createdBy: spec.createdBy,
    jurisdictionRegionCode: plan.jurisdictionRegionCode,
  };
}

/** A special task's public name when none is given: year, regions and industries, nothing of why ("2026年南山区住宿和餐饮业专项抽查"). */
async function plainSpecialName(q: Queryable, year: number, scope: TaskScope): Promise<string> {
  const names = async (table: 'regions' | 'industries', codes: string[]) =>
    (await q.query<{ name_zh: string }>(sql`SELECT name_zh FROM ${sql.id(table)} WHERE list_contains(CAST(${JSON.stringify(codes)}::JSON AS VARCHAR[]), code) ORDER BY code`))
      .map((r) => r.name_zh)
      .join('、');
  return `${year}年${await names('regions', scope.regions)}${await names('industries', scope.industries)}专项抽查`;
}

/**
 * Stores a new task. A special task waits for a leader's approval, unless `approvedBy` (a leader creating it) approves
 * it in the same step: both entries go to the audit chain, the approval as the leader's.
 */
export async function createTask(db: Db, spec: TaskSpec, options: { approvedBy?: string } = {}): Promise<Task> {
  const plan = await getPlan(db, spec.planId);
  const v = await validateTaskSpec(db, spec, plan);
  return db.transaction(async (tx) => {
    const id = await nextYearlyId(tx, 'tasks', 'T', plan.year);
    const createdAt = new Date();
    const status: TaskStatus = v.kind === 'special' ? 'awaiting_approval' : 'ready';
    await tx.exec(
      sql`INSERT INTO tasks (id, plan_id, kind, name, public_name, alert_evidence, lead_department, departments, scope, strata_mode, ratios, counts, team_spec,
         window_start, window_end, min_beacon_gap_minutes, status, created_by, created_at)
       VALUES (${id}, ${v.planId}, ${v.kind}, ${v.name}, ${v.publicName}, ${v.alertEvidence ? JSON.stringify(v.alertEvidence) : null}::JSON, ${v.leadDepartment}, CAST(${JSON.stringify(v.departments)}::JSON AS VARCHAR[]), ${JSON.stringify(v.scope)}::JSON, ${v.strataMode}, ${v.ratiosBp ? JSON.stringify(v.ratiosBp) : null}::JSON, ${v.counts ? JSON.stringify(v.counts) : null}::JSON, ${JSON.stringify(v.teamSpec)}::JSON,
         ${v.windowStart}::DATE, ${v.windowEnd}::DATE, ${v.minBeaconGapMinutes}, ${status}, ${v.createdBy}, ${createdAt.toISOString()}::TIMESTAMPTZ)`,
    );
    for (const [position, item] of v.items.entries())
      await tx.exec(sql`INSERT INTO task_items VALUES (${id}, ${item.code}, ${item.version}, ${item.departmentCode}, ${position + 1})`);
    const task: Task = { ...v, id, status, createdAt, approvedBy: null, approvedAt: null };
    await appendAudit(tx, {
      actor: v.createdBy,
      action: 'task.create',
      subject: id,
      payload: { ...task, items: task.items.map((i) => `${i.code}@${i.version}`), createdAt: createdAt.toISOString(), approvedAt: null },
    });
    await inviteIn(tx, task, { actor: v.createdBy, now: createdAt });
    return status === 'awaiting_approval' && options.approvedBy ? approveIn(tx, task, options.approvedBy) : task;
  });
}

/** Special tasks (专项抽查) need a leader's approval before their draw is committed. */
export async function approveTask(db: Db, taskId: string, approvedBy: string): Promise<Task> {
  return db.transaction(async (tx) => approveIn(tx, await getTask(tx, taskId), approvedBy));
}

async function approveIn(tx: Queryable, task: Task, approvedBy: string): Promise<Task> {
  if (!approvedBy?.trim()) throw new DrawInputError('approvedBy', approvedBy, '须记录审批人 / the approver must be recorded');
  if (task.status !== 'awaiting_approval') throw new DrawStateError('task.not_awaiting_approval', task.id, task.status, `任务 ${task.id} 无需审批或已审批 / task ${task.id} is not awaiting approval (status ${task.status})`);
  const approvedAt = new Date();
  await tx.exec(sql`UPDATE tasks SET status = 'ready', approved_by = ${approvedBy}, approved_at = ${approvedAt.toISOString()}::TIMESTAMPTZ WHERE id = ${task.id}`);
  await appendAudit(tx, { actor: approvedBy, action: 'task.approve', subject: task.id, payload: { taskId: task.id, kind: task.kind, approvedAt: approvedAt.toISOString() } });
  return { ...task, status: 'ready', approvedBy, approvedAt };
}

/** The one checklist of a task: every item of every participating department, in task order. */
export function checklist(task: Task): ChecklistEntry[] {
  return task.items.map((i) => ({ department: i.departmentCode, code: i.code, version: i.version, nameZh: i.nameZh, nameEn: i.nameEn, method: i.method }));
}

/**
 * Takes a partner department out of a task before its draw: its items, its team entries (officers and experts) and its
 * place among the departments. The task must still stand (items, at least two officers); its invitation stays on record.
 */
export async function withdrawDepartment(db: Db, taskId: string, department: string, options: { actor: string; now?: Date }): Promise<Task> {
  if (!options.actor?.trim()) throw new DrawInputError('actor', options.actor, '须记录操作人 / the operator must be recorded');
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const task = await getTask(tx, taskId);
    if (!partnerDepartments(task).includes(department))
      throw new DrawInputError('department', department, `不是任务 ${taskId} 的参与部门（牵头部门不能移除） / not a partner department of task ${taskId} (the lead cannot be withdrawn)`);
    const live = await tx.one<{ id: string; status: string }>(sql`SELECT id, status FROM draws WHERE task_id = ${taskId} AND status <> 'voided'`);
    if (live)
      throw new DrawStateError('task.live_draw_exists', live.id, live.status, `任务 ${taskId} 已有抽取 ${live.id}（${live.status}），不能再改变参与部门 / task ${taskId} already has draw ${live.id}: its departments no longer change`);
    const departments = task.departments.filter((d) => d !== department);
    const teamSpec = validateTeamSpec(
      task.teamSpec.filter((e) => parseTeamLabel(e.department).department !== department),
      departments,
    );
    const scopeDepartments = task.scope.departments.filter((d) => d !== department);
    const scope = { ...task.scope, departments: scopeDepartments.length > 0 ? scopeDepartments : departments };
    await tx.exec(sql`DELETE FROM task_items WHERE task_id = ${taskId} AND department_code = ${department}`);
    await tx.exec(
      sql`UPDATE tasks SET departments = CAST(${JSON.stringify(departments)}::JSON AS VARCHAR[]), team_spec = ${JSON.stringify(teamSpec)}::JSON, scope = ${JSON.stringify(scope)}::JSON
       WHERE id = ${taskId}`,
    );
    const items = task.items.filter((i) => i.departmentCode !== department);
    await appendAudit(tx, {
      actor: options.actor,
      action: 'task.withdraw_department',
      subject: taskId,
      payload: { taskId, department, items: items.map((i) => `${i.code}@${i.version}`), departments, teamSpec, withdrawnAt: now.toISOString() },
    });
    return { ...task, departments, teamSpec, scope, items };
  });
}
