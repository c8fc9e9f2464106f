// Results entry (谁检查、谁录入、谁公开): the inspecting department enters one result per drawn object and checklist
// item, corrects it with a reason, reviews its free text and publishes it. Every change is a new version with its
// before and after (draw_result_history), an audit entry, and an upsert into inspection_results so the entity's
// record and its next risk score see the finding.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder, type Sql } from '../db/sql.ts';
import { appendAudit } from '../audit/chain.ts';
import { rowHashes } from '../audit/rows.ts';
import { bilingual, EngineError, paramValue, type ErrorParams } from '../kernel/errors.ts';
import type { Principal } from '../auth/roles.ts';
import { WorkCalendar } from '../reference/load.ts';
import { isIsoDate, shanghaiDate } from '../kernel/time.ts';
import { writePublicResult } from '../publish/snapshot.ts';
import { findPersonalData, PERSONAL_DATA_LABELS } from '../publish/redact.ts';
import { deadlineState, latestDueOn, publicationDueOn, workingDaysLeft, type DeadlineState } from './deadline.ts';
import { recordEntityWrite } from '../kernel/derived.ts';
import { assertResultsPublishable } from '../draw/publication.ts';
import { FINDINGS_MAX_LENGTH, REASON_MIN_LENGTH, type Assignment, type AssignmentSort, type AssignmentState, type DeadlineReport, type DrawResult, type FindingsDecision, type FindingsReview, type HistoryEntry, type ResultChange, type ResultCorrection, type ResultEntry, type ResultKey, type ResultState, type SortDirection } from './schemas.ts';

const query = sqlFolder(import.meta.url);

export { FINDINGS_MAX_LENGTH, REASON_MIN_LENGTH } from './schemas.ts';
export type { Assignment, AssignmentState, DeadlineReport, DrawResult, FindingsDecision, FindingsReview, HistoryEntry, ResultChange, ResultCorrection, ResultEntry, ResultKey, ResultState } from './schemas.ts';

// ---- errors: each names what failed; the API maps them to 400, 403, 404, 409 ----

/** Input a user can fix: the field, the value and the rule it broke (400). */
export class ResultInputError extends EngineError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super('invalid', 'result.invalid', bilingual(rule, `${field} = ${JSON.stringify(value)}: `), { field, value: paramValue(value) });
  }
}

/** The caller's department does not inspect this object or item (403). */
export class ResultForbiddenError extends EngineError {
  constructor(code: string, message: string, params: ErrorParams = {}) {
    super('forbidden', code, bilingual(message), params);
  }
}

/** No such draw, selected object, checklist item or entered result (404). */
export class ResultNotFoundError extends EngineError {
  constructor(code: string, message: string, params: ErrorParams = {}) {
    super('not_found', code, bilingual(message), params);
  }
}

/** Not allowed in the current state, e.g. entering twice or publishing again (409). */
export class ResultStateError extends EngineError {
  constructor(code: string, message: string, params: ErrorParams = {}) {
    super('conflict', code, bilingual(message), params);
  }
}

export function resultIdOf(key: ResultKey): string {
  return `${key.drawId}|${key.objectId}|${key.itemCode}`;
}

const describeKey = (key: ResultKey) => `${key.drawId} / ${key.objectId} / ${key.itemCode}`;

// ---- reading ----

interface ResultRow {
  id: string;
  draw_id: string;
  object_id: string;
  item_code: string;
  item_version: number;
  department_code: string;
  outcome_code: string;
  findings: string | null;
  findings_review: FindingsReview | null;
  findings_public: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  inspected_on: string;
  due_on: string;
  version: number;
  entered_by: string;
  entered_at: Date;
  updated_by: string;
  updated_at: Date;
  published_by: string | null;
  published_at: Date | null;
}

// One row per current result (the stored version).
const RESULT_SELECT = sql`SELECT id, draw_id, object_id, item_code, item_version, department_code, outcome_code, findings, findings_review,
  findings_public, reviewed_by, reviewed_at, inspected_on, due_on, version, entered_by, entered_at, updated_by, updated_at,
  published_by, published_at FROM draw_results`;

