// Answers that are costly at scale (regional alerts, the policy preview's load figures) kept in memory per data
// version, so a dashboard that asks again gets them at once and a change to the data is never answered stale unless
// the caller allows it (staleWaitMs: the previous answer, marked stale, while the new one is computed).
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

/** How long a request for an answer waits for a recomputation before it is given the previous answer, marked stale. */
export const STALE_WAIT_MS = 1000;

export interface CachedAnswer<T> {
  answer: T;
  /** Kept from an earlier request for the same data version. */
  hit: boolean;
  computedAt: Date;
  /** The data changed since this answer was computed; the new one is being computed (ask again shortly). */
  stale: boolean;
}

interface Entry<T> {
  dataVersion: string;
  answer: Promise<T>;
  computedAt: Date;
}

/**
 * Answers keyed by (data version, the question's own key). An answer for an older data version is dropped when a newer
 * one is asked for; at most `max` answers are kept. Concurrent requests for the same key share one run.
 * With `staleWaitMs`, a request that finds only an older data version's answer to its question waits that long for the
 * new one, then gets the older one marked stale while the computation goes on: at 18 M entities a new answer takes
 * seconds (the preview's load 4-5 s on 2 cores), and a page should not.
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Per question, the last answer that finished (for whichever data version): what a stale answer is. */
  private readonly finished = new Map<string, { dataVersion: string; answer: T; computedAt: Date }>();
  /** Computations under way, kept or not (one superseded by a newer data version still runs to its end). */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly max = 16,
    private readonly options: { staleWaitMs?: number } = {},
  ) {}

  async get(dataVersion: string, key: string, compute: () => Promise<T>): Promise<CachedAnswer<T>> {
    const fullKey = `${dataVersion}|${key}`;
    let entry = this.entries.get(fullKey);
    const hit = entry !== undefined;
    if (!entry) {
      for (const [k, e] of this.entries) if (e.dataVersion !== dataVersion) this.entries.delete(k);
      while (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      const started: Entry<T> = { dataVersion, answer: compute(), computedAt: new Date() };
      this.entries.set(fullKey, started);
      const done = started.answer.then(
        (answer) => {
          // an answer for a data version that has been superseded meanwhile is not kept as the latest
          if (this.entries.get(fullKey) !== started) return;
          this.finished.delete(key);
          this.finished.set(key, { dataVersion, answer, computedAt: started.computedAt });
          while (this.finished.size > this.max) this.finished.delete(this.finished.keys().next().value!);
        },
        () => {
          if (this.entries.get(fullKey) === started) this.entries.delete(fullKey);
        },
      );
      this.running.add(done);
      void done.finally(() => this.running.delete(done));
      entry = started;
    }
    const previous = this.finished.get(key);
    if (this.options.staleWaitMs !== undefined && previous && previous.dataVersion !== dataVersion) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.options.staleWaitMs)));
      // a failure of the new computation surfaces to whoever asks once it is settled; meanwhile the older answer stands in
      const fresh = await Promise.race([entry.answer.then((answer) => ({ answer }), () => null), waited]);
      clearTimeout(timer);
      if (!fresh) return { answer: previous.answer, hit: false, computedAt: previous.computedAt, stale: true };
    }
    return { answer: await entry.answer, hit, computedAt: entry.computedAt, stale: false };
  }

  /**
   * Resolves once every computation under way has finished (failed ones included): an answer given stale leaves its
   * successor running after the request, and the database must not be closed under it.
   */
  async settled(): Promise<void> {
    await Promise.all(this.running);
  }

  get size(): number {
    return this.entries.size;
  }
}
