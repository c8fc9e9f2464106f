// The portal's answers as a server gives them: the item list of a day (today by default), a page of draws, and results
// searches answered from the in-memory index and kept per data version, so a common word (有限公司) that matches most
// results is counted once per change of the data.
import type { Db, Queryable } from '../db/duckdb.ts';
import { AnswerCache, currentDataVersion } from '../kernel/answer-cache.ts';
import { shanghaiDate } from '../kernel/time.ts';
import type { DrawStatus } from '../draw/schemas.ts';
import { publicDraws, publicItems, searchMoment, searchPublicResults, type ResultSearch } from './portal.ts';
import { keptSearchIndex } from './search-index.ts';
import type { PublicDrawPage, PublicItem, ResultSearchPage } from './schemas.ts';

/** Search answers kept per data version (each at most 100 results). */
const SEARCH_ANSWERS_KEPT = 500;

/** The item list in force on `on` (default today, Asia/Shanghai), with that day. */
export async function itemsInForce(q: Queryable, query: { on?: string; department?: string }): Promise<{ on: string; items: PublicItem[] }> {
  const on = query.on ?? shanghaiDate();
  return { on, items: await publicItems(q, { on, department: query.department }) };
}

/** One page of the public draw list, with how many there are. */
export async function publicDrawPage(
  q: Queryable,
  query: { taskId?: string; status?: DrawStatus; year?: number; limit: number; offset: number },
): Promise<PublicDrawPage> {
  const draws = await publicDraws(q, { taskId: query.taskId, status: query.status, year: query.year, now: new Date() });
  return { total: draws.length, draws: draws.slice(query.offset, query.offset + query.limit) };
}

export class PublicSearch {
  private readonly index: ReturnType<typeof keptSearchIndex>;
  private readonly answers = new AnswerCache<ResultSearchPage>(SEARCH_ANSWERS_KEPT);

  constructor(private readonly db: Db) {
    this.index = keptSearchIndex(db);
  }

  /** Builds the index ahead of the first search (at 1.75 M published results, about 13 s). */
  warm(): Promise<unknown> {
    return this.index();
  }

  async search(query: ResultSearch & { limit: number; offset: number }): Promise<ResultSearchPage> {
    // A window closing changes the answer without a write: the withheld draws are part of the key.
    const moment = await searchMoment(this.db);
    const key = JSON.stringify([query.q?.trim() ?? '', query.department ?? '', query.itemCode ?? '', query.limit, query.offset, moment.withheldDraws]);
    const { answer } = await this.answers.get(await currentDataVersion(this.db), key, async () => searchPublicResults(this.db, query, await this.index(), moment));
    return answer;
  }
}
