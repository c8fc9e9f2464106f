// The names the outcomes page shows (departments, cities, industries): asked for once, not again with every filter.
import { getReference } from '$lib/api';
import { OUTCOME_READERS } from '$lib/components/outcomes/outcomes';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async (event) => {
  await signedIn(event);
  return { reference: hasRole(...OUTCOME_READERS) ? getReference() : null };
};
