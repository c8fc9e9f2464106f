// The audit log as people read it: the chain's verdict with its first broken entry, the latest entries, and the trail
// of one task or draw (the task, its draws, the results entered against them: who did what, when, in chain order —
// 尽职照单免责、失职照单问责). Who may read which trail is the draw module's rule (draw/audit-trail.ts).
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { DateTime, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';
import { verifyAudit } from './chain.ts';
import { verifyEvidence, type EvidenceHashing } from './evidence.ts';
import { checkHeads, headsFileOf, readHeads, type PublishedHead } from './heads.ts';
import { describeRowProblem, verifyRows } from './rows.ts';

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

const TableCounts = Type.Object({ draws: Type.Integer(), draw_selection: Type.Integer(), draw_results: Type.Integer() });

export const ChainVerdict = Type.Object({
  ok: Type.Boolean({ description: '链、链头与绑定行全部通过 the chain, the published heads and the bound rows all pass' }),
  chainOk: Type.Boolean({ description: '链本身完整 the chain itself is intact' }),
  entries: Type.Integer({ description: '已检查的条目数 entries checked (up to the break)' }),
  seq: Type.Optional(Type.Integer({ description: '第一条断裂的条目 the first broken entry' })),
  problem: Type.Optional(Type.String()),
  entry: Type.Optional(
    Type.Object({ seq: Type.Integer(), actor: Type.String(), action: Type.String(), subject: Nullable(Type.String()), recordedAt: Type.Optional(DateTime) }),
  ),
  heads: Type.Object({
    sources: Type.Array(Type.Object({ source: Type.String(), heads: Type.Integer() }), { description: '核对的链头来源 where published heads were read: the file beside the database, copies given' }),
    problems: Type.Array(
      Type.Object({
        kind: StringEnum(['tail_deleted', 'rewritten']),
        source: Type.String(),
        seq: Type.Integer({ description: 'tail_deleted：链现在的最后一条；rewritten：链头的序号 tail_deleted: the chain\'s last entry now; rewritten: the head\'s seq' }),
        headSeq: Type.Integer(),
        headDate: Type.String(),
        message: Type.String(),
      }),
    ),
  }),
  rows: Type.Object({
    bound: TableCounts,
    unbound: Type.Object(TableCounts.properties, { description: 'fd2.3 之前写入、无审计哈希的行（不算失败） rows written before fd2.3, with no audited hash (not a failure)' }),
    problems: Type.Array(Type.Object({ table: Type.String(), key: Type.String(), kind: StringEnum(['changed', 'deleted']), message: Type.String() })),
  }),
  evidence: Type.Object({
    files: Type.Integer({ description: '已核对的证据文件 evidence files checked against their audited hash' }),
    hashing: StringEnum(['full', 'cached'], {
      description: 'full：每个文件重算哈希；cached：快速核对，大小与修改时间未变的文件沿用本进程上次算出的哈希 full: every file re-hashed; cached: the quick check, a file whose size and modification time are unchanged keeps the hash this process last read',
    }),
    problems: Type.Array(
      Type.Object({ evidenceId: Type.String(), sha256: Type.String(), problem: StringEnum(['file_missing', 'file_changed', 'row_changed', 'row_missing', 'not_audited']) }),
    ),
  }),
  checkedAt: DateTime,
  elapsedMs: Type.Integer(),
});
export type ChainVerdict = Static<typeof ChainVerdict>;

/** GET /api/public/audit-heads: the published heads, newest first (audit/heads.ts). */
export const PublishedHeadsPage = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  heads: Type.Array(
    Type.Object({
      date: Type.String({ description: '公布日（北京时间） the day it was published (Asia/Shanghai)' }),
      seq: Type.Integer({ description: '链上序号 the entry\'s position in the chain' }),
      hash: Type.String({ description: '该条目的哈希 the entry\'s hash' }),
      at: Type.String({ description: '公布时刻 when it was published' }),
      reason: Type.String({ description: 'commit（承诺）、draw（抽取）或 daily（每日） commit, draw or daily' }),
    }),
  ),
});
export type PublishedHeadsPage = Static<typeof PublishedHeadsPage>;

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

/** Published heads to check besides the file beside the database: copies someone kept (`--heads FILE`). */
export interface HeadCopy {
  source: string;
  heads: PublishedHead[];
}

/**
 * The whole audit check: walks the hash chain (a break names its first entry), checks every published head (the file
 * beside the database and any copies), recomputes the bound rows against their last audited hashes and checks the
 * evidence files (re-hashed in full unless `evidenceHashing` asks for the quick check, see verifyEvidence).
 */
export async function chainVerdict(db: Db, copies: HeadCopy[] = [], evidenceHashing: EvidenceHashing = 'full'): Promise<ChainVerdict> {
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
  const besideDb = headsFileOf(db.path);
  const sources: HeadCopy[] = [...(besideDb ? [{ source: besideDb, heads: readHeads(besideDb) }] : []), ...copies];
  const headProblems = (await Promise.all(sources.map((s) => checkHeads(db, s.heads, s.source)))).flat();
  const rows = await verifyRows(db);
  const evidence = await verifyEvidence(db, evidenceHashing);
  const checks = {
    ok: verdict.ok && headProblems.length === 0 && rows.problems.length === 0 && evidence.ok,
    chainOk: verdict.ok,
    heads: {
      sources: sources.map((s) => ({ source: s.source, heads: s.heads.length })),
      problems: headProblems.map((p) => ({ kind: p.kind, source: p.source, seq: p.seq, headSeq: p.head.seq, headDate: p.head.date, message: p.message })),
    },
    rows: { bound: rows.bound, unbound: rows.unbound, problems: rows.problems.map((p) => ({ ...p, message: describeRowProblem(p) })) },
    evidence: { files: evidence.files, hashing: evidence.hashing, problems: evidence.problems },
    checkedAt: new Date(),
    elapsedMs: Math.round(performance.now() - started),
  };
  if (verdict.ok) return { ...checks, entries: verdict.entries };
  const entry = await db.one<{ seq: number; actor: string; action: string; subject: string | null; recorded_at: Date }>(
    sql`SELECT seq, actor, action, subject, recorded_at FROM audit_log WHERE seq = ${verdict.seq}`,
  );
  return {
    ...checks,
    entries: verdict.entries,
    seq: verdict.seq,
    problem: verdict.problem,
    ...(entry ? { entry: { seq: entry.seq, actor: entry.actor, action: entry.action, subject: entry.subject, recordedAt: entry.recorded_at } } : {}),
  };
}
