// Plans, tasks and fd1 draws over HTTP (/api/plans, /api/tasks, /api/draws): create and approve tasks, commit,
// beacon, run and void draws, the draw's teams, its six published files as a zip, and fd1 verification (of a
// stored draw, or of an uploaded zip). Operators see and change only tasks their department leads or takes part in.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Db } from '../../db/duckdb.ts';
import { createPlan, DrawInputError, DrawNotFoundError, DrawStateError, getPlan, listPlans, type Plan } from '../../draw/plans.ts';
import { approveTask, checklist, createTask, getTask, listTasks, TIERS, validateTaskSpec, type Task, type TaskKind, type TaskSpec, type TaskStatus } from '../../draw/tasks.ts';
import { commitDraw, enterBeacon, getDraw, listDraws, runDraw, voidDraw, type DrawHeader, type DrawStatus, type StratumRecord } from '../../draw/lifecycle.ts';
import { exportDraw } from '../../draw/export.ts';
import { verifyDraw } from '../../draw/verify/verify.ts';
import type { VerifyReport } from '../../draw/verify/report.ts';
import { currentPolicy } from '../../policy/policy.ts';
import { errorResponse, HttpError, requirePrincipal } from '../plugins/auth.ts';
import { DrawZipError, unzipDrawFiles, zipDrawFiles } from './draw-zip.ts';
import { multipartBody, receiveUpload, uploadErrors } from './uploads.ts';
import { date, dateTime, nullableDateTime } from '../schemas.ts';

const READERS = ['admin', 'analyst', 'leader', 'operator'] as const;
const WRITERS = ['admin', 'operator'] as const;
/** Analysts may propose special tasks (from a regional alert); a leader approves them before any draw. */
const TASK_CREATORS = ['admin', 'analyst', 'operator'] as const;
const APPROVERS = ['admin', 'leader'] as const;
const TAGS = ['draws'];

/** An uploaded zip of a draw's files: at 18 M entities population.csv is about 400 MB unpacked. */
export const VERIFY_UPLOAD_MAX_BYTES = 1024 ** 3;
export const VERIFY_UNZIPPED_MAX_BYTES = 4 * 1024 ** 3;
/** A stored draw's verification is kept this long (its files cannot change; the check is costly at 18 M). */
export const VERIFY_CACHE_MS = 10 * 60 * 1000;
export const SELECTION_PAGE_MAX = 1000;
export const UNSTAFFED_LIST_MAX = 1000;

/** Library errors to HTTP answers: input 400, missing 404, state 409. */
export async function mapDrawErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DrawInputError) throw new HttpError(400, 'invalid', err.message);
    if (err instanceof DrawNotFoundError) throw new HttpError(404, 'not found', err.message);
    if (err instanceof DrawStateError) throw new HttpError(409, 'conflict', err.message);
    if (err instanceof DrawZipError) throw new HttpError(400, 'invalid zip', err.message);
    throw err;
  }
}

/** 403 when an operator's department neither leads nor takes part in the task (other roles pass). */
export function assertTaskDepartments(request: FastifyRequest, departments: readonly string[]): void {
  const principal = requirePrincipal(request);
  if (principal.role !== 'operator' || departments.includes(principal.department ?? '')) return;
  throw new HttpError(
    403,
    'forbidden',
    `部门操作员只能访问本部门（${principal.department}）牵头或参与的任务和抽取，该任务属于 ${departments.join('、')}。 ` +
      `Operators may only access tasks and draws their department (${principal.department}) leads or takes part in; this one belongs to ${departments.join(', ')}.`,
  );
}

// ---- schemas ----

const idParam = (description: string) => ({ type: 'string', minLength: 1, maxLength: 64, description }) as const;
const planIdParam = idParam('计划编号 plan id, e.g. P2026-0001');
const taskIdParam = idParam('任务编号 task id, e.g. T2026-0001');
const drawIdParam = idParam('抽取编号 draw id, e.g. D2026-0001');
const departmentCode = { type: 'string', minLength: 1, maxLength: 32 } as const;
const taskKinds: TaskKind[] = ['general', 'key', 'special'];
const taskStatuses: TaskStatus[] = ['awaiting_approval', 'ready'];
const drawStatuses: DrawStatus[] = ['committed', 'beaconed', 'drawn', 'voided'];
const stages = ['awaiting_approval', 'ready', 'committed', 'beaconed', 'drawn'] as const;
const numbersByStratum = {
  type: ['object', 'null'],
  additionalProperties: { type: 'integer' },
  description: '按分层（A..D 或 等级|地市，如 D|440300） per stratum (tier A..D, or tier|city such as D|440300)',
} as const;
const NOT_FOUND = {
  plan: { ...errorResponse, description: '计划不存在 No such plan' },
  task: { ...errorResponse, description: '任务不存在 No such task' },
  draw: { ...errorResponse, description: '抽取不存在 No such draw' },
} as const;

const planSchema = {
  type: 'object',
  required: ['id', 'year', 'jurisdictionRegionCode', 'leadDepartment', 'name', 'createdBy', 'createdAt'],
  properties: {
    id: { type: 'string' },
    year: { type: 'integer' },
    jurisdictionRegionCode: { type: 'string', description: '辖区行政区划代码 jurisdiction (GB/T 2260)' },
    leadDepartment: { type: 'string' },
    name: { type: 'string' },
    createdBy: { type: 'string' },
    createdAt: dateTime,
  },
} as const;

