// Cached coverage and outcomes answers for the API: computed once per data version on a connection of their own, so a
// leader's dashboard at 18 M entities costs one cheap fingerprint query per change of the data (Db.untilNextWrite)
// instead of scans of the directory per request.
// After a change the next request waits for the new answer up to STALE_WAIT_MS, then gets the previous one, marked stale,
// while the recomputation finishes (seconds at 18 M entities, milliseconds at demo size).
import type { Db, Queryable } from '../db/duckdb.ts';
import { buildPopulation, buildYear, coverageReport, dataFingerprint, type CoverageReport, type CoverageScope, type DataFingerprint } from './coverage.ts';
import { buildOutcomes, outcomesReport, type OutcomeFilters, type OutcomesReport } from './outcomes.ts';
import type { Freshness } from './schemas.ts';
import { AnswerCache, STALE_WAIT_MS } from '../kernel/answer-cache.ts';

/** Answers kept (scopes and filter combinations); the oldest go first beyond this. */
const MAX_ANSWERS = 500;

/** What the store adds to an answer: when it was computed and whether a newer one is being computed. */
export type { Freshness };

export class CoverageStore {
  /** Work on the private connection runs one piece at a time: the temp tables are rebuilt in place. */
  private queue: Promise<unknown> = Promise.resolve();
  private populationBuiltFor: string | null = null;
  private yearBuiltFor: string | null = null;
  private selectionBuiltFor: string | null = null;
  private outcomesBuiltFor: string | null = null;
  private closing = false;
  /** Answers per scope or filter set and data version; the previous one stands in, stale, while a new one is computed. */
  private readonly answers: AnswerCache<object>;

  private constructor(
    /** Builds and answers, one piece of work at a time. */
    private readonly conn: Queryable & { close(): void },
    /** Fingerprints only: never waits behind a build, nor behind other routes on the shared connection. */
    private readonly probe: Queryable & { close(): void },
    /** The fingerprint, read again only after a write (one read at a time; concurrent requests share it). */
    private readonly readFingerprint: () => Promise<DataFingerprint>,
    staleWaitMs: number,
  ) {
    this.answers = new AnswerCache<object>(MAX_ANSWERS, { staleWaitMs });
  }

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
    // a fresh answer is the kept object itself (an answer from memory costs nothing); a stale one, a marked copy
    const computed = async (): Promise<T & Freshness> => ({ ...(await compute(fp)), computedAt: new Date().toISOString(), stale: false });
    const { answer, stale } = await this.answers.get(`${fp.population}|${fp.activity}`, key, computed);
    return stale ? { ...(answer as T & Freshness), stale: true } : (answer as T & Freshness);
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
