// The audit log over HTTP (/api/audit): the hash chain's status, and the trail of one task or draw (the task,
// its draws, the results entered against them: who did what, when, in order — 尽职照单免责、失职照单问责).
import type { FastifyPluginAsync } from 'fastify';
import { verifyAudit } from '../../audit/chain.ts';
import { errorResponse, HttpError, requirePrincipal } from '../plugins/auth.ts';
import { assertTaskDepartments } from './draws.ts';

const TAGS = ['audit'];
export const TRAIL_MAX_LIMIT = 5000;

/**
 * The audit trail of a task or a draw: the subject's own entries, the entries of its draws (a task's, or the draw
 * itself) and of the results entered against those draws. One row per entry, in chain order, with the match count.
 */
const TRAIL_SQL = `
WITH draws_of AS (SELECT id FROM draws WHERE id = $subject OR task_id = $subject)
SELECT seq, recorded_at, actor, action, subject, payload::VARCHAR AS payload, prev_hash, hash, count(*) OVER () AS total
FROM audit_log
WHERE subject = $subject
   OR subject IN (SELECT id FROM draws_of)
   OR (action LIKE 'result.%' AND json_extract_string(payload, '$.drawId') IN (SELECT id FROM draws_of))
ORDER BY seq
LIMIT $limit OFFSET $offset`;

/** The latest entries of the whole log, newest first, with the log's size. */
const LATEST_SQL = `
SELECT seq, recorded_at, actor, action, subject, payload::VARCHAR AS payload, prev_hash, hash, (SELECT count(*) FROM audit_log) AS total
FROM audit_log
ORDER BY seq DESC
LIMIT $limit OFFSET $offset`;

/** What a subject names: a task, a draw (with its task), or something else (an account, an import kind...). */
const SUBJECT_SQL = `
SELECT 'task' AS kind, t.id AS task_id, t.departments FROM tasks t WHERE t.id = $subject
UNION ALL
SELECT 'draw' AS kind, t.id AS task_id, t.departments FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = $subject`;

interface EntryRow {
  seq: number;
  recorded_at: Date;
  actor: string;
  action: string;
  subject: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
  total: number;
}