function toResult(r: ResultRow): DrawResult {
  return {
    id: r.id,
    drawId: r.draw_id,
    objectId: r.object_id,
    itemCode: r.item_code,
    itemVersion: r.item_version,
    departmentCode: r.department_code,
    outcomeCode: r.outcome_code,
    findings: r.findings,
    findingsReview: r.findings_review,
    findingsPublic: r.findings_public,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    inspectedOn: r.inspected_on,
    dueOn: r.due_on,
    version: r.version,
    enteredBy: r.entered_by,
    enteredAt: r.entered_at,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
    publishedBy: r.published_by,
    publishedAt: r.published_at,
  };
}

export function stateOf(r: DrawResult): ResultState {
  return {
    outcomeCode: r.outcomeCode,
    findings: r.findings,
    findingsReview: r.findingsReview,
    findingsPublic: r.findingsPublic,
    reviewedBy: r.reviewedBy,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
    inspectedOn: r.inspectedOn,
    dueOn: r.dueOn,
    publishedBy: r.publishedBy,
    publishedAt: r.publishedAt?.toISOString() ?? null,
  };
}

/** The current result of one (draw, object, item), or undefined when not entered. */
export async function findResult(q: Queryable, key: ResultKey): Promise<DrawResult | undefined> {
  const row = await q.one<ResultRow>(sql`${RESULT_SELECT} WHERE draw_id = ${key.drawId} AND object_id = ${key.objectId} AND item_code = ${key.itemCode}`);
  return row ? toResult(row) : undefined;
}

export async function getResult(q: Queryable, key: ResultKey): Promise<DrawResult> {
  const result = await findResult(q, key);
  if (!result) throw new ResultNotFoundError('result.not_entered', `结果 ${describeKey(key)} 尚未录入 / no result has been entered for ${describeKey(key)}`, key);
  return result;
}

/** The current result and every version of it, oldest first. */
export async function resultHistory(q: Queryable, key: ResultKey): Promise<{ result: DrawResult; history: HistoryEntry[] }> {
  const result = await getResult(q, key);
  const rows = await q.query<{ version: number; change: ResultChange; changed_by: string; changed_at: Date; reason: string | null; before: string | null; after: string }>(
    sql`SELECT version, change, changed_by, changed_at, reason, before::VARCHAR AS before, after::VARCHAR AS after
     FROM draw_result_history WHERE result_id = ${result.id} ORDER BY version`,
  );
  return {
    result,
    history: rows.map((r) => ({
      version: r.version,
      change: r.change,
      changedBy: r.changed_by,
      changedAt: r.changed_at,
      reason: r.reason,
      before: r.before === null ? null : (JSON.parse(r.before) as ResultState),
      after: JSON.parse(r.after) as ResultState,
    })),
  };
}

// ---- permissions ----

/**
 * What releasing free text (`publicText`: the text approved, or to be published; null when none is released) needs
 * beside the result's state: four eyes (whoever entered the result neither approves its free text nor publishes it)
 * and no personal data in it (phone, ID card and bank card numbers, home addresses: redact.ts findPersonalData), which
 * blocks approval and publication until the text is cleaned.
 */
function checkFreeTextRelease(result: DrawResult, actor: Principal, step: 'approve' | 'publish', publicText: string | null): void {
  const key = { drawId: result.drawId, objectId: result.objectId, itemCode: result.itemCode };
  if (publicText !== null && actor.username === result.enteredBy)
    throw new ResultForbiddenError(
      'result.four_eyes',
      step === 'approve'
        ? `四眼原则：${describeKey(key)} 由 ${result.enteredBy} 录入，其文字说明须由另一人审核 / four eyes: ${result.enteredBy} entered ${describeKey(key)}, so another person reviews its free text`
        : `四眼原则：${describeKey(key)} 的文字说明将公开，由 ${result.enteredBy} 录入，须由另一人公开 / four eyes: ${result.enteredBy} entered ${describeKey(key)}, whose free text is released, so another person publishes it`,
      { ...key, enteredBy: result.enteredBy },
    );
  const found = publicText === null ? [] : findPersonalData(publicText);
  if (found.length)
    throw new ResultStateError(
      'result.personal_data',
      `公开文本含个人信息，须删除后才能${step === 'approve' ? '批准' : '公开'}：${found.map((f) => `${PERSONAL_DATA_LABELS[f.kind].zh}“${f.text}”`).join('、')} / ` +
        `the public text holds personal data, to be removed before it is ${step === 'approve' ? 'approved' : 'published'}: ${found.map((f) => `${PERSONAL_DATA_LABELS[f.kind].en} "${f.text}"`).join(', ')}`,
      { ...key, kinds: [...new Set(found.map((f) => f.kind))].join(',') },
    );
}

