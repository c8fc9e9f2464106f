// Results as a signed-in caller asks for them: listings limited to the caller's department (an operator asking for
// another is refused), a result's history only for its department, a draw's results published for one department.
import type { Db, Queryable } from '../db/duckdb.ts';
import type { Principal } from '../auth/roles.ts';
import { assertOwnDepartment, listingDepartment } from '../auth/departments.ts';
import { deadlineReport, listAssignments, publishDrawResults, resultHistory } from './results.ts';
import type { AssignmentPage, AssignmentSort, AssignmentState, DeadlineReport, DrawResult, ResultHistory, ResultKey, SortDirection } from './schemas.ts';

export async function assignmentsFor(
  q: Queryable,
  caller: Principal,
  query: { department?: string; drawId?: string; state?: AssignmentState; limit: number; offset: number; sort?: AssignmentSort; direction?: SortDirection; dueSoonDays: number },
): Promise<AssignmentPage> {
  const { department, dueSoonDays, ...rest } = query;
  return listAssignments(q, { ...rest, department: listingDepartment(caller, department), dueSoonWorkingDays: dueSoonDays });
}

export function deadlinesFor(q: Queryable, caller: Principal, query: { department?: string; drawId?: string; dueSoonDays: number }): Promise<DeadlineReport> {
  return deadlineReport(q, { department: listingDepartment(caller, query.department), drawId: query.drawId, dueSoonWorkingDays: query.dueSoonDays });
}

/** A result and every version of it, for a caller who may read its department's results. */
export async function historyFor(q: Queryable, caller: Principal, key: ResultKey): Promise<ResultHistory> {
  const found = await resultHistory(q, key);
  assertOwnDepartment(caller, found.result.departmentCode);
  return found;
}

/** Publishes every entered, unpublished result of a draw for a department (an operator's own). */
export async function publishDrawResultsAs(db: Db, caller: Principal, body: { drawId: string; department?: string | null }): Promise<{ published: DrawResult[] }> {
  if (body.department) assertOwnDepartment(caller, body.department);
  return { published: await publishDrawResults(db, body.drawId, { actor: caller, department: body.department }) };
}
