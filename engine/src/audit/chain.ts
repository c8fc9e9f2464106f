// The append-only audit log as a hash chain: each entry stores the previous entry's hash and
// its own SHA-256 over canonical JSON, so an edited, deleted or reordered entry breaks the chain.
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  actor: string;
  action: string;
  subject?: string | null;
  payload: unknown;
}

export interface AuditEntry {
  seq: number;
  recorded_at: string;
  actor: string;
  action: string;
  subject: string | null;
  payload: unknown;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted and no whitespace: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

/** Appends one entry; call inside the transaction that makes the change it records. */
export async function appendAudit(q: Queryable, input: AuditInput): Promise<AuditEntry> {
  const last = await q.one<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
  const entry: Omit<AuditEntry, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    recorded_at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject ?? null,
    payload: JSON.parse(canonicalJson(input.payload)),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = entryHash(entry);
  await q.exec(sql`INSERT INTO audit_log (seq, recorded_at, actor, action, subject, payload, prev_hash, hash)
    VALUES (${entry.seq}, ${entry.recorded_at}::TIMESTAMPTZ, ${entry.actor}, ${entry.action}, ${entry.subject}, ${canonicalJson(entry.payload)}::JSON, ${entry.prev_hash}, ${hash})`);
  return { ...entry, hash };
}

export type AuditVerdict = { ok: true; entries: number } | { ok: false; entries: number; seq: number; problem: string };

/** Walks the chain in order; reports the first entry whose hash, link or sequence is wrong. */
export async function verifyAudit(q: Queryable): Promise<AuditVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for await (const batch of q.stream<{ seq: number; recorded_at: Date; actor: string; action: string; subject: string | null; payload: string; prev_hash: string; hash: string }>(
    sql`SELECT seq, recorded_at, actor, action, subject, payload::VARCHAR AS payload, prev_hash, hash FROM audit_log ORDER BY seq`,
  )) {
    for (const row of batch) {
      count++;
      if (row.seq !== expectedSeq) return { ok: false, entries: count, seq: row.seq, problem: `expected entry ${expectedSeq}, found ${row.seq} (deleted or reordered)` };
      if (row.prev_hash !== prevHash) return { ok: false, entries: count, seq: row.seq, problem: 'previous-hash link broken (an earlier entry was changed, deleted or reordered)' };
      const recomputed = entryHash({
        seq: row.seq,
        recorded_at: row.recorded_at.toISOString(),
        actor: row.actor,
        action: row.action,
        subject: row.subject,
        payload: JSON.parse(row.payload),
        prev_hash: row.prev_hash,
      });
      if (recomputed !== row.hash) return { ok: false, entries: count, seq: row.seq, problem: 'content does not match its hash (entry edited)' };
      prevHash = row.hash;
      expectedSeq++;
    }
  }
  return { ok: true, entries: count };
}
