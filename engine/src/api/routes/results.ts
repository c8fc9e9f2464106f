// Results entry for department operators (/api/results/...): assignments, enter, correct, history, review of the
// free text, publish, and the deadline report. Writes are the inspecting department's (谁检查、谁录入、谁公开), or an admin's.
import type { FastifyPluginAsync } from 'fastify';
import { DrawNotFoundError } from '../../draw/plans.ts';
import {
  correctResult,
  deadlineReport,
  enterResult,
  FINDINGS_MAX_LENGTH,
  listAssignments,
  publishDrawResults,
  publishResult,
  REASON_MIN_LENGTH,
  resultHistory,
  reviewFindings,
  ResultForbiddenError,
  ResultInputError,
  ResultNotFoundError,
  ResultStateError,
  type Assignment,
  type AssignmentState,
  type DrawResult,
  type HistoryEntry,
  type ResultKey,
} from '../../results/results.ts';
import { assertDepartment, departmentScope, errorResponse, HttpError, requirePrincipal } from '../plugins/auth.ts';
import { date, dateTime, nullableDateTime } from '../schemas.ts';

const READERS = ['admin', 'analyst', 'leader', 'operator'] as const;
const WRITERS = ['admin', 'operator'] as const;
const TAGS = ['results'];

/** Library errors to HTTP answers: input 400, department 403, missing 404, state 409. */
export async function mapResultErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ResultInputError) throw new HttpError(400, 'invalid', err.message);
    if (err instanceof ResultForbiddenError) throw new HttpError(403, 'forbidden', err.message);
    if (err instanceof ResultNotFoundError || err instanceof DrawNotFoundError) throw new HttpError(404, 'not found', err.message);
    if (err instanceof ResultStateError) throw new HttpError(409, 'conflict', err.message);
    throw err;
  }
}

// ---- schemas ----

const findingsReview = { type: ['string', 'null'], enum: ['pending', 'approved', 'withheld', null], description: '文字说明审核状态 review of the free text: null when there is none' } as const;

const keyProperties = {
  drawId: { type: 'string', minLength: 1, maxLength: 64, description: '抽取编号 draw id, e.g. D2026-0001' },
  objectId: { type: 'string', minLength: 1, maxLength: 64, description: '检查对象编号（主体为统一社会信用代码） object id (USCC for entities)' },
  itemCode: { type: 'string', minLength: 1, maxLength: 32, description: '抽查事项编码 item code, e.g. SAMR-001' },
} as const;

const keyParams = { type: 'object', required: ['drawId', 'objectId', 'itemCode'], properties: keyProperties } as const;

const resultState = {
  type: 'object',
  required: ['outcomeCode', 'findings', 'findingsReview', 'findingsPublic', 'reviewedBy', 'reviewedAt', 'inspectedOn', 'dueOn', 'publishedBy', 'publishedAt'],
  properties: {
    outcomeCode: { type: 'string' },
    findings: { type: ['string', 'null'] },
    findingsReview,
    findingsPublic: { type: ['string', 'null'] },
    reviewedBy: { type: ['string', 'null'] },
    reviewedAt: nullableDateTime,
    inspectedOn: date,
    dueOn: date,
    publishedBy: { type: ['string', 'null'] },
    publishedAt: nullableDateTime,
  },
} as const;

const resultSchema = {
  description: '一条检查结果（当前版本） One result, current version',
  type: 'object',
  required: ['id', 'drawId', 'objectId', 'itemCode', 'itemVersion', 'departmentCode', 'version', 'enteredBy', 'enteredAt', 'updatedBy', 'updatedAt', ...resultState.required],
  properties: {
    id: { type: 'string' },
    ...keyProperties,
    itemVersion: { type: 'integer' },
    departmentCode: { type: 'string', description: '检查部门 the inspecting department' },
    ...resultState.properties,
    dueOn: { ...date, description: '公开期限：检查日后第 20 个工作日 publication due date: inspection date + 20 working days' },
    version: { type: 'integer' },
    enteredBy: { type: 'string' },
    enteredAt: dateTime,
    updatedBy: { type: 'string' },
    updatedAt: dateTime,
  },
} as const;