/** Only operators of `departmentCode` (and admins) change its results. */
export function requireInspectingDepartment(actor: Principal, departmentCode: string, key: ResultKey): void {
  if (actor.role === 'admin') return;
  if (actor.role !== 'operator')
    throw new ResultForbiddenError('result.role', `只有检查部门的操作员可以录入和公开结果 / only an operator of the inspecting department may change results (role ${actor.role})`, { role: actor.role });
  if (actor.department !== departmentCode)
    throw new ResultForbiddenError(
      'result.other_department',
      `谁检查、谁录入：${describeKey(key)} 由 ${departmentCode} 检查，${actor.department} 的操作员不能录入或修改 / ` +
        `the inspecting department enters its own results: ${describeKey(key)} is inspected by ${departmentCode}, not ${actor.department}`,
      { ...key, department: actor.department, inspectingDepartment: departmentCode },
    );
}

interface AssignmentContext {
  status: string;
  windowStart: string;
  windowEnd: string;
  selected: boolean;
  itemVersion: number | null;
  itemDepartment: string | null;
  teamDepartments: string[];
}

/** Checks that `actor` may enter a result for `key`: a drawn draw, a selected object, a checklist item of the actor's department on the object's team. */
async function assignmentFor(q: Queryable, key: ResultKey, actor: Principal): Promise<AssignmentContext & { itemVersion: number; itemDepartment: string }> {
  const row = await q.one<{
    status: string;
    window_start: string;
    window_end: string;
    selected: boolean;
    item_version: number | null;
    item_department: string | null;
    team_departments: string[];
  }>(query('assignment-context', { draw: key.drawId, object: key.objectId, item: key.itemCode }));
  if (!row) throw new ResultNotFoundError('draw.not_found', `抽取 ${key.drawId} 不存在 / draw ${key.drawId} does not exist`, { id: key.drawId });
  const ctx: AssignmentContext = {
    status: row.status,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    selected: row.selected,
    itemVersion: row.item_version,
    itemDepartment: row.item_department,
    teamDepartments: row.team_departments,
  };
  if (ctx.status !== 'drawn')
    throw new ResultStateError('result.draw_not_drawn', `抽取 ${key.drawId} 的状态为 ${ctx.status}，只有已完成抽取（drawn）的对象可以录入结果 / draw ${key.drawId} is ${ctx.status}: results are entered for drawn draws only`, { ...key, state: ctx.status });
  if (!ctx.selected) throw new ResultNotFoundError('result.not_selected', `${key.objectId} 不在抽取 ${key.drawId} 的抽中名单中 / ${key.objectId} was not selected in draw ${key.drawId}`, key);
  if (ctx.itemVersion === null || ctx.itemDepartment === null)
    throw new ResultNotFoundError('result.item_not_on_checklist', `事项 ${key.itemCode} 不在抽取 ${key.drawId} 所属任务的检查清单上 / item ${key.itemCode} is not on the checklist of draw ${key.drawId}'s task`, key);
  requireInspectingDepartment(actor, ctx.itemDepartment, key);
  if (actor.role !== 'admin' && !ctx.teamDepartments.includes(ctx.itemDepartment))
    throw new ResultForbiddenError(
      'result.department_not_on_team',
      `${ctx.itemDepartment} 不在 ${key.objectId} 的检查组中（抽取 ${key.drawId}），不能录入 / ${ctx.itemDepartment} has no inspector on ${key.objectId}'s team in draw ${key.drawId}`,
      { ...key, department: ctx.itemDepartment },
    );
  return { ...ctx, itemVersion: ctx.itemVersion, itemDepartment: ctx.itemDepartment };
}

// ---- validation ----

async function checkOutcome(q: Queryable, code: unknown): Promise<string> {
  if (typeof code !== 'string' || !(await q.one(sql`SELECT code FROM outcome_codes WHERE code = ${code}`))) {
    const known = (await q.query<{ code: string }>(sql`SELECT code FROM outcome_codes ORDER BY code`)).map((r) => r.code);
    throw new ResultInputError('outcomeCode', code, `不是标准结果代码 / not a standard outcome code (one of ${known.join(', ')})`);
  }
  return code;
}

