// Test helper: the attack a database writer can make on the chain alone — rewrite one entry and recompute the hash of
// it and of every entry after it, so that the chain checks out again (only published heads catch it).
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain.ts';

export async function rewriteChainFrom(db: Db, seq: number, payload: unknown): Promise<void> {
  const rows = await db.query<{ seq: number; recorded_at: Date; actor: string; action: string; subject: string | null; payload: string }>(
    sql`SELECT seq, recorded_at, actor, action, subject, payload::VARCHAR AS payload FROM audit_log ORDER BY seq`,
  );
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const entry = { seq: r.seq, recorded_at: r.recorded_at.toISOString(), actor: r.actor, action: r.action, subject: r.subject, payload: r.seq === seq ? payload : JSON.parse(r.payload), prev_hash: prev };
    const hash = entryHash(entry);
    if (r.seq >= seq) await db.exec(sql`UPDATE audit_log SET payload = ${canonicalJson(entry.payload)}::JSON, prev_hash = ${entry.prev_hash}, hash = ${hash} WHERE seq = ${r.seq}`);
    prev = hash;
  }
}
