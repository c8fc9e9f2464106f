import { getNotebooks } from '$lib/api';
import { NOTEBOOK_READERS } from '$lib/components/notebooks/notebooks';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const allowed = hasRole(...NOTEBOOK_READERS);
  return { allowed, list: allowed ? getNotebooks() : null };
};
