import type { OutcomeFilters } from '$engine/api/types';
import { getOutcomes } from '$lib/api';
import { shanghaiYear } from '$lib/format';
import { OUTCOME_READERS } from '$lib/components/outcomes/outcomes';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const params = event.url.searchParams;
  const filters = {
    year: Number(params.get('year')) || shanghaiYear(),
    city: params.get('city') || null,
    department: params.get('department') || null,
    industry: params.get('industry') || null,
    tier: params.get('tier') || null,
  } satisfies OutcomeFilters;
  const allowed = hasRole(...OUTCOME_READERS);
  return { allowed, filters, report: allowed ? getOutcomes(filters) : null };
};
