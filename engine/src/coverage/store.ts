// Cached coverage and outcomes answers for the API: computed once per data version on a connection of their own, so a
// leader's dashboard at 18 M entities costs one cheap fingerprint query per change of the data (Db.untilNextWrite)
// instead of scans of the directory per request.
// After a change the next request waits for the new answer up to STALE_WAIT_MS, then gets the previous one, marked stale,
// while the recomputation finishes (seconds at 18 M entities, milliseconds at demo size).
import type { Db, Queryable } from '../db/duckdb.ts';
import { buildPopulation, buildYear, coverageReport, dataFingerprint, type CoverageReport, type CoverageScope, type DataFingerprint } from './coverage.ts';
import { buildOutcomes, outcomesReport, type OutcomeFilters, type OutcomesReport } from './outcomes.ts';
import type { Freshness } from './schemas.ts';
import { STALE_WAIT_MS } from '../kernel/answer-cache.ts';

/** Answers kept (scopes and filter combinations); the least recently computed go first beyond this. */
const MAX_ANSWERS = 500;

/** What the store adds to an answer: when it was computed and whether a newer one is being computed. */
export type { Freshness };

interface Entry<T> {
  version: string | null;
  value: (T & Freshness) | null;
  pending: Promise<T & Freshness> | null;
}

export class CoverageStore {
  /** Work on the private connection runs one piece at a time: the temp tables are rebuilt in place. */
  private queue: Promise<unknown> = Promise.resolve();
  private populationBuiltFor: string | null = null;
  private yearBuiltFor: string | null = null;
  private selectionBuiltFor: string | null = null;
  private outcomesBuiltFor: string | null = null;
  private readonly entries = new Map<string, Entry<unknown>>();
  private closing = false;

  private constructor(
    /** Builds and answers, one piece of work at a time. */
    private readonly conn: Queryable & { close(): void },
    /** Fingerprints only: never waits behind a build, nor behind other routes on the shared connection. */
    private readonly probe: Queryable & { close(): void },
    /** The fingerprint, read again only after a write (one read at a time; concurrent requests share it). */
    private readonly readFingerprint: () => Promise<DataFingerprint>,
    private readonly staleWaitMs: number,
  ) {}

  static async open(db: Db, options: { staleWaitMs?: number } = {}): Promise<CoverageStore> {
    const probe = await db.connection();
    return new CoverageStore(await db.connection(), probe, db.untilNextWrite(() => dataFingerprint(probe)), options.staleWaitMs ?? STALE_WAIT_MS);
  }

  /** Closes the private connection once the step under way (if any) has finished; queued work is refused. */
  async close(): Promise<void> {
    this.closing = true;
    await this.queue.catch(() => undefined);
    await this.readFingerprint().catch(() => undefined);
    this.conn.close();
    this.probe.close();
  }

  /** Between the steps of a computation (each one query): a closing store stops there. */
  private assertOpen(): void {
    if (this.closing) throw new Error('coverage store closed');
  }

  /** The coverage of one scope, computed at most once per data version and day. */
  coverage(scope: CoverageScope): Promise<CoverageReport & Freshness> {
    return this.answer(`coverage|${scope.year}|${scope.today}|${scope.department ?? ''}|${scope.city ?? ''}`, (fp) =>
      this.exclusive(async (q) => {
        await this.ensurePopulation(q, fp);
        this.assertOpen();
        const yearKey = `${scope.year}|${scope.today}|${fp.population}|${fp.activity}`;
        if (this.yearBuiltFor !== yearKey) {
          this.yearBuiltFor = null;
          const selectionBuiltFor = this.selectionBuiltFor;
          this.selectionBuiltFor = null;
          this.selectionBuiltFor = await buildYear(q, scope, { selectionBuiltFor, populationVersion: fp.population });
          this.yearBuiltFor = yearKey;
        }
        this.assertOpen();
        return coverageReport(q, scope);
      }),
    );
  }

  /** The published outcomes of one set of filters, computed at most once per data version. */
  outcomes(filters: OutcomeFilters): Promise<OutcomesReport & Freshness> {
    const key = `outcomes|${filters.year ?? ''}|${filters.city ?? ''}|${filters.department ?? ''}|${filters.industry ?? ''}|${filters.tier ?? ''}`;
    return this.answer(key, (fp) => this.withOutcomesFor(fp, (q) => outcomesReport(q, filters)));
  }

  /** Runs `work` against an up-to-date outcomes_results table (the drill-down's pages are read live, one small query each). */
  async withOutcomes<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return this.withOutcomesFor(await this.fingerprint(), work);
  }

  private withOutcomesFor<T>(fp: DataFingerprint, work: (q: Queryable) => Promise<T>): Promise<T> {
    return this.exclusive(async (q) => {
      const version = `${fp.population}|${fp.activity}`;
      if (this.outcomesBuiltFor !== version) {
        this.outcomesBuiltFor = null;
        await buildOutcomes(q);
        this.outcomesBuiltFor = version;
      }
      return work(q);
    });
  }

  private async answer<T extends object>(key: string, compute: (fp: DataFingerprint) => Promise<T>): Promise<T & Freshness> {
    const fp = await this.fingerprint();
    const version = `${fp.population}|${fp.activity}`;
    let entry = this.entries.get(key) as Entry<T> | undefined;
    if (!entry) {
      entry = { version: null, value: null, pending: null };
      this.entries.set(key, entry);
      if (this.entries.size > MAX_ANSWERS) this.entries.delete(this.entries.keys().next().value!);
    }
    if (entry.version === version && entry.value) return entry.value;
    if (!entry.pending) {
      const target = entry;
      const pending = compute(fp).then(
        (value) => {
          target.value = { ...value, computedAt: new Date().toISOString(), stale: false };
          target.version = version;
          target.pending = null;
          return target.value;
        },
        (err: unknown) => {
          target.pending = null;
          throw err;
        },
      );
      target.pending = pending;
    }
    const pending = entry.pending!;
    const previous = entry.value;
    if (!previous) return pending;
    pending.catch(() => undefined); // a failure surfaces to whoever waits for it; here the stale answer stands in
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.staleWaitMs)));
    const fresh = await Promise.race([pending.catch(() => null), waited]);
    clearTimeout(timer);
    return fresh ?? { ...previous, stale: true };
  }

  private fingerprint(): Promise<DataFingerprint> {
    this.assertOpen();
    return this.readFingerprint();
  }

  private async ensurePopulation(q: Queryable, fp: DataFingerprint): Promise<void> {
    if (this.populationBuiltFor === fp.population) return;
    this.populationBuiltFor = null;
    this.yearBuiltFor = null;
    await buildPopulation(q);
    this.populationBuiltFor = fp.population;
  }

  private exclusive<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      this.assertOpen();
      return work(this.conn);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