function checkInspectedOn(value: unknown, window: { windowStart: string; windowEnd: string }, today: string): string {
  if (!isIsoDate(value)) throw new ResultInputError('inspectedOn', value, '须为 YYYY-MM-DD 日期 / must be a YYYY-MM-DD date');
  if (value < window.windowStart || value > window.windowEnd)
    throw new ResultInputError('inspectedOn', value, `须在检查窗口 ${window.windowStart}..${window.windowEnd} 内 / must fall within the inspection window`);
  if (value > today) throw new ResultInputError('inspectedOn', value, `不能晚于今天 ${today} / cannot be in the future (today is ${today})`);
  return value;
}

function normaliseFindings(value: unknown, field = 'findings'): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ResultInputError(field, value, '须为文本 / must be text');
  const text = value.trim();
  if (text === '') return null;
  if (text.length > FINDINGS_MAX_LENGTH) throw new ResultInputError(field, `${text.slice(0, 20)}…`, `不超过 ${FINDINGS_MAX_LENGTH} 字 / at most ${FINDINGS_MAX_LENGTH} characters`);
  return text;
}

// ---- writing ----

export interface WriteOptions {
  actor: Principal;
  now?: Date;
}

async function writeHistory(
  q: Queryable,
  entry: { resultId: string; version: number; change: ResultChange; by: string; at: Date; reason: string | null; before: ResultState | null; after: ResultState },
): Promise<void> {
  await q.exec(
    sql`INSERT INTO draw_result_history (result_id, version, change, changed_by, changed_at, reason, before, after)
     VALUES (${entry.resultId}, ${entry.version}, ${entry.change}, ${entry.by}, ${entry.at.toISOString()}::TIMESTAMPTZ, ${entry.reason}::VARCHAR,
             ${entry.before === null ? null : JSON.stringify(entry.before)}::JSON, ${JSON.stringify(entry.after)}::JSON)`,
  );
}

/**
 * Mirrors a result into inspection_results (source 'entry', task_ref = draw id) with the inspectors of its department's
 * team. `added`: the entry adds a row, a correction changes it (the risk engine checks row counts against this).
 */
