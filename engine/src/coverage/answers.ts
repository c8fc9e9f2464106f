// Coverage and published outcomes as a caller asks for them: the year defaults to this one (Asia/Shanghai), an operator
// gets its own department's view only, and the drill-down's page is read on the store's own connection.
import type { Queryable } from '../db/duckdb.ts';
import { shanghaiDate } from '../kernel/time.ts';
import type { TableQuery } from '../kernel/table.ts';
import type { Principal } from '../auth/roles.ts';
import { listingDepartment } from '../auth/departments.ts';
import { countOutcomeResults, outcomeResultsPage, type OutcomeFilters } from './outcomes.ts';
import type { CoverageStore } from './store.ts';
import type { CoverageAnswer, OutcomesAnswer } from './schemas.ts';

export const thisYear = () => Number(shanghaiDate().slice(0, 4));

export interface OutcomeFilterQuery {
  year?: number;
  city?: string;
  department?: string;
  industry?: string;
  tier?: string;
}

export interface OutcomeResultsPage extends OutcomeFilterQuery {
  itemCode?: string;
  outcomeCode?: string;
  finding?: boolean;
  month?: string;
  limit: number;
  offset: number;
}

/** The filters of an outcomes question, the year defaulting to this one. */
export const outcomeFilters = (q: OutcomeFilterQuery): OutcomeFilters => ({ year: q.year ?? thisYear(), city: q.city ?? null, department: q.department ?? null, industry: q.industry ?? null, tier: q.tier ?? null });

/** A year's coverage for the caller: an operator's own department's view (asking for another is refused), else the one asked for or the province. */
export function coverageFor(store: CoverageStore, caller: Principal, query: { year?: number; department?: string; city?: string }): Promise<CoverageAnswer> {
  return store.coverage({ year: query.year ?? thisYear(), today: shanghaiDate(), department: listingDepartment(caller, query.department), city: query.city ?? null });
}

export function outcomesFor(store: CoverageStore, query: OutcomeFilterQuery): Promise<OutcomesAnswer> {
  return store.outcomes(outcomeFilters(query));
}

/** One page of the drill-down with its total, answered by `answer` on the store's connection (which holds the results table). */
export function outcomeResults<T>(store: CoverageStore, page: OutcomeResultsPage, answer: (q: Queryable, table: TableQuery<{ total: number; limit: number; offset: number }>) => Promise<T>): Promise<T> {
  const query = { ...outcomeFilters(page), itemCode: page.itemCode, outcomeCode: page.outcomeCode, finding: page.finding, month: page.month, limit: page.limit, offset: page.offset };
  return store.withOutcomes(async (q) => {
    const total = await countOutcomeResults(q, query);
    return answer(q, { statement: outcomeResultsPage(query), extra: { total, limit: page.limit, offset: page.offset } });
  });
}
