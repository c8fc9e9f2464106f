// Policy previews for a server: the preview's load (and its default as-of date) is read once per data version, so the
// ratio sliders answer at once and a change to the data is never previewed stale.
import type { Db } from '../db/duckdb.ts';
import { AnswerCache, currentDataVersion } from '../kernel/answer-cache.ts';
import { dataAsOf, previewPolicy, type PreviewLoad } from './preview.ts';
import type { PolicyChange, PolicyPreview } from './schemas.ts';

export class PolicyPreviewer {
  private readonly loads = new AnswerCache<PreviewLoad>();
  private readonly dataDates = new AnswerCache<string>(1);

  constructor(private readonly db: Db) {}

  /** `change` merged onto the current policy, previewed as of `asOf` (default: the data's latest day). */
  async preview(change: PolicyChange, asOf?: string): Promise<PolicyPreview> {
    const version = await currentDataVersion(this.db);
    const on = asOf ?? (await this.dataDates.get(version, 'as-of', () => dataAsOf(this.db))).answer;
    return previewPolicy(this.db, change, { asOf: on, load: async (key, read) => (await this.loads.get(version, key, read)).answer });
  }
}
