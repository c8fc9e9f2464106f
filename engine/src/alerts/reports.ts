// Regional alert reports for a server: computed once per (settings, as-of date, data version) and kept in memory, so the
// alerts page and the overview's map ask again at no cost. After a change to the data a request waits up to
// STALE_WAIT_MS for the new report, then is given the previous one marked stale (seconds to compute at 18 M entities).
import type { Db } from '../db/duckdb.ts';
import { AnswerCache, currentDataVersion, STALE_WAIT_MS } from '../kernel/answer-cache.ts';
import { computeAlerts, DEFAULT_ALERT_SETTINGS, type AlertOptions, type AlertSettings } from './alerts.ts';
import { alertReportView } from './bands.ts';
import { alertItemsByIndustry } from './items.ts';
import type { AlertAnswer, AlertReportView } from './schemas.ts';

export class AlertReports {
  private readonly kept = new AnswerCache<AlertReportView>(16, { staleWaitMs: STALE_WAIT_MS });

  constructor(private readonly db: Db) {}

  /** The report for the settings given (the rest default) as of `asOf` (default: the latest complaint day). */
  async report(query: Partial<AlertSettings> & { asOf?: string }): Promise<AlertAnswer> {
    const { asOf, ...settings } = query;
    const options: AlertOptions = { ...DEFAULT_ALERT_SETTINGS, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)), asOf };
    const optionsKey = JSON.stringify({ ...options, asOf: asOf ?? null });
    const version = await currentDataVersion(this.db);
    const { answer, hit, computedAt, stale } = await this.kept.get(version, optionsKey, async () => alertReportView(await computeAlerts(this.db, options), await alertItemsByIndustry(this.db)));
    return { ...answer, cache: { hit, dataVersion: version, computedAt, stale } };
  }

  /** Resolves once no report is being computed (before the database closes). */
  settled(): Promise<void> {
    return this.kept.settled();
  }
}

const reportsOfDb = new WeakMap<Db, AlertReports>();

/** The one AlertReports of a database, shared by every route that reads alerts (the alerts page, the inbox). */
export function alertReportsOf(db: Db): AlertReports {
  let reports = reportsOfDb.get(db);
  if (!reports) {
    reports = new AlertReports(db);
    reportsOfDb.set(db, reports);
  }
  return reports;
}
