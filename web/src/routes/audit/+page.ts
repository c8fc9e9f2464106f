import { getTasks, verifyAuditChain } from '$lib/api';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  // The chain walks the whole log (leaders, analysts and admins ask for it); the load reads nothing of the URL, so
  // choosing a task (?task=) never walks it again.
  const mayVerify = hasRole('admin', 'leader', 'analyst');
  return {
    chain: mayVerify ? verifyAuditChain() : null,
    tasks: getTasks(),
  };
};