const historySchema = {
  description: '结果及其全部版本 The result and every version of it (who, when, why, before, after)',
  type: 'object',
  required: ['result', 'history'],
  properties: {
    result: resultSchema,
    history: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'change', 'changedBy', 'changedAt', 'reason', 'before', 'after'],
        properties: {
          version: { type: 'integer' },
          change: { type: 'string', enum: ['enter', 'correct', 'review', 'publish'] },
          changedBy: { type: 'string' },
          changedAt: dateTime,
          reason: { type: ['string', 'null'] },
          before: { anyOf: [{ type: 'null' }, resultState] },
          after: resultState,
        },
      },
    },
  },
} as const;

const deadlineStates = ['published_on_time', 'published_late', 'overdue', 'due_soon', 'open'] as const;
const assignmentStates: AssignmentState[] = ['not_entered', 'entered', 'published'];

const assignmentSchema = {
  type: 'object',
  required: ['drawId', 'objectId', 'itemCode', 'taskId', 'taskName', 'state', 'dueOn', 'deadline'],
  properties: {
    ...keyProperties,
    taskId: { type: 'string' },
    taskName: { type: 'string' },
    windowStart: date,
    windowEnd: date,
    objectName: { type: 'string' },
    entityType: { type: ['string', 'null'] },
    regionCode: { type: 'string' },
    itemVersion: { type: 'integer' },
    itemNameZh: { type: 'string' },
    itemNameEn: { type: 'string' },
    departmentCode: { type: 'string' },
    inspectorIds: { type: 'array', items: { type: 'string' }, description: '本部门检查组成员编号 the team inspectors of this department (ids)' },
    state: { type: 'string', enum: assignmentStates },
    outcomeCode: { type: ['string', 'null'] },
    inspectedOn: { type: ['string', 'null'], format: 'date' },
    findingsReview,
    version: { type: ['integer', 'null'] },
    publishedAt: nullableDateTime,
    dueOn: { ...date, description: '公开期限；未录入时为最迟期限（窗口结束日后第 20 个工作日） due date; before entry the latest it can be (window end + 20 working days)' },
    dueIsLatest: { type: 'boolean' },
    deadline: { type: 'string', enum: deadlineStates },
    workingDaysLeft: { type: 'integer', description: '距期限的工作日，负数为逾期 working days to the due date; negative: overdue' },
  },
} as const;

const departmentQuery = { type: 'string', minLength: 1, maxLength: 32, description: '部门代码；部门操作员只能查本部门 department code; operators: their own only' } as const;

const toResultJson = (r: DrawResult) => ({
  ...r,
  reviewedAt: r.reviewedAt?.toISOString() ?? null,
  enteredAt: r.enteredAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  publishedAt: r.publishedAt?.toISOString() ?? null,
});
const toHistoryJson = (h: HistoryEntry) => ({ ...h, changedAt: h.changedAt.toISOString() });
const toAssignmentJson = (a: Assignment) => ({ ...a, publishedAt: a.publishedAt?.toISOString() ?? null });

/** The department a listing covers: an operator's own (asking for another is 403), else the one asked for or all. */
function listingDepartment(request: Parameters<typeof departmentScope>[0], asked: string | undefined): string | null {
  if (asked) assertDepartment(request, asked);
  return departmentScope(request) ?? asked ?? null;
}

