import { getPlans, getPolicy, getPublicItems, getTaskOptions } from '$lib/api';
import { readPrefill } from '$lib/components/tasks/tasks';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

/** What the form is made from: plans, items in force, names, and the policy in force (without it, blank ratios mean "the policy at commit"). */
async function formData() {
  const [{ plans }, { items }, options, policy] = await Promise.all([getPlans(), getPublicItems(), getTaskOptions(), getPolicy().catch(() => null)]);
  return { plans, items, options, policy: policy?.policy ?? null };
}

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const allowed = hasRole('admin', 'operator', 'analyst');
  return { prefill: readPrefill(event.url.searchParams), form: allowed ? formData() : null };
};