const teamEntrySchema = {
  type: 'object',
  required: ['department', 'count'],
  properties: {
    department: { type: 'string', description: '部门代码，或 部门:expert（专家和第三方） department code, or CODE:expert for experts and third parties' },
    count: { type: 'integer', minimum: 1, maximum: 20 },
    cap: { type: 'integer', minimum: 1, description: '每名人员最多检查对象数（默认按协议计算） a larger per-inspector cap than the protocol default' },
  },
} as const;

const scopeProperties = {
  regions: { type: 'array', items: { type: 'string' }, description: '行政区划代码（默认计划辖区） GB/T 2260 codes (default: the plan\'s jurisdiction)' },
  industries: { type: 'array', items: { type: 'string' }, description: '行业门类 A..T（空为全部） GB/T 4754 sections (empty: all)' },
  entityTypes: { type: 'array', items: { type: 'string', enum: ['enterprise', 'individual', 'cooperative'] } },
  objectKinds: { type: 'array', items: { type: 'string', enum: ['entity', 'product', 'project', 'behaviour'] } },
  departments: { type: 'array', items: { type: 'string' }, description: '对象须由这些部门共同监管（默认参与部门） objects responsible to every one of these departments' },
} as const;

const taskItemSchema = {
  type: 'object',
  required: ['code', 'version', 'departmentCode', 'nameZh', 'nameEn', 'method'],
  properties: {
    code: { type: 'string' },
    version: { type: 'integer' },
    departmentCode: { type: 'string' },
    nameZh: { type: 'string' },
    nameEn: { type: 'string' },
    specialty: { type: 'string' },
    method: { type: 'string' },
    defaultRatioBp: { type: 'integer' },
  },
} as const;

const taskProperties = {
  id: { type: 'string' },
  planId: { type: 'string' },
  kind: { type: 'string', enum: taskKinds, description: '一般 general / 重点 key / 专项 special' },
  name: { type: 'string' },
  leadDepartment: { type: 'string' },
  departments: { type: 'array', items: { type: 'string' }, description: '参与部门，牵头部门在前；多个即联合抽查 participating departments, lead first; several: a joint task' },
  items: { type: 'array', items: taskItemSchema },
  scope: { type: 'object', properties: scopeProperties },
  strataMode: { type: 'string', enum: ['tier', 'tier_city', 'none'] },
  ratiosBp: numbersByStratum,
  counts: numbersByStratum,
  teamSpec: { type: 'array', items: teamEntrySchema },
  windowStart: date,
  windowEnd: date,
  status: { type: 'string', enum: taskStatuses, description: 'awaiting_approval：专项任务待领导审批 special task awaiting a leader; ready' },
  createdBy: { type: 'string' },
  createdAt: dateTime,
  approvedBy: { type: ['string', 'null'] },
  approvedAt: nullableDateTime,
  jurisdictionRegionCode: { type: 'string' },
} as const;
const taskRequired = ['id', 'planId', 'kind', 'name', 'leadDepartment', 'departments', 'items', 'scope', 'strataMode', 'ratiosBp', 'counts', 'teamSpec', 'windowStart', 'windowEnd', 'status', 'createdBy', 'createdAt', 'approvedBy', 'approvedAt'];
const taskSchema = { type: 'object', required: taskRequired, properties: taskProperties } as const;

const liveDrawSchema = {
  type: ['object', 'null'],
  required: ['id', 'status'],
  description: '当前（未作废的）抽取 the task\'s draw that is not voided, if any',
  properties: { id: { type: 'string' }, status: { type: 'string', enum: drawStatuses } },
} as const;

const taskRowSchema = {
  type: 'object',
  required: [...taskRequired, 'stage', 'liveDraw', 'draws'],
  properties: {
    ...taskProperties,
    stage: { type: 'string', enum: stages, description: '待审批、待抽取，或当前抽取的状态 awaiting approval, ready, or the live draw\'s status' },
    liveDraw: liveDrawSchema,
    draws: { type: 'integer', description: '抽取次数（含作废） draws including voided ones' },
  },
} as const;

const strataSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['stratum', 'eligible'],
    properties: {
      stratum: { type: 'string' },
      eligible: { type: 'integer', description: '符合条件的对象数 eligible objects' },
      ratioBp: { type: 'integer' },
      count: { type: 'integer' },
      quota: { type: 'integer', description: '抽取数（抽取后） objects picked, once drawn' },
    },
  },
} as const;

const capsSchema = {
  type: ['array', 'null'],
  items: {
    type: 'object',
    required: ['department', 'count', 'pool', 'cap'],
    properties: { department: { type: 'string' }, count: { type: 'integer' }, pool: { type: 'integer' }, cap: { type: 'integer' } },
  },
} as const;

const drawCountsSchema = {
  type: 'object',
  required: ['selected', 'teamMembers', 'unstaffedObjects', 'exclusions', 'pool'],
  properties: {
    selected: { type: 'integer' },
    teamMembers: { type: 'integer' },
    unstaffedObjects: { type: 'integer' },
    exclusions: { type: 'integer' },
    pool: { type: 'integer' },
  },
} as const;

