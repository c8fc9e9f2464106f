import type { AssignmentState } from '$engine/api/types';
import { getAssignments, getDeadlines, getDraws, getOutcomeCodes, getTaskOptions } from '$lib/api';
import { ASSIGNMENTS_PAGE, RESULT_READERS } from '$lib/components/results/results';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  const user = await signedIn(event);
  if (!hasRole(...RESULT_READERS)) return { results: null };
  // An operator sees its own department's assignments (the server holds it to that too).
  const isOperator = user.role === 'operator';
  const params = event.url.searchParams;
  const filters = {
    drawId: params.get('drawId') ?? '',
    state: (params.get('state') ?? '') as AssignmentState | '',
    department: isOperator ? (user.department ?? '') : (params.get('department') ?? ''),
    dueSoonDays: Number(params.get('dueSoonDays') ?? 5),
  };
  const scope = { department: isOperator ? undefined : filters.department, drawId: filters.drawId, dueSoonDays: filters.dueSoonDays };
  return {
    results: {
      isOperator,
      filters,
      assignments: getAssignments({ ...scope, state: filters.state, limit: ASSIGNMENTS_PAGE, offset: 0 }),
      deadlines: getDeadlines(scope),
      outcomeCodes: getOutcomeCodes(),
      draws: getDraws({ status: 'drawn' }),
      departments: isOperator ? null : getTaskOptions(),
    },
  };
};