const entrySchema = {
  type: 'object',
  required: ['seq', 'recordedAt', 'actor', 'action', 'subject', 'payload', 'prevHash', 'hash'],
  properties: {
    seq: { type: 'integer', description: '链上序号 position in the chain' },
    recordedAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string', description: '操作人 who' },
    action: { type: 'string', description: '操作，如 task.create, draw.commit, result.enter what, e.g. task.create, draw.commit, result.enter' },
    subject: { type: ['string', 'null'] },
    payload: { description: '记录的内容（规范 JSON） what was recorded (canonical JSON)' },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

const toEntry = (r: EntryRow) => ({
  seq: r.seq,
  recordedAt: r.recorded_at.toISOString(),
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  payload: JSON.parse(r.payload) as unknown,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/audit/verify',
    {
      config: { access: ['admin', 'leader', 'analyst'] },
      schema: {
        tags: TAGS,
        summary: '审计链校验 Walk the hash chain: entries, and the first broken entry if any',
        response: {
          200: {
            type: 'object',
            required: ['ok', 'entries', 'checkedAt', 'elapsedMs'],
            properties: {
              ok: { type: 'boolean' },
              entries: { type: 'integer', description: '已检查的条目数 entries checked (up to the break)' },
              seq: { type: 'integer', description: '第一条断裂的条目 the first broken entry' },
              problem: { type: 'string' },
              entry: {
                type: 'object',
                required: ['seq', 'actor', 'action', 'subject'],
                properties: { seq: { type: 'integer' }, actor: { type: 'string' }, action: { type: 'string' }, subject: { type: ['string', 'null'] }, recordedAt: { type: 'string', format: 'date-time' } },
              },
              checkedAt: { type: 'string', format: 'date-time' },
              elapsedMs: { type: 'integer' },
            },
          },
        },
      },
    },
    async () => {
      const started = performance.now();
      // Its own connection: a query on the shared one would end this long stream early (DuckDB closes a pending
      // streaming result when the connection runs another statement), and the chain would look shorter than it is.
      const conn = await app.db.connection();
      let verdict: Awaited<ReturnType<typeof verifyAudit>>;
      try {
        verdict = await verifyAudit(conn);
      } finally {
        conn.close();
      }
      const checkedAt = new Date().toISOString();
      const elapsedMs = Math.round(performance.now() - started);
      if (verdict.ok) return { ...verdict, checkedAt, elapsedMs };
      const entry = await app.db.one<{ seq: number; actor: string; action: string; subject: string | null; recorded_at: Date }>(
        'SELECT seq, actor, action, subject, recorded_at FROM audit_log WHERE seq = $seq',
        { seq: verdict.seq },
      );
      return {
        ...verdict,
        ...(entry ? { entry: { seq: entry.seq, actor: entry.actor, action: entry.action, subject: entry.subject, recordedAt: entry.recorded_at.toISOString() } } : {}),
        checkedAt,
        elapsedMs,
      };
    },
  );

  app.get<{ Querystring: { subject?: string; limit: number; offset: number } }>(
    '/audit',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: TAGS,
        summary: '审计记录 The trail of a task or draw (task, draws, results in chain order); without a subject the latest entries',
        description:
          '部门操作员只能查本部门牵头或参与的任务及其抽取。不给 subject 时按时间倒序列出最新条目（操作员不可）。 ' +
          'Operators: only tasks (and their draws) their department leads or takes part in. Without a subject: the latest entries, newest first (not for operators).',
        querystring: {
          type: 'object',
          properties: {
            subject: { type: 'string', minLength: 1, maxLength: 128, description: '任务或抽取编号（或其他审计对象） a task or draw id (or another audit subject)' },
            limit: { type: 'integer', minimum: 1, maximum: TRAIL_MAX_LIMIT, default: 500 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['subject', 'subjectKind', 'taskId', 'total', 'limit', 'offset', 'entries'],
            properties: {
              subject: { type: ['string', 'null'] },
              subjectKind: { type: ['string', 'null'], enum: ['task', 'draw', 'other', null] },
              taskId: { type: ['string', 'null'], description: '所属任务 the task the subject belongs to' },
              total: { type: 'integer' },
              limit: { type: 'integer' },
              offset: { type: 'integer' },
              entries: { type: 'array', items: entrySchema },
            },
          },
          403: { ...errorResponse, description: '部门操作员：不是本部门的任务或抽取 Operators: not a task or draw of their department' },
          404: { ...errorResponse, description: '部门操作员：没有这个任务或抽取 Operators: no such task or draw' },
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { subject, limit, offset } = request.query;
      if (!subject) {
        if (principal.role === 'operator')
          throw new HttpError(400, 'subject required', '部门操作员须指定本部门的任务或抽取编号 subject / operators name a task or draw of their department (subject=...)');
        const rows = await app.db.query<EntryRow>(LATEST_SQL, { limit, offset });
        return { subject: null, subjectKind: null, taskId: null, total: rows[0]?.total ?? 0, limit, offset, entries: rows.map(toEntry) };
      }
      const owner = await app.db.one<{ kind: 'task' | 'draw'; task_id: string; departments: string[] }>(SUBJECT_SQL, { subject });
      if (owner) assertTaskDepartments(request, owner.departments);
      else if (principal.role === 'operator')
        throw new HttpError(404, 'not found', `没有任务或抽取 ${subject}；部门操作员只能查看本部门任务和抽取的记录 / no task or draw ${subject}: operators may only read the trail of their department's tasks and draws`);
      const rows = await app.db.query<EntryRow>(TRAIL_SQL, { subject, limit, offset });
      return {
        subject,
        subjectKind: owner?.kind ?? 'other',
        taskId: owner?.task_id ?? null,
        total: rows[0]?.total ?? 0,
        limit,
        offset,
        entries: rows.map(toEntry),
      };
    },
  );
};