const drawProperties = {
  id: { type: 'string' },
  taskId: { type: 'string' },
  taskName: { type: 'string' },
  taskKind: { type: 'string', enum: taskKinds },
  departments: { type: 'array', items: { type: 'string' } },
  protocol: { type: 'string' },
  status: { type: 'string', enum: drawStatuses },
  commitment: { type: 'string', description: 'H(secret)，承诺时公开 published at commitment' },
  populationDigest: { type: 'string', description: '冻结名单的摘要 digest of the frozen population (fd1 section 2)' },
  populationSize: { type: 'integer' },
  beacon: { type: ['string', 'null'], description: '公开信标原文；空串为无信标演练 verbatim; "" for a rehearsal without beacon' },
  grindProof: { type: ['boolean', 'null'] },
  committedAt: dateTime,
  beaconedAt: nullableDateTime,
  drawnAt: nullableDateTime,
  voidedAt: nullableDateTime,
  voidReason: { type: ['string', 'null'] },
  voidedBy: { type: ['string', 'null'] },
  voidedFrom: { type: ['string', 'null'] },
  committedBy: { type: 'string' },
  beaconedBy: { type: ['string', 'null'] },
  drawnBy: { type: ['string', 'null'] },
  policyVersion: { type: ['integer', 'null'] },
  modelVersion: { type: ['integer', 'null'] },
  teamSpec: { type: 'array', items: teamEntrySchema },
  strata: strataSchema,
  caps: capsSchema,
  windowStart: date,
  windowEnd: date,
  counts: drawCountsSchema,
} as const;
const drawRequired = ['id', 'taskId', 'taskName', 'status', 'commitment', 'populationDigest', 'populationSize', 'committedAt', 'windowStart', 'windowEnd', 'counts'];
const drawSchema = { type: 'object', required: drawRequired, properties: drawProperties } as const;

const checklistSchema = {
  type: 'array',
  description: '一张检查清单：所有参与部门的全部事项 the one checklist: every item of every participating department',
  items: {
    type: 'object',
    required: ['department', 'code', 'version', 'nameZh', 'nameEn', 'method'],
    properties: { department: { type: 'string' }, code: { type: 'string' }, version: { type: 'integer' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, method: { type: 'string' } },
  },
} as const;

const unstaffedSchema = {
  type: 'object',
  required: ['objectId', 'department', 'reason'],
  properties: { objectId: { type: 'string' }, objectName: { type: ['string', 'null'] }, department: { type: 'string' }, reason: { type: 'string' } },
} as const;

const selectionRowSchema = {
  type: 'object',
  required: ['drawOrder', 'stratum', 'rank', 'objectId', 'team', 'unstaffed'],
  properties: {
    drawOrder: { type: 'integer', description: '抽取顺序（全部分层按 key 升序） draw order: ascending key across strata' },
    stratum: { type: 'string' },
    rank: { type: 'integer', description: '分层内名次 rank within the stratum' },
    objectId: { type: 'string' },
    name: { type: ['string', 'null'] },
    entityType: { type: ['string', 'null'] },
    regionCode: { type: ['string', 'null'] },
    regionNameZh: { type: ['string', 'null'] },
    industryCode: { type: ['string', 'null'] },
    team: {
      type: 'array',
      description: '检查组（内部：含姓名） the team (internal: with names)',
      items: {
        type: 'object',
        required: ['department', 'inspectorId', 'position'],
        properties: { department: { type: 'string' }, inspectorId: { type: 'string' }, inspectorName: { type: ['string', 'null'] }, inspectorKind: { type: ['string', 'null'] }, position: { type: 'integer' } },
      },
    },
    unstaffed: { type: 'array', items: { type: 'object', required: ['department', 'reason'], properties: { department: { type: 'string' }, reason: { type: 'string' } } } },
  },
} as const;

const verifyCheckSchema = {
  type: 'object',
  required: ['id', 'title', 'status', 'detail'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'string', enum: ['ok', 'mismatch', 'warning', 'skipped'] },
    detail: { type: 'string' },
    file: { type: 'string' },
    line: { type: 'integer' },
    content: { type: 'string' },
  },
} as const;

const verifySchema = {
  type: 'object',
  required: ['verified', 'message', 'checks', 'warnings', 'engine', 'elapsedMs', 'checkedAt'],
  properties: {
    drawId: { type: 'string' },
    verified: { type: 'boolean' },
    message: { type: 'string', description: '“fd1 verified”，或第一处不一致（文件、行、内容） "fd1 verified", or the first mismatch (file, line, content)' },
    firstMismatch: verifyCheckSchema,
    checks: { type: 'array', items: verifyCheckSchema },
    warnings: { type: 'array', items: { type: 'string' } },
    engine: { type: 'string', enum: ['js', 'duckdb'] },
    elapsedMs: { type: 'integer' },
    checkedAt: dateTime,
  },
} as const;

// ---- JSON mapping ----

const iso = (d: Date | null) => d?.toISOString() ?? null;

const planJson = (p: Plan) => ({ ...p, createdAt: p.createdAt.toISOString() });
const taskJson = (t: Task) => ({ ...t, createdAt: t.createdAt.toISOString(), approvedAt: iso(t.approvedAt) });
const strataJson = (strata: StratumRecord[]) =>
  strata.map((s) => ({ stratum: s.stratum, eligible: s.eligible, ...(s.ratio_bp !== undefined ? { ratioBp: s.ratio_bp } : {}), ...(s.count !== undefined ? { count: s.count } : {}), ...(s.quota !== undefined ? { quota: s.quota } : {}) }));

