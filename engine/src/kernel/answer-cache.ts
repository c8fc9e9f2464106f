// Answers that are costly at scale (regional alerts, the policy preview's load figures) kept in memory per data
// version, so a dashboard that asks again gets them at once and a change to the data is never answered stale.
import type { Db, Queryable } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';

// What the engine reads can only change through a write that Fairdraw records in the audit chain (imports, scoring,
// policies, draws, results and every other change), or through a direct load, which changes the row counts. Sign-ins
// and account changes (auth.*, user.*) are left out: they change no data, and counting them would empty the cache at
// every login. Grain: one row.
const DATA_VERSION_SQL = sql`SELECT
  (SELECT coalesce(max(seq), 0) FROM audit_log WHERE NOT (starts_with(action, 'auth.') OR starts_with(action, 'user.'))) AS audit_seq,
  (SELECT count(*) FROM complaints) AS complaints, (SELECT count(*) FROM inspection_results) AS results`;

/** A cheap fingerprint of the data: the last data-changing audit entry and two row counts. */
async function dataVersion(q: Queryable): Promise<string> {
  const row = await q.one<{ audit_seq: number; complaints: number; results: number }>(DATA_VERSION_SQL);
  return `audit ${row?.audit_seq ?? 0} / complaints ${row?.complaints ?? 0} / results ${row?.results ?? 0}`;
}

const keptVersions = new WeakMap<Db, () => Promise<string>>();

/** The data version of `db`, read once per write through it (Db.untilNextWrite) and shared by every route that asks. */
export function currentDataVersion(db: Db): Promise<string> {
  let read = keptVersions.get(db);
  if (!read) {
    read = db.untilNextWrite(() => dataVersion(db));
    keptVersions.set(db, read);
  }
  return read();
}

/**
 * Answers keyed by (data version, the question's own key). An answer for an older data version is dropped when a newer
 * one is stored; at most `max` answers are kept. Concurrent requests for the same key share one run.
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { dataVersion: string; answer: Promise<T>; computedAt: Date }>();
  constructor(private readonly max = 16) {}

  async get(dataVersion: string, key: string, compute: () => Promise<T>): Promise<{ answer: T; hit: boolean; computedAt: Date }> {
    const fullKey = `${dataVersion}|${key}`;
    const found = this.entries.get(fullKey);
    if (found) return { answer: await found.answer, hit: true, computedAt: found.computedAt };
    for (const [k, e] of this.entries) if (e.dataVersion !== dataVersion) this.entries.delete(k);
    while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    const entry = { dataVersion, answer: compute(), computedAt: new Date() };
    this.entries.set(fullKey, entry);
    try {
      return { answer: await entry.answer, hit: false, computedAt: entry.computedAt };
    } catch (err) {
      this.entries.delete(fullKey);
      throw err;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
