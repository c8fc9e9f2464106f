// The audit log as people read it: the chain's verdict with its first broken entry, the latest entries, and the trail
// of one task or draw (the task, its draws, the results entered against them: who did what, when, in chain order —
// 尽职照单免责、失职照单问责). Who may read which trail is the draw module's rule (draw/audit-trail.ts).
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { DateTime, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';
import { verifyAudit } from './chain.ts';

export const TRAIL_MAX_LIMIT = 5000;

export const AuditEntryView = Type.Object({
  seq: Type.Integer({ description: '链上序号 position in the chain' }),
  recordedAt: DateTime,
  actor: Type.String({ description: '操作人 who' }),
  action: Type.String({ description: '操作，如 task.create, draw.commit, result.enter what, e.g. task.create, draw.commit, result.enter' }),
  subject: Nullable(Type.String()),
  payload: Type.Unsafe<Record<string, unknown> | null>({ description: '记录的内容（规范 JSON） what was recorded (canonical JSON)' }),
  prevHash: Type.String(),
  hash: Type.String(),
});
export type AuditEntryView = Static<typeof AuditEntryView>;

export const AuditTrail = Type.Object({
  subject: Nullable(Type.String()),
  subjectKind: Nullable(StringEnum(['task', 'draw', 'other'])),
  taskId: Nullable(Type.String({ description: '所属任务 the task the subject belongs to' })),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  entries: Type.Array(AuditEntryView),
});
export type AuditTrail = Static<typeof AuditTrail>;

export const ChainVerdict = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer({ description: '已检查的条目数 entries checked (up to the break)' }),
  seq: Type.Optional(Type.Integer({ description: '第一条断裂的条目 the first broken entry' })),
  problem: Type.Optional(Type.String()),
  entry: Type.Optional(
    Type.Object({ seq: Type.Integer(), actor: Type.String(), action: Type.String(), subject: Nullable(Type.String()), recordedAt: Type.Optional(DateTime) }),
  ),
  checkedAt: DateTime,
  elapsedMs: Type.Integer(),
});
export type ChainVerdict = Static<typeof ChainVerdict>;

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

const ENTRY_COLUMNS = sql`seq, recorded_at, actor, action, subject, payload::VARCHAR AS payload, prev_hash, hash`;

// The trail of a task or a draw: the subject's own entries, the entries of its draws (a task's, or the draw itself) and
// of the results entered against those draws. Grain: one row per entry, in chain order, with the match count.
const trailSql = (subject: string, limit: number, offset: number) => sql`
WITH draws_of AS (SELECT id FROM draws WHERE id = ${subject} OR task_id = ${subject})
SELECT ${ENTRY_COLUMNS}, count(*) OVER () AS total
FROM audit_log
WHERE subject = ${subject}
   OR subject IN (SELECT id FROM draws_of)
   OR (action LIKE 'result.%' AND json_extract_string(payload, '$.drawId') IN (SELECT id FROM draws_of))
ORDER BY seq
LIMIT ${limit} OFFSET ${offset}`;

// The latest entries of the whole log, newest first, with the log's size. Grain: one row per entry.
const latestSql = (limit: number, offset: number) => sql`
SELECT ${ENTRY_COLUMNS}, (SELECT count(*) FROM audit_log) AS total
FROM audit_log
ORDER BY seq DESC
LIMIT ${limit} OFFSET ${offset}`;

// What a subject names: a task, or a draw with its task. Grain: at most one row.
const subjectSql = (subject: string) => sql`
SELECT 'task' AS kind, t.id AS task_id, t.departments FROM tasks t WHERE t.id = ${subject}
UNION ALL
SELECT 'draw' AS kind, t.id AS task_id, t.departments FROM draws d JOIN tasks t ON t.id = d.task_id WHERE d.id = ${subject}`;

const toEntry = (r: EntryRow): AuditEntryView => ({
  seq: r.seq,
  recordedAt: r.recorded_at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  payload: JSON.parse(r.payload) as Record<string, unknown> | null,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** What a subject names: a task, or a draw with its task (and the task's departments); undefined for anything else. */
export function subjectOwner(q: Queryable, subject: string): Promise<{ kind: 'task' | 'draw'; task_id: string; departments: string[] } | undefined> {
  return q.one(subjectSql(subject));
}

/** The entries about `subject` (see trailSql), in chain order, with how many there are. */
export async function trailOf(q: Queryable, subject: string, page: { limit: number; offset: number }): Promise<{ total: number; entries: AuditEntryView[] }> {
  const rows = await q.query<EntryRow>(trailSql(subject, page.limit, page.offset));
  return { total: rows[0]?.total ?? 0, entries: rows.map(toEntry) };
}

/** The latest entries of the whole log, newest first, with the log's size. */
export async function latestEntries(q: Queryable, page: { limit: number; offset: number }): Promise<{ total: number; entries: AuditEntryView[] }> {
  const rows = await q.query<EntryRow>(latestSql(page.limit, page.offset));
  return { total: rows[0]?.total ?? 0, entries: rows.map(toEntry) };
}

/** Walks the hash chain; a break names its first entry. */
export async function chainVerdict(db: Db): Promise<ChainVerdict> {
  const started = performance.now();
  // Its own connection: a query on the shared one would end this long stream early (DuckDB closes a pending
  // streaming result when the connection runs another statement), and the chain would look shorter than it is.
  const conn = await db.connection();
  let verdict: Awaited<ReturnType<typeof verifyAudit>>;
  try {
    verdict = await verifyAudit(conn);
  } finally {
    conn.close();
  }
  const checkedAt = new Date();
  const elapsedMs = Math.round(performance.now() - started);
  if (verdict.ok) return { ...verdict, checkedAt, elapsedMs };
  const entry = await db.one<{ seq: number; actor: string; action: string; subject: string | null; recorded_at: Date }>(
    sql`SELECT seq, actor, action, subject, recorded_at FROM audit_log WHERE seq = ${verdict.seq}`,
  );
  return {
    ...verdict,
    ...(entry ? { entry: { seq: entry.seq, actor: entry.actor, action: entry.action, subject: entry.subject, recordedAt: entry.recorded_at } } : {}),
    checkedAt,
    elapsedMs,
  };
}