function drawJson(d: DrawHeader) {
  const { eligibility: _eligibility, ...rest } = d;
  return {
    ...rest,
    strata: strataJson(d.strata),
    committedAt: d.committedAt.toISOString(),
    beaconedAt: iso(d.beaconedAt),
    drawnAt: iso(d.drawnAt),
    voidedAt: iso(d.voidedAt),
  };
}

type VerifyJson = ReturnType<typeof verifyJson>;
function verifyJson(report: VerifyReport, checkedAt: Date) {
  const first = report.firstMismatch;
  const where = first ? `${first.file ?? ''}${first.line ? ` line ${first.line}` : ''}${first.content !== undefined ? `: ${first.content}` : ''}` : '';
  return {
    verified: report.ok,
    message: first ? `${first.title}: ${where ? `${where}: ` : ''}${first.detail}` : 'fd1 verified',
    ...(first ? { firstMismatch: first } : {}),
    checks: report.checks,
    warnings: report.warnings,
    engine: report.engine,
    elapsedMs: report.elapsedMs,
    checkedAt: checkedAt.toISOString(),
  };
}

/** Stage of a task for lists: awaiting approval, ready to commit, or the status of its live draw. */
function stageOf(task: Task, live: DrawHeader | undefined): (typeof stages)[number] {
  if (task.status === 'awaiting_approval') return 'awaiting_approval';
  return live && live.status !== 'voided' ? live.status : 'ready';
}

// ---- SQL ----

/** One page of a draw's selection in draw order with the object's name, type, region and industry: one row per selected object. */
const SELECTION_PAGE_SQL = `
SELECT s.draw_order, s.stratum, s.rank, s.object_id, o.name, o.entity_type, o.region_code, r.name_zh AS region_name_zh, o.industry_code
FROM draw_selection s
LEFT JOIN objects o ON o.id = s.object_id
LEFT JOIN regions r ON r.code = o.region_code
WHERE s.draw_id = $id
ORDER BY s.draw_order
LIMIT $limit OFFSET $offset`;

/** Team members of that page's objects with the inspector's name and kind: one row per (object, inspector), in position order. */
const PAGE_TEAMS_SQL = `
WITH page AS (SELECT object_id, draw_order FROM draw_selection WHERE draw_id = $id ORDER BY draw_order LIMIT $limit OFFSET $offset)
SELECT t.object_id, t.department_code, t.inspector_id, i.name AS inspector_name, i.kind AS inspector_kind, t.position
FROM draw_teams t
JOIN page p ON p.object_id = t.object_id
LEFT JOIN inspectors i ON i.id = t.inspector_id
WHERE t.draw_id = $id
ORDER BY p.draw_order, t.position`;

/** Unstaffed departments of that page's objects: one row per (object, department). */
const PAGE_UNSTAFFED_SQL = `
WITH page AS (SELECT object_id, draw_order FROM draw_selection WHERE draw_id = $id ORDER BY draw_order LIMIT $limit OFFSET $offset)
SELECT u.object_id, u.department_code, u.reason
FROM draw_unstaffed u JOIN page p ON p.object_id = u.object_id
WHERE u.draw_id = $id
ORDER BY p.draw_order, u.department_code`;

/** Every unstaffed (object, department) of a draw in draw order, with the object's name (at most $limit rows). */
const UNSTAFFED_SQL = `
SELECT u.object_id, o.name AS object_name, u.department_code, u.reason
FROM draw_unstaffed u
JOIN draw_selection s ON s.draw_id = u.draw_id AND s.object_id = u.object_id
LEFT JOIN objects o ON o.id = u.object_id
WHERE u.draw_id = $id
ORDER BY s.draw_order, u.department_code
LIMIT $limit`;

interface SelectionPage {
  total: number;
  limit: number;
  offset: number;
  rows: Array<{
    drawOrder: number;
    stratum: string;
    rank: number;
    objectId: string;
    name: string | null;
    entityType: string | null;
    regionCode: string | null;
    regionNameZh: string | null;
    industryCode: string | null;
    team: Array<{ department: string; inspectorId: string; inspectorName: string | null; inspectorKind: string | null; position: number }>;
    unstaffed: Array<{ department: string; reason: string }>;
  }>;
}