export const resultRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { department?: string; drawId?: string; state?: AssignmentState; limit: number; offset: number; dueSoonDays: number } }>(
    '/results/assignments',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '待检查与待录入 Objects and items assigned to a department, with result state and due date',
        description: '已完成抽取的抽取中，检查组含本部门人员的抽中对象 × 本部门的事项。 Drawn draws: every selected object whose team holds the department, times its items.',
        querystring: {
          type: 'object',
          properties: {
            department: departmentQuery,
            drawId: keyProperties.drawId,
            state: { type: 'string', enum: assignmentStates },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
            dueSoonDays: { type: 'integer', minimum: 0, maximum: 60, default: 5, description: '临近期限的工作日数 working days that count as due soon' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['total', 'today', 'assignments'],
            properties: { total: { type: 'integer' }, today: date, assignments: { type: 'array', items: assignmentSchema } },
          },
        },
      },
    },
    async (request) => {
      const { department, drawId, state, limit, offset, dueSoonDays } = request.query;
      const page = await listAssignments(app.db, {
        department: listingDepartment(request, department),
        drawId,
        state,
        limit,
        offset,
        dueSoonWorkingDays: dueSoonDays,
      });
      return { ...page, assignments: page.assignments.map(toAssignmentJson) };
    },
  );

  app.get<{ Querystring: { department?: string; drawId?: string; dueSoonDays: number } }>(
    '/results/deadlines',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '公开期限报告 Deadline report: overdue and due-soon results (20 working days from inspection)',
        querystring: {
          type: 'object',
          properties: {
            department: departmentQuery,
            drawId: keyProperties.drawId,
            dueSoonDays: { type: 'integer', minimum: 0, maximum: 60, default: 5 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['today', 'dueSoonWorkingDays', 'counts', 'overdue', 'dueSoon'],
            properties: {
              today: date,
              dueSoonWorkingDays: { type: 'integer' },
              counts: {
                type: 'object',
                required: ['overdue', 'dueSoon', 'open', 'publishedOnTime', 'publishedLate'],
                properties: {
                  overdue: { type: 'integer' },
                  dueSoon: { type: 'integer' },
                  open: { type: 'integer' },
                  publishedOnTime: { type: 'integer' },
                  publishedLate: { type: 'integer' },
                },
              },
              overdue: { type: 'array', items: assignmentSchema },
              dueSoon: { type: 'array', items: assignmentSchema },
            },
          },
        },
      },
    },
    async (request) => {
      const { department, drawId, dueSoonDays } = request.query;
      const report = await deadlineReport(app.db, { department: listingDepartment(request, department), drawId, dueSoonWorkingDays: dueSoonDays });
      return { ...report, overdue: report.overdue.map(toAssignmentJson), dueSoon: report.dueSoon.map(toAssignmentJson) };
    },
  );

  app.post<{ Body: ResultKey & { outcomeCode: string; findings?: string | null; inspectedOn: string } }>(
    '/results',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '录入结果 Enter the result of one drawn object and item (the inspecting department only)',
        body: {
          type: 'object',
          required: ['drawId', 'objectId', 'itemCode', 'outcomeCode', 'inspectedOn'],
          additionalProperties: false,
          properties: {
            ...keyProperties,
            outcomeCode: { type: 'string', minLength: 1, maxLength: 32, description: '标准结果代码 standard outcome code, e.g. NO_PROBLEM, FIXED' },
            findings: { type: ['string', 'null'], maxLength: FINDINGS_MAX_LENGTH, description: '文字说明，审核后才公开 free text, public only after review' },
            inspectedOn: { ...date, description: '检查日期，须在检查窗口内且不晚于今天 inspection date: within the window, not in the future' },
          },
        },
        response: {
          201: resultSchema,
          404: { ...errorResponse, description: '抽取、抽中对象或事项不存在 No such draw, selected object or checklist item' },
          409: { ...errorResponse, description: '已录入，或抽取未完成 Already entered, or the draw is not drawn' },
        },
      },
    },
    async (request, reply) => {
      const actor = requirePrincipal(request);
      const { drawId, objectId, itemCode, outcomeCode, findings, inspectedOn } = request.body;
      const result = await mapResultErrors(() => enterResult(app.db, { drawId, objectId, itemCode }, { outcomeCode, findings, inspectedOn }, { actor }));
      return reply.code(201).send(toResultJson(result));
    },
  );

  app.put<{ Params: ResultKey; Body: { outcomeCode?: string; findings?: string | null; inspectedOn?: string; reason: string } }>(
    '/results/:drawId/:objectId/:itemCode',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '更正结果 Correct a result: a new version, the old kept with who, when and why',
        params: keyParams,
        body: {
          type: 'object',
          required: ['reason'],
          minProperties: 2,
          additionalProperties: false,
          properties: {
            outcomeCode: { type: 'string', minLength: 1, maxLength: 32 },
            findings: { type: ['string', 'null'], maxLength: FINDINGS_MAX_LENGTH, description: '新文字说明，null 或空串为删除；改动后须重新审核 new free text (null or empty removes it); needs a new review' },
            inspectedOn: date,
            reason: { type: 'string', minLength: REASON_MIN_LENGTH, maxLength: 500, description: '更正理由 why' },
          },
        },
        response: { 200: resultSchema, 404: { ...errorResponse, description: '尚未录入 Not entered' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      return toResultJson(await mapResultErrors(() => correctResult(app.db, request.params, request.body, { actor })));
    },
  );

  app.get<{ Params: ResultKey }>(
    '/results/:drawId/:objectId/:itemCode/history',
    {
      config: { access: READERS },
      schema: { tags: TAGS, summary: '结果及修改历史 A result and its full history', params: keyParams, response: { 200: historySchema, 404: { ...errorResponse, description: '尚未录入 Not entered' } } },
    },
    async (request) => {
      const { result, history } = await mapResultErrors(() => resultHistory(app.db, request.params));
      assertDepartment(request, result.departmentCode);
      return { result: toResultJson(result), history: history.map(toHistoryJson) };
    },
  );

  app.post<{ Params: ResultKey; Body: { decision: 'approved' | 'withheld'; publicText?: string | null; note?: string | null } }>(
    '/results/:drawId/:objectId/:itemCode/review',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '审核文字说明 Review the free text: approve it (optionally edited) for release, or withhold it',
        params: keyParams,
        body: {
          type: 'object',
          required: ['decision'],
          additionalProperties: false,
          properties: {
            decision: { type: 'string', enum: ['approved', 'withheld'] },
            publicText: { type: ['string', 'null'], maxLength: FINDINGS_MAX_LENGTH, description: '公开文本（如删去商业秘密），默认原文 the text to release, default the text as entered' },
            note: { type: ['string', 'null'], maxLength: 500 },
          },
        },
        response: { 200: resultSchema, 404: { ...errorResponse, description: '尚未录入 Not entered' }, 409: { ...errorResponse, description: '没有文字说明 No free text' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      return toResultJson(await mapResultErrors(() => reviewFindings(app.db, request.params, request.body, { actor })));
    },
  );

  app.post<{ Params: ResultKey }>(
    '/results/:drawId/:objectId/:itemCode/publish',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '公开结果 Publish a result on the portal (redacted)',
        params: keyParams,
        response: { 200: resultSchema, 404: { ...errorResponse, description: '尚未录入 Not entered' }, 409: { ...errorResponse, description: '已公开 Already published' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      return toResultJson(await mapResultErrors(() => publishResult(app.db, request.params, { actor })));
    },
  );

  app.post<{ Body: { drawId: string; department?: string | null } }>(
    '/results/publish',
    {
      config: { access: WRITERS },
      schema: {
        tags: TAGS,
        summary: '批量公开 Publish every entered, unpublished result of a draw for the department',
        body: {
          type: 'object',
          required: ['drawId'],
          additionalProperties: false,
          properties: { drawId: keyProperties.drawId, department: { ...departmentQuery, type: ['string', 'null'] } },
        },
        response: {
          200: { type: 'object', required: ['published'], properties: { published: { type: 'array', items: resultSchema } } },
          404: { ...errorResponse, description: '抽取不存在 No such draw' },
        },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request);
      if (request.body.department) assertDepartment(request, request.body.department);
      const published = await mapResultErrors(() => publishDrawResults(app.db, request.body.drawId, { actor, department: request.body.department }));
      return { published: published.map(toResultJson) };
    },
  );
};

