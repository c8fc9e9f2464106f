// Policy previews for a server: the preview's load (and its default as-of date) is read once per data version, so the
// ratio sliders answer at once. After a change to the data, a preview waits up to STALE_WAIT_MS for the new load, then
// is given the previous one marked stale (the page asks again): at 18 M entities the load takes 4-5 s to read.
import type { Db } from '../db/duckdb.ts';
import { AnswerCache, currentDataVersion, STALE_WAIT_MS } from '../kernel/answer-cache.ts';
import { dataAsOf, previewPolicy, type PreviewLoad } from './preview.ts';
import type { PolicyChange, PolicyPreview } from './schemas.ts';

export class PolicyPreviewer {
  private readonly loads: AnswerCache<PreviewLoad>;
  private readonly dataDates = new AnswerCache<string>(1);

  constructor(
    private readonly db: Db,
    options: { staleWaitMs?: number } = {},
  ) {
    this.loads = new AnswerCache<PreviewLoad>(16, { staleWaitMs: options.staleWaitMs ?? STALE_WAIT_MS });
  }

  /** `change` merged onto the current policy, previewed as of `asOf` (default: the data's latest day). */
  async preview(change: PolicyChange, asOf?: string): Promise<PolicyPreview> {
    const version = await currentDataVersion(this.db);
    const on = asOf ?? (await this.dataDates.get(version, 'as-of', () => dataAsOf(this.db))).answer;
    // the default date's load is one question whatever the day, so that a stale one can stand in when the day moves on
    const load = async (key: string, read: () => Promise<PreviewLoad>) => {
      const { answer, stale } = await this.loads.get(version, `${asOf ?? 'latest'}|${key}`, read);
      return { ...answer, stale };
    };
    return previewPolicy(this.db, change, { asOf: on, load });
  }

  /** Resolves once no load is being read (before the database closes). */
  async settled(): Promise<void> {
    await Promise.all([this.loads.settled(), this.dataDates.settled()]);
  }
}