async function selectionPage(db: Db, drawId: string, total: number, limit: number, offset: number): Promise<SelectionPage> {
  const params = { id: drawId, limit, offset };
  const rows = await db.query<{ draw_order: number; stratum: string; rank: number; object_id: string; name: string | null; entity_type: string | null; region_code: string | null; region_name_zh: string | null; industry_code: string | null }>(
    SELECTION_PAGE_SQL,
    params,
  );
  const teams = await db.query<{ object_id: string; department_code: string; inspector_id: string; inspector_name: string | null; inspector_kind: string | null; position: number }>(PAGE_TEAMS_SQL, params);
  const unstaffed = await db.query<{ object_id: string; department_code: string; reason: string }>(PAGE_UNSTAFFED_SQL, params);
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

/** Exports a drawn draw into a fresh temporary folder (internal: the caller already passed the department check). */
async function exportToTemp(db: Db, drawId: string): Promise<{ dir: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-export-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await mapDrawErrors(() => exportDraw(db, drawId, dir, { internal: true }));
    return { dir, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

interface TaskBody {
  planId: string;
  kind: TaskKind;
  name: string;
  leadDepartment?: string;
  departments?: string[];
  items: Array<string | { code: string; version?: number }>;
  scope?: TaskSpec['scope'];
  strataMode?: TaskSpec['strataMode'];
  ratiosBp?: Record<string, number>;
  counts?: Record<string, number>;
  teamSpec?: TaskSpec['teamSpec'];
  windowStart: string;
  windowEnd: string;
}

export const drawRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { fileSize: VERIFY_UPLOAD_MAX_BYTES, files: 1, fields: 10, parts: 11 } });

  // Stored draws' verification, shared by concurrent requests and kept VERIFY_CACHE_MS.
  const verified = new Map<string, { at: number; result: Promise<VerifyJson> }>();

  async function loadTask(request: FastifyRequest, taskId: string): Promise<Task> {
    const task = await mapDrawErrors(() => getTask(app.db, taskId));
    assertTaskDepartments(request, task.departments);
    return task;
  }

  async function loadDraw(request: FastifyRequest, drawId: string): Promise<DrawHeader> {
    const draw = await mapDrawErrors(() => getDraw(app.db, drawId, { rows: false }));
    assertTaskDepartments(request, draw.departments);
    return draw;
  }

  // ---- plans ----

  app.get<{ Querystring: { year?: number; leadDepartment?: string } }>(
    '/plans',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '年度抽查工作计划 Annual plans',
        querystring: { type: 'object', properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 }, leadDepartment: departmentCode } },
        response: { 200: { type: 'object', required: ['plans'], properties: { plans: { type: 'array', items: planSchema } } } },
      },
    },
    async (request) => ({ plans: (await listPlans(app.db, request.query)).map(planJson) }),
  );

  app.post<{ Body: { year: number; jurisdictionRegionCode: string; leadDepartment: string; name: string } }>(
    '/plans',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '新建年度计划 Create an annual plan (operators: their own department leads it)',
        body: {
          type: 'object',
          required: ['year', 'jurisdictionRegionCode', 'leadDepartment', 'name'],
          additionalProperties: false,
          properties: {
            year: { type: 'integer', minimum: 2000, maximum: 2100 },
            jurisdictionRegionCode: { type: 'string', pattern: '^\\d{6}$', description: '辖区行政区划代码 GB/T 2260, e.g. 440300' },
            leadDepartment: departmentCode,
            name: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 201: planSchema },
      },
    },
    async (request, reply) => {
      const actor = requirePrincipal(request);
      assertTaskDepartments(request, [request.body.leadDepartment]);
      const plan = await mapDrawErrors(() => createPlan(app.db, { ...request.body, createdBy: actor.username }));
      return reply.code(201).send(planJson(plan));
    },
  );

  // ---- tasks ----

  app.get(
    '/task-options',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '任务表单选项 What a task form chooses from: departments, regions (cities and districts), industries',
        response: {
          200: {
            type: 'object',
            required: ['departments', 'regions', 'industries'],
            properties: {
              departments: { type: 'array', items: { type: 'object', required: ['code', 'nameZh', 'nameEn'], properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' } } } },
              regions: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'nameZh', 'nameEn', 'level', 'parentCode'],
                  properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' }, level: { type: 'string' }, parentCode: { type: ['string', 'null'] } },
                },
              },
              industries: { type: 'array', items: { type: 'object', required: ['code', 'nameZh', 'nameEn'], properties: { code: { type: 'string' }, nameZh: { type: 'string' }, nameEn: { type: 'string' } } } },
            },
          },
        },
      },
    },
    async () => {
      const departments = await app.db.query<{ code: string; nameZh: string; nameEn: string }>('SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM departments ORDER BY code');
      const regions = await app.db.query<{ code: string; nameZh: string; nameEn: string; level: string; parentCode: string | null }>(
        'SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level, parent_code AS "parentCode" FROM regions ORDER BY code',
      );
      const industries = await app.db.query<{ code: string; nameZh: string; nameEn: string }>('SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM industries ORDER BY code');
      return { departments, regions, industries };
    },
  );


  app.get<{ Querystring: { planId?: string; year?: number; kind?: TaskKind; status?: TaskStatus; department?: string } }>(
    '/tasks',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '抽查任务列表 Tasks (operators: those their department leads or takes part in)',
        querystring: {
          type: 'object',
          properties: {
            planId: planIdParam,
            year: { type: 'integer', minimum: 2000, maximum: 2100 },
            kind: { type: 'string', enum: taskKinds },
            status: { type: 'string', enum: taskStatuses },
            department: { ...departmentCode, description: '只列该部门牵头或参与的；部门操作员只能查本部门 only tasks this department takes part in; operators: their own only' },
          },
        },
        response: { 200: { type: 'object', required: ['tasks'], properties: { tasks: { type: 'array', items: taskRowSchema } } } },
      },
    },
    async (request) => {
      const { planId, year, kind, status, department } = request.query;
      if (department) assertTaskDepartments(request, [department]);
      const principal = requirePrincipal(request);
      const scope = principal.role === 'operator' ? principal.department! : (department ?? undefined);
      const tasks = (await listTasks(app.db, { planId, year, department: scope })).filter((t) => (!kind || t.kind === kind) && (!status || t.status === status));
      const draws = await listDraws(app.db, { department: scope });
      const byTask = new Map<string, DrawHeader[]>();
      for (const d of draws) byTask.set(d.taskId, [...(byTask.get(d.taskId) ?? []), d]);
      return {
        tasks: tasks.map((t) => {
          const own = byTask.get(t.id) ?? [];
          const live = own.find((d) => d.status !== 'voided');
          return { ...taskJson(t), stage: stageOf(t, live), liveDraw: live ? { id: live.id, status: live.status } : null, draws: own.length };
        }),
      };
    },
  );

  app.post<{ Body: TaskBody }>(
    '/tasks',
    {
      config: { access: TASK_CREATORS },
      schema: {
        tags: TAGS,
        summary: '新建抽查任务 Create a task (operators: for their department; analysts: special tasks only, a leader approves them)',
        description:
          '缺省比例取现行抽查比例政策（抽取时）；专项任务须领导审批后才能抽取。 Ratios left out come from the sampling policy in force at commit; a special task needs a leader\'s approval before its draw.',
        body: {
          type: 'object',
          required: ['planId', 'kind', 'name', 'items', 'windowStart', 'windowEnd'],
          additionalProperties: false,
          properties: {
            planId: planIdParam,
            kind: { type: 'string', enum: taskKinds },
            name: { type: 'string', minLength: 1, maxLength: 300, description: '任务名称；专项抽查写明缘由 the task name; a special task says why' },
            leadDepartment: departmentCode,
            departments: { type: 'array', items: departmentCode, minItems: 1, maxItems: 20 },
            items: {
              type: 'array',
              minItems: 1,
              maxItems: 100,
              items: {
                anyOf: [
                  { type: 'string', minLength: 1, maxLength: 40, description: 'CODE 或 CODE@VERSION' },
                  { type: 'object', required: ['code'], additionalProperties: false, properties: { code: { type: 'string', minLength: 1, maxLength: 32 }, version: { type: 'integer', minimum: 1 } } },
                ],
              },
            },
            scope: { type: 'object', additionalProperties: false, properties: scopeProperties },
            strataMode: { type: 'string', enum: ['tier', 'tier_city', 'none'] },
            ratiosBp: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 10000 }, description: '比例（基点，300 = 3%） ratios in basis points per tier or stratum' },
            counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: '固定数量 fixed counts per tier or stratum' },
            teamSpec: { type: 'array', minItems: 1, maxItems: 40, items: { ...teamEntrySchema, additionalProperties: false } },
            windowStart: date,
            windowEnd: date,
          },
        },
        response: { 201: taskSchema, 404: NOT_FOUND.plan },
      },
    },
    async (request, reply) => {
      const actor = requirePrincipal(request);
      if (actor.role === 'analyst' && request.body.kind !== 'special')
        throw new HttpError(403, 'forbidden', '数据分析员只能发起专项抽查任务（须领导审批）；一般和重点任务由部门操作员创建 / analysts may only propose special tasks (a leader approves them); general and key tasks are created by department operators');
      const spec: TaskSpec = { ...request.body, createdBy: actor.username };
      const task = await mapDrawErrors(async () => {
        const plan = await getPlan(app.db, spec.planId);
        const checked = await validateTaskSpec(app.db, spec, plan);
        assertTaskDepartments(request, checked.departments);
        return createTask(app.db, spec);
      });
      return reply.code(201).send(taskJson(task));
    },
  );

  app.get<{ Params: { taskId: string } }>(
    '/tasks/:taskId',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '任务详情 A task: checklist, team specification, scope, strata and ratios in effect, its draws',
        params: { type: 'object', required: ['taskId'], properties: { taskId: taskIdParam } },
        response: {
          200: {
            type: 'object',
            required: [...taskRequired, 'checklist', 'ratiosInEffect', 'policyVersion', 'draws', 'stage', 'liveDraw'],
            properties: {
              ...taskProperties,
              checklist: checklistSchema,
              ratiosInEffect: {
                ...numbersByStratum,
                description: '现在承诺时各等级使用的比例：任务自定，否则现行政策；固定数量时为 null ratios a commit would use now per tier: the task\'s, else the policy\'s; null with fixed counts',
              },
              policyVersion: { type: 'integer', description: '现行抽查比例政策版本（0 为默认） the sampling policy in force (0: the documented default)' },
              stage: taskRowSchema.properties.stage,
              liveDraw: liveDrawSchema,
              draws: { type: 'array', items: drawSchema },
            },
          },
          404: NOT_FOUND.task,
        },
      },
    },
    async (request) => {
      const task = await loadTask(request, request.params.taskId);
      const draws = await listDraws(app.db, { taskId: task.id });
      const live = draws.find((d) => d.status !== 'voided');
      const policy = await currentPolicy(app.db);
      const policyRatios = policy.tierRatiosBp as Record<string, number>;
      const ratiosInEffect = task.counts
        ? null
        : task.strataMode === 'none'
          ? { ALL: task.ratiosBp?.ALL ?? Math.max(...task.items.map((i) => i.defaultRatioBp)) }
          : { ...Object.fromEntries(TIERS.map((tier) => [tier, task.ratiosBp?.[tier] ?? policyRatios[tier]])), ...(task.ratiosBp ?? {}) };
      return {
        ...taskJson(task),
        checklist: checklist(task),
        ratiosInEffect,
        policyVersion: policy.version,
        stage: stageOf(task, live),
        liveDraw: live ? { id: live.id, status: live.status } : null,
        draws: draws.map(drawJson),
      };
    },
  );

  app.post<{ Params: { taskId: string } }>(
    '/tasks/:taskId/approve',
    {
      config: { access: APPROVERS },
      schema: {
        tags: TAGS,
        summary: '领导审批专项任务 A leader approves a special task before its draw',
        params: { type: 'object', required: ['taskId'], properties: { taskId: taskIdParam } },
        response: { 200: taskSchema, 404: NOT_FOUND.task, 409: { ...errorResponse, description: '不是待审批的专项任务 Not a special task awaiting approval' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      return taskJson(await mapDrawErrors(() => approveTask(app.db, request.params.taskId, actor.username)));
    },
  );

  // ---- draws ----

  app.get<{ Querystring: { taskId?: string; status?: DrawStatus; department?: string } }>(
    '/draws',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '抽取列表 Draws: task, status, counts (operators: their department\'s)',
        querystring: {
          type: 'object',
          properties: { taskId: taskIdParam, status: { type: 'string', enum: drawStatuses }, department: departmentCode },
        },
        response: { 200: { type: 'object', required: ['draws'], properties: { draws: { type: 'array', items: drawSchema } } } },
      },
    },
    async (request) => {
      const { taskId, status, department } = request.query;
      if (department) assertTaskDepartments(request, [department]);
      const principal = requirePrincipal(request);
      const scope = principal.role === 'operator' ? principal.department! : department;
      return { draws: (await listDraws(app.db, { taskId, status, department: scope })).map(drawJson) };
    },
  );

  app.get<{ Params: { drawId: string }; Querystring: { limit: number; offset: number } }>(
    '/draws/:drawId',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '抽取详情 A draw: header, strata, one page of the selection with teams, unstaffed objects with reasons',
        description: '内部页面：含检查人员姓名，不含秘密值。 Internal: inspectors are named; the secret is never shown here (it is in the export).',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: SELECTION_PAGE_MAX, default: 200 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: [...drawRequired, 'checklist', 'selection', 'unstaffed'],
            properties: {
              ...drawProperties,
              eligibility: { type: 'object', additionalProperties: true, description: '冻结总体时的资格规则 the eligibility rules the population was frozen with' },
              checklist: checklistSchema,
              selection: {
                type: 'object',
                required: ['total', 'limit', 'offset', 'rows'],
                properties: { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, rows: { type: 'array', items: selectionRowSchema } },
              },
              unstaffed: { type: 'array', items: unstaffedSchema, description: `未配齐检查人员的对象（最多 ${UNSTAFFED_LIST_MAX} 条） objects without a full team (at most ${UNSTAFFED_LIST_MAX})` },
            },
          },
          404: NOT_FOUND.draw,
        },
      },
    },
    async (request) => {
      const drawId = request.params.drawId;
      const detail = await mapDrawErrors(() => getDraw(app.db, drawId, { rows: false }));
      assertTaskDepartments(request, detail.departments);
      const { secret: _secret, seed: _seed, ...header } = detail;
      const unstaffed = await app.db.query<{ object_id: string; object_name: string | null; department_code: string; reason: string }>(UNSTAFFED_SQL, { id: drawId, limit: UNSTAFFED_LIST_MAX });
      return {
        ...drawJson(header),
        eligibility: header.eligibility,
        checklist: header.checklist,
        selection: await selectionPage(app.db, drawId, header.counts.selected, request.query.limit, request.query.offset),
        unstaffed: unstaffed.map((u) => ({ objectId: u.object_id, objectName: u.object_name, department: u.department_code, reason: u.reason })),
      };
    },
  );

  app.post<{ Params: { taskId: string } }>(
    '/tasks/:taskId/draws',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '承诺 Commit a draw: freeze the population and pools, publish H(secret) and the population digest',
        params: { type: 'object', required: ['taskId'], properties: { taskId: taskIdParam } },
        response: {
          201: drawSchema,
          404: NOT_FOUND.task,
          409: { ...errorResponse, description: '待审批、已有抽取、窗口已过、人员库不足或无符合条件的对象 Awaiting approval, a live draw exists, window over, pool too small or nothing eligible' },
        },
      },
    },
    async (request, reply) => {
      const actor = requirePrincipal(request);
      await loadTask(request, request.params.taskId);
      const draw = await mapDrawErrors(() => commitDraw(app.db, request.params.taskId, { actor: actor.username }));
      return reply.code(201).send(drawJson(draw));
    },
  );

  app.post<{ Params: { drawId: string }; Body: { beacon: string } }>(
    '/draws/:drawId/beacon',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '录入信标 Enter the public beacon value (verbatim, once, after the commitment)',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        body: {
          type: 'object',
          required: ['beacon'],
          additionalProperties: false,
          properties: { beacon: { type: 'string', minLength: 1, maxLength: 500, description: '承诺之后才产生的公开值，如“深证成指 2026-03-02 收盘 10234.56” a public value that did not exist at commitment' } },
        },
        response: { 200: drawSchema, 404: NOT_FOUND.draw, 409: { ...errorResponse, description: '信标已录入或抽取已完成、作废 Beacon already entered, or the draw is drawn or voided' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      await loadDraw(request, request.params.drawId);
      return drawJson(await mapDrawErrors(() => enterBeacon(app.db, request.params.drawId, request.body.beacon, { actor: actor.username })));
    },
  );

  app.post<{ Params: { drawId: string }; Body: { rehearsal?: boolean } | null }>(
    '/draws/:drawId/run',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '执行抽取 Run the draw, once: selection, exclusions, teams',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { rehearsal: { type: 'boolean', default: false, description: '无信标演练（记为非防操纵） rehearsal without beacon, recorded as not grind-proof' } },
        },
        response: { 200: drawSchema, 404: NOT_FOUND.draw, 409: { ...errorResponse, description: '尚无信标、已抽取或已作废 No beacon yet, already drawn, or voided' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      await loadDraw(request, request.params.drawId);
      const allowNoBeacon = request.body?.rehearsal === true;
      return drawJson(await mapDrawErrors(() => runDraw(app.db, request.params.drawId, { actor: actor.username, allowNoBeacon })));
    },
  );

  app.post<{ Params: { drawId: string }; Body: { reason: string } }>(
    '/draws/:drawId/void',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '作废抽取 Void a draw with a reason; the record and its rows stay',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 2, maxLength: 500, description: '作废理由 why' } },
        },
        response: { 200: drawSchema, 404: NOT_FOUND.draw, 409: { ...errorResponse, description: '已作废 Already voided' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      await loadDraw(request, request.params.drawId);
      return drawJson(await mapDrawErrors(() => voidDraw(app.db, request.params.drawId, { reason: request.body.reason, actor: actor.username })));
    },
  );

  app.get<{ Params: { drawId: string } }>(
    '/draws/:drawId/export',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '导出公开文件 The six published files of fd1 section 6 as a zip',
        description:
          '检查窗口结束前名单保密：仅供内部核验。 Before the window closes the selection is confidential: for internal checks only (operators: their department\'s draws).',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        response: {
          200: { description: 'zip：manifest.json, population.csv, inspectors.csv, exclusions.csv, selection.csv, teams.csv', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
          404: NOT_FOUND.draw,
          409: { ...errorResponse, description: '尚未抽取 Not drawn yet' },
        },
      },
    },
    async (request, reply) => {
      const draw = await loadDraw(request, request.params.drawId);
      const exported = await exportToTemp(app.db, draw.id);
      const stream = zipDrawFiles(exported.dir, draw.drawnAt ?? draw.committedAt);
      stream.once('end', exported.cleanup);
      stream.once('error', exported.cleanup);
      reply.raw.once('close', exported.cleanup);
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${draw.id}-fd1.zip"`)
        .send(stream);
    },
  );

  app.get<{ Params: { drawId: string } }>(
    '/draws/:drawId/verify',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: 'fd1 核验 Export the stored draw and verify it with the independent verifier (the "verified" badge)',
        params: { type: 'object', required: ['drawId'], properties: { drawId: drawIdParam } },
        response: { 200: verifySchema, 404: NOT_FOUND.draw, 409: { ...errorResponse, description: '尚未抽取 Not drawn yet' } },
      },
    },
    async (request) => {
      const draw = await loadDraw(request, request.params.drawId);
      const key = `${draw.id}|${draw.drawnAt?.toISOString()}`;
      const cached = verified.get(key);
      if (cached && Date.now() - cached.at < VERIFY_CACHE_MS) return { drawId: draw.id, ...(await cached.result) };
      const result = (async () => {
        const exported = await exportToTemp(app.db, draw.id);
        try {
          return verifyJson(await verifyDraw(exported.dir), new Date());
        } finally {
          exported.cleanup();
        }
      })();
      verified.set(key, { at: Date.now(), result });
      result.catch(() => verified.delete(key));
      return { drawId: draw.id, ...(await result) };
    },
  );

  app.post(
    '/draws/verify',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: 'fd1 核验上传的 zip Verify an uploaded zip of a draw\'s six published files',
        description: `multipart/form-data，文件字段 file，最大 ${VERIFY_UPLOAD_MAX_BYTES} 字节。 One file part named "file", at most ${VERIFY_UPLOAD_MAX_BYTES} bytes.`,
        consumes: ['multipart/form-data'],
        body: multipartBody('抽取公开文件的 zip the zip of the six files'),
        response: { 200: verifySchema, ...uploadErrors },
      },
    },
    async (request) => {
      const upload = await receiveUpload(request, { maxBytes: VERIFY_UPLOAD_MAX_BYTES, fallbackName: 'draw.zip' });
      try {
        const dir = join(upload.dir, 'files');
        mkdirSync(dir);
        await mapDrawErrors(() => unzipDrawFiles(upload.path, dir, { maxUncompressedBytes: VERIFY_UNZIPPED_MAX_BYTES }));
        return verifyJson(await verifyDraw(dir), new Date());
      } finally {
        upload.cleanup();
      }
    },
  );
};