async function mirrorToInspectionResults(q: Queryable, r: DrawResult, added: 0 | 1): Promise<void> {
  // the risk engine's per-entity tables recompute this entity on their next refresh
  await recordEntityWrite(q, 'inspection_results', r.objectId, added);
  await q.exec(
    sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, findings, inspector_ids, task_ref, source)
     SELECT ${r.id}, ${r.objectId}, ${r.inspectedOn}::DATE, ${r.departmentCode}, ${r.itemCode}, ${r.outcomeCode}, ${r.findings}::VARCHAR,
       coalesce((SELECT list(inspector_id ORDER BY position) FROM draw_teams
                 WHERE draw_id = ${r.drawId} AND object_id = ${r.objectId} AND split_part(department_code, ':', 1) = ${r.departmentCode}), []::VARCHAR[]),
       ${r.drawId}, 'entry'
     ON CONFLICT (result_id) DO UPDATE SET object_id = excluded.object_id, inspected_on = excluded.inspected_on,
       department_code = excluded.department_code, item_code = excluded.item_code, outcome_code = excluded.outcome_code,
       findings = excluded.findings, inspector_ids = excluded.inspector_ids, task_ref = excluded.task_ref, source = excluded.source`,
  );
}

/** Writes the new state of an existing result (version already incremented by the caller). */
async function updateResult(q: Queryable, r: DrawResult): Promise<void> {
  await q.exec(
    sql`UPDATE draw_results SET outcome_code = ${r.outcomeCode}, findings = ${r.findings}::VARCHAR, findings_review = ${r.findingsReview}::VARCHAR,
       findings_public = ${r.findingsPublic}::VARCHAR, reviewed_by = ${r.reviewedBy}::VARCHAR,
       reviewed_at = ${r.reviewedAt?.toISOString() ?? null}::TIMESTAMPTZ, inspected_on = ${r.inspectedOn}::DATE, due_on = ${r.dueOn}::DATE,
       version = ${r.version}, updated_by = ${r.updatedBy}, updated_at = ${r.updatedAt.toISOString()}::TIMESTAMPTZ,
       published_by = ${r.publishedBy}::VARCHAR, published_at = ${r.publishedAt?.toISOString() ?? null}::TIMESTAMPTZ
     WHERE id = ${r.id}`,
  );
}

/** History, audit entry, public snapshot (when published) for one change already applied to `after`. */
async function recordChange(
  q: Queryable,
  change: ResultChange,
  before: DrawResult | null,
  after: DrawResult,
  options: { actor: Principal; now: Date; reason: string | null },
): Promise<void> {
  const beforeState = before ? stateOf(before) : null;
  const afterState = stateOf(after);
  await writeHistory(q, { resultId: after.id, version: after.version, change, by: options.actor.username, at: options.now, reason: options.reason, before: beforeState, after: afterState });
  const redactions = after.publishedAt ? await writePublicResult(q, after.id, { actor: options.actor.username, now: options.now }) : [];
  await appendAudit(q, {
    actor: options.actor.username,
    action: `result.${change}`,
    subject: after.id,
    payload: {
      resultId: after.id,
      drawId: after.drawId,
      objectId: after.objectId,
      itemCode: after.itemCode,
      departmentCode: after.departmentCode,
      version: after.version,
      reason: options.reason,
      before: beforeState,
      after: afterState,
      ...(after.publishedAt ? { redactions } : {}),
      rowHashes: { draw_results: await rowHashes(q, 'draw_results', sql`id = ${after.id}`) },
    },
  });
}

/** Enters the result of one drawn object and checklist item, once; corrections go through correctResult. */
export async function enterResult(db: Db, key: ResultKey, entry: ResultEntry, options: WriteOptions): Promise<DrawResult> {
  return db.transaction((tx) => enterResultIn(tx, key, entry, options));
}

/** enterResult inside the caller's transaction (the demo enters a draw's results in one). */
export async function enterResultIn(tx: Queryable, key: ResultKey, entry: ResultEntry, options: WriteOptions): Promise<DrawResult> {
  const now = options.now ?? new Date();
  const today = shanghaiDate(now);
  const ctx = await assignmentFor(tx, key, options.actor);
  const outcomeCode = await checkOutcome(tx, entry.outcomeCode);
  const inspectedOn = checkInspectedOn(entry.inspectedOn, ctx, today);
  const findings = normaliseFindings(entry.findings);
  const existing = await findResult(tx, key);
  if (existing)
    throw new ResultStateError(
      'result.already_entered',
      `${describeKey(key)} 已于 ${shanghaiDate(existing.enteredAt)} 由 ${existing.enteredBy} 录入（第 ${existing.version} 版）；如需更正请用 PUT 并说明理由 / already entered: correct it with PUT and a reason`,
      key,
    );
  const calendar = await WorkCalendar.fromDb(tx);
  const result: DrawResult = {
    ...key,
    id: resultIdOf(key),
    itemVersion: ctx.itemVersion,
    departmentCode: ctx.itemDepartment,
    outcomeCode,
    findings,
    findingsReview: findings === null ? null : 'pending',
    findingsPublic: null,
    reviewedBy: null,
    reviewedAt: null,
    inspectedOn,
    dueOn: publicationDueOn(calendar, inspectedOn),
    version: 1,
    enteredBy: options.actor.username,
    enteredAt: now,
    updatedBy: options.actor.username,
    updatedAt: now,
    publishedBy: null,
    publishedAt: null,
  };
  const by = options.actor.username;
  const at = now.toISOString();
  await tx.exec(
    sql`INSERT INTO draw_results (id, draw_id, object_id, item_code, item_version, department_code, outcome_code, findings, findings_review,
          inspected_on, due_on, version, entered_by, entered_at, updated_by, updated_at)
        VALUES (${result.id}, ${key.drawId}, ${key.objectId}, ${key.itemCode}, ${result.itemVersion}, ${result.departmentCode}, ${outcomeCode},
          ${findings}::VARCHAR, ${result.findingsReview}::VARCHAR, ${inspectedOn}::DATE, ${result.dueOn}::DATE, 1,
          ${by}, ${at}::TIMESTAMPTZ, ${by}, ${at}::TIMESTAMPTZ)`,
  );
  await mirrorToInspectionResults(tx, result, 1);
  await recordChange(tx, 'enter', null, result, { actor: options.actor, now, reason: null });
  return result;
}

/** Corrects an entered result: a new version, the old one kept in the history with who, when and why. */
export async function correctResult(db: Db, key: ResultKey, correction: ResultCorrection, options: WriteOptions): Promise<DrawResult> {
  const now = options.now ?? new Date();
  const today = shanghaiDate(now);
  return db.transaction(async (tx) => {
    const before = await getResult(tx, key);
    requireInspectingDepartment(options.actor, before.departmentCode, key);
    const reason = typeof correction.reason === 'string' ? correction.reason.trim() : '';
    if (reason.length < REASON_MIN_LENGTH) throw new ResultInputError('reason', correction.reason, '更正须说明理由 / a correction needs a reason');
    const after: DrawResult = { ...before, version: before.version + 1, updatedBy: options.actor.username, updatedAt: now };
    const changed: string[] = [];
    if (correction.outcomeCode !== undefined) {
      after.outcomeCode = await checkOutcome(tx, correction.outcomeCode);
      if (after.outcomeCode !== before.outcomeCode) changed.push('outcomeCode');
    }
    if (correction.inspectedOn !== undefined) {
      const window = await tx.one<{ window_start: string; window_end: string }>(
        sql`SELECT t.window_start, t.window_end FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = ${key.drawId}`,
      );
      after.inspectedOn = checkInspectedOn(correction.inspectedOn, { windowStart: window!.window_start, windowEnd: window!.window_end }, today);
      if (after.inspectedOn !== before.inspectedOn) {
        changed.push('inspectedOn');
        after.dueOn = publicationDueOn(await WorkCalendar.fromDb(tx), after.inspectedOn);
      }
    }
    if (correction.findings !== undefined) {
      after.findings = normaliseFindings(correction.findings);
      if (after.findings !== before.findings) {
        changed.push('findings');
        after.findingsReview = after.findings === null ? null : 'pending';
        after.findingsPublic = null;
        after.reviewedBy = null;
        after.reviewedAt = null;
      }
    }
    if (changed.length === 0)
      throw new ResultInputError('outcomeCode/findings/inspectedOn', correction, '更正内容与现有结果相同 / the correction changes nothing');
    await updateResult(tx, after);
    await mirrorToInspectionResults(tx, after, 0);
    await recordChange(tx, 'correct', before, after, { actor: options.actor, now, reason });
    return after;
  });
}

/** An operator of the inspecting department reviews the free text: approve it (optionally edited) for release, or withhold it. */
export async function reviewFindings(db: Db, key: ResultKey, review: FindingsDecision, options: WriteOptions): Promise<DrawResult> {
  return db.transaction((tx) => reviewFindingsIn(tx, key, review, options));
}

/** reviewFindings inside the caller's transaction. */
export async function reviewFindingsIn(tx: Queryable, key: ResultKey, review: FindingsDecision, options: WriteOptions): Promise<DrawResult> {
  const now = options.now ?? new Date();
  const before = await getResult(tx, key);
  requireInspectingDepartment(options.actor, before.departmentCode, key);
  if (before.findings === null) throw new ResultStateError('result.no_findings', `${describeKey(key)} 没有文字说明，无需审核 / this result has no free text to review`, key);
  if (review.decision !== 'approved' && review.decision !== 'withheld')
    throw new ResultInputError('decision', review.decision, '须为 approved（公开）或 withheld（不公开） / must be approved or withheld');
  const publicText = normaliseFindings(review.publicText, 'publicText');
  if (review.decision === 'withheld' && publicText !== null)
    throw new ResultInputError('publicText', review.publicText, '不公开时不能给出公开文本 / a withheld text has no public version');
  const note = typeof review.note === 'string' && review.note.trim() !== '' ? review.note.trim() : null;
  if (review.decision === 'approved') checkFreeTextRelease(before, options.actor, 'approve', publicText ?? before.findings);
  const after: DrawResult = {
    ...before,
    findingsReview: review.decision,
    findingsPublic: review.decision === 'approved' ? (publicText ?? before.findings) : null,
    reviewedBy: options.actor.username,
    reviewedAt: now,
    version: before.version + 1,
    updatedBy: options.actor.username,
    updatedAt: now,
  };
  await updateResult(tx, after);
  await recordChange(tx, 'review', before, after, { actor: options.actor, now, reason: note });
  return after;
}

async function publishOne(tx: Queryable, key: ResultKey, options: { actor: Principal; now: Date }): Promise<DrawResult> {
  const before = await getResult(tx, key);
  requireInspectingDepartment(options.actor, before.departmentCode, key);
  if (before.publishedAt)
    throw new ResultStateError('result.already_published', `${describeKey(key)} 已于 ${shanghaiDate(before.publishedAt)} 由 ${before.publishedBy} 公开 / already published`, key);
  checkFreeTextRelease(before, options.actor, 'publish', before.findingsReview === 'approved' ? before.findingsPublic : null);
  const after: DrawResult = {
    ...before,
    publishedBy: options.actor.username,
    publishedAt: options.now,
    version: before.version + 1,
    updatedBy: options.actor.username,
    updatedAt: options.now,
  };
  await updateResult(tx, after);
  await recordChange(tx, 'publish', before, after, { actor: options.actor, now: options.now, reason: null });
  return after;
}

/** Publishes one result: from now on the portal shows its redacted snapshot (refreshed on every later change). */
export async function publishResult(db: Db, key: ResultKey, options: WriteOptions): Promise<DrawResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    await assertResultsPublishable(tx, key.drawId, now);
    return publishOne(tx, key, { actor: options.actor, now });
  });
}

/** Publishes every entered, unpublished result of a draw that the actor's department inspects (admins: all, or one department). */
export async function publishDrawResults(db: Db, drawId: string, options: WriteOptions & { department?: string | null }): Promise<DrawResult[]> {
  const now = options.now ?? new Date();
  const department = options.actor.role === 'operator' ? options.actor.department : (options.department ?? null);
  return db.transaction(async (tx) => {
    if (!(await tx.one(sql`SELECT id FROM draws WHERE id = ${drawId}`))) throw new ResultNotFoundError('draw.not_found', `抽取 ${drawId} 不存在 / draw ${drawId} does not exist`, { id: drawId });
    await assertResultsPublishable(tx, drawId, now);
    const keys = await tx.query<{ draw_id: string; object_id: string; item_code: string }>(
      sql`SELECT draw_id, object_id, item_code FROM draw_results
       WHERE draw_id = ${drawId} AND published_at IS NULL AND (${department}::VARCHAR IS NULL OR department_code = ${department})
       ORDER BY object_id, item_code`,
    );
    const published: DrawResult[] = [];
    for (const k of keys) published.push(await publishOne(tx, { drawId: k.draw_id, objectId: k.object_id, itemCode: k.item_code }, { actor: options.actor, now }));
    return published;
  });
}

// ---- assignments and deadlines ----


interface AssignmentRow {
  draw_id: string;
  task_id: string;
  task_name: string;
  window_start: string;
  window_end: string;
  object_id: string;
  object_name: string;
  entity_type: string | null;
  region_code: string;
  item_code: string;
  item_version: number;
  item_name_zh: string;
  item_name_en: string;
  department_code: string;
  inspector_ids: string[];
  outcome_code: string | null;
  inspected_on: string | null;
  due_on: string | null;
  findings_review: FindingsReview | null;
  version: number | null;
  published_at: Date | null;
  state: AssignmentState;
  total: number;
}

export interface AssignmentFilter {
  /** Operators: their own department; null: every department. */
  department: string | null;
  drawId?: string | null;
  state?: AssignmentState | null;
  limit?: number;
  offset?: number;
  /** The column to order by (then draw, draw order, item position); none: draw, draw order, item position. */
  sort?: AssignmentSort;
  direction?: SortDirection;
  now?: Date;
  dueSoonWorkingDays?: number;
}

/** The SQL of each orderable column of sql/assignments.sql. */
const ASSIGNMENT_ORDER: Record<AssignmentSort, Sql> = {
  objectName: sql`a.object_name`,
  itemCode: sql`a.item_code`,
  departmentCode: sql`a.department_code`,
  state: sql`state`,
  outcomeCode: sql`r.outcome_code`,
  inspectedOn: sql`r.inspected_on`,
  drawId: sql`a.draw_id`,
};

// With no sort asked the work comes first: results to enter, then to publish, then the published; earliest due first.
const WORK_FIRST = sql`CASE WHEN r.id IS NULL THEN 0 WHEN r.published_at IS NULL THEN 1 ELSE 2 END, coalesce(r.due_on, a.window_end)`;

function assignmentOrder(filter: AssignmentFilter): Sql {
  const stable = sql`a.draw_id, a.draw_order, a.position`;
  if (!filter.sort) return sql`${WORK_FIRST}, ${stable}`;
  return sql`${ASSIGNMENT_ORDER[filter.sort]} ${filter.direction === 'descending' ? sql`DESC` : sql`ASC`} NULLS LAST, ${stable}`;
}

function toAssignment(r: AssignmentRow, calendar: WorkCalendar, today: string, dueSoonWorkingDays: number): Assignment {
  const dueOn = r.due_on ?? latestDueOn(calendar, r.window_end);
  const publishedOn = r.published_at ? shanghaiDate(r.published_at) : null;
  return {
    drawId: r.draw_id,
    objectId: r.object_id,
    itemCode: r.item_code,
    taskId: r.task_id,
    taskName: r.task_name,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    objectName: r.object_name,
    entityType: r.entity_type,
    regionCode: r.region_code,
    itemVersion: r.item_version,
    itemNameZh: r.item_name_zh,
    itemNameEn: r.item_name_en,
    departmentCode: r.department_code,
    inspectorIds: r.inspector_ids,
    state: r.state,
    outcomeCode: r.outcome_code,
    inspectedOn: r.inspected_on,
    findingsReview: r.findings_review,
    version: r.version,
    publishedAt: r.published_at,
    dueOn,
    dueIsLatest: r.due_on === null,
    deadline: deadlineState(calendar, { dueOn, publishedOn, today }, dueSoonWorkingDays),
    workingDaysLeft: workingDaysLeft(calendar, publishedOn ?? today, dueOn),
  };
}

async function queryAssignments(q: Queryable, filter: AssignmentFilter, limit: number, offset: number): Promise<AssignmentRow[]> {
  return q.query<AssignmentRow>(
    query('assignments', { department: filter.department, draw: filter.drawId ?? null, state: filter.state ?? null, order: assignmentOrder(filter), limit, offset }),
  );
}

/** The objects and items a department must inspect in drawn draws, with their result state and due date; paged. */
export async function listAssignments(q: Queryable, filter: AssignmentFilter): Promise<{ total: number; today: string; assignments: Assignment[] }> {
  const today = shanghaiDate(filter.now ?? new Date());
  const limit = filter.limit ?? 50;
  const offset = filter.offset ?? 0;
  const calendar = await WorkCalendar.fromDb(q);
  const rows = await queryAssignments(q, filter, limit, offset);
  const total = rows.length > 0 ? rows[0].total : offset > 0 ? ((await queryAssignments(q, filter, 1, 0))[0]?.total ?? 0) : 0;
  return { total, today, assignments: rows.map((r) => toAssignment(r, calendar, today, filter.dueSoonWorkingDays ?? 5)) };
}

/** Where a department's results stand against the 20-working-day publication deadline. */
export async function deadlineReport(q: Queryable, filter: { department: string | null; drawId?: string | null; now?: Date; dueSoonWorkingDays?: number }): Promise<DeadlineReport> {
  const today = shanghaiDate(filter.now ?? new Date());
  const span = filter.dueSoonWorkingDays ?? 5;
  const calendar = await WorkCalendar.fromDb(q);
  const rows = await queryAssignments(q, { department: filter.department, drawId: filter.drawId }, 1_000_000_000, 0);
  const all = rows.map((r) => toAssignment(r, calendar, today, span));
  const byDue = (a: Assignment, b: Assignment) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0);
  const count = (state: DeadlineState) => all.filter((a) => a.deadline === state).length;
  return {
    today,
    dueSoonWorkingDays: span,
    counts: { overdue: count('overdue'), dueSoon: count('due_soon'), open: count('open'), publishedOnTime: count('published_on_time'), publishedLate: count('published_late') },
    overdue: all.filter((a) => a.deadline === 'overdue').sort(byDue),
    dueSoon: all.filter((a) => a.deadline === 'due_soon').sort(byDue),
  };
}
