// Audit heads kept outside the database (fd2 §7): every head the system publishes (a draw's commit and run, and one a
// day) is appended, fsynced, to `<database>.heads.jsonl`; checking the chain against those heads (or a copy someone
// kept) catches a tail deleted or a chain recomputed after an edit, which the chain alone cannot see.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { shanghaiDate } from '../kernel/time.ts';

/** Why a head was published: a draw's manifest took it (commit, draw), or the day's head. */
export type HeadReason = 'commit' | 'draw' | 'daily';

/** One line of the heads file: `date` is the Asia/Shanghai day of `at`. */
export interface PublishedHead {
  date: string;
  seq: number;
  hash: string;
  at: string;
  reason: HeadReason | string;
}

/** What a check found wrong with one head: the chain ends before it, or its entry's hash is no longer the one published. */
export interface HeadProblem {
  kind: 'tail_deleted' | 'rewritten';
  /** Where the head was read: the file beside the database or a copy given with --heads. */
  source: string;
  head: PublishedHead;
  /** tail_deleted: the chain's last entry now; rewritten: the head's own seq. */
  seq: number;
  message: string;
}

/** The heads file of a database file; none for an in-memory database. */
export function headsFileOf(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : `${dbPath}.heads.jsonl`;
}

/** Appends one head and fsyncs it before returning: the file is only ever appended to. */
export function appendHead(file: string, head: { seq: number; hash: string }, reason: HeadReason, now: Date = new Date()): PublishedHead {
  const line: PublishedHead = { date: shanghaiDate(now), seq: head.seq, hash: head.hash, at: now.toISOString(), reason };
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return line;
}

export class HeadsFileError extends Error {}

/** The file as one JSON value (a list, or the portal's page), undefined when it is JSON lines. */
function parsedWhole(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a heads file (the one beside the database, or a copy: JSON lines, a JSON list, or the portal's page as served). */
export function readHeads(file: string): PublishedHead[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const values: unknown[] = [];
  const whole = parsedWhole(trimmed);
  if (Array.isArray(whole)) values.push(...whole);
  else if (Array.isArray((whole as { heads?: unknown } | undefined)?.heads)) values.push(...(whole as { heads: unknown[] }).heads);
  else {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        values.push(JSON.parse(line));
      } catch {
        // A last line without its newline is an append cut short by a crash: that head was never published.
        if (i === lines.length - 1) return;
        throw new HeadsFileError(`${file}:${i + 1}: 不是 JSON / not JSON`);
      }
    });
  }
  return values.map((v, i) => {
    const h = v as Partial<PublishedHead>;
    if (!Number.isInteger(h.seq) || (h.seq as number) < 1 || typeof h.hash !== 'string' || !/^[0-9a-f]{64}$/.test(h.hash))
      throw new HeadsFileError(`${file}: 第 ${i + 1} 个链头须为 {seq, hash} / head ${i + 1} must be {seq: integer >= 1, hash: 64 hex}`);
    const at = typeof h.at === 'string' ? h.at : '';
    return { date: typeof h.date === 'string' ? h.date : at ? shanghaiDate(new Date(at)) : '?', seq: h.seq as number, hash: h.hash, at, reason: h.reason ?? '' };
  });
}

/** The chain's last entry, or undefined for an empty log. */
export function chainHead(q: Queryable): Promise<{ seq: number; hash: string } | undefined> {
  return q.one<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
}

/** Publishes the head a draw's manifest took: the draw's own draw.commit or draw.run entry (see draw/export.ts). */
export async function recordDrawHead(db: Db, drawId: string, reason: 'commit' | 'draw', now: Date = new Date()): Promise<void> {
  const file = db.readOnly ? null : headsFileOf(db.path);
  if (!file) return;
  const action = reason === 'commit' ? 'draw.commit' : 'draw.run';
  const entry = await db.one<{ seq: number; hash: string }>(
    sql`SELECT seq, hash FROM audit_log WHERE subject = ${drawId} AND action = ${action} ORDER BY seq DESC LIMIT 1`,
  );
  if (entry) appendHead(file, { seq: Number(entry.seq), hash: entry.hash }, reason, now);
}

/** Publishes the current head unless the file already holds one of today (Asia/Shanghai): at least one head a day. */
export async function recordDailyHead(db: Db, now: Date = new Date()): Promise<PublishedHead | null> {
  const file = db.readOnly ? null : headsFileOf(db.path);
  if (!file) return null;
  const today = shanghaiDate(now);
  if (readHeads(file).some((h) => h.date === today)) return null;
  const head = await chainHead(db);
  return head ? appendHead(file, { seq: Number(head.seq), hash: head.hash }, 'daily', now) : null;
}

/**
 * Checks published heads against the chain (whose entries verifyAudit has checked against their own hashes): a head
 * beyond the last entry means the tail was deleted; a head whose entry now has another hash means the entries up to it
 * were rewritten and the chain recomputed. One problem a kind and source, named by its earliest head.
 */
export async function checkHeads(q: Queryable, heads: PublishedHead[], source: string): Promise<HeadProblem[]> {
  if (heads.length === 0) return [];
  const last = Number((await chainHead(q))?.seq ?? 0);
  const seqs = [...new Set(heads.map((h) => h.seq))];
  const stored = new Map(
    (await q.query<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log WHERE seq IN (${sql.join(seqs.map((s) => sql.literal(s)))})`)).map((r) => [Number(r.seq), r.hash]),
  );
  const byEarliest = [...heads].sort((a, b) => a.seq - b.seq);
  const beyond = byEarliest.find((h) => h.seq > last);
  const rewritten = byEarliest.find((h) => h.seq <= last && stored.get(h.seq) !== h.hash);
  const problems: HeadProblem[] = [];
  if (rewritten)
    problems.push({
      kind: 'rewritten',
      source,
      head: rewritten,
      seq: rewritten.seq,
      message: `第 ${rewritten.seq} 条及之前的条目被改写（${rewritten.date} 公布的链头） / entries rewritten at or before seq ${rewritten.seq} (head of ${rewritten.date})`,
    });
  if (beyond)
    problems.push({
      kind: 'tail_deleted',
      source,
      head: beyond,
      seq: last,
      message: `第 ${last} 条之后的尾部条目被删除（${beyond.date} 公布的链头为第 ${beyond.seq} 条） / tail deleted after seq ${last} (head of ${beyond.date}, seq ${beyond.seq})`,
    });
  return problems;
}

/** The heads published beside a database, newest first, one page of them (the portal's list). */
export function publishedHeads(dbPath: string, page: { limit: number; offset: number }): { total: number; limit: number; offset: number; heads: PublishedHead[] } {
  const file = headsFileOf(dbPath);
  const all = file ? readHeads(file) : [];
  const newestFirst = all.reverse();
  return { total: newestFirst.length, ...page, heads: newestFirst.slice(page.offset, page.offset + page.limit) };
}

const HOUR_MS = 60 * 60 * 1000;

/** While the server runs: the day's head now and at least once a day after (checked hourly); returns the stop. */
export function keepDailyHeads(db: Db, onError: (err: unknown) => void): () => void {
  const tick = () => void recordDailyHead(db).catch(onError);
  tick();
  const timer = setInterval(tick, HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
