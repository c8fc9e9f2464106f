import { getInbox, getTasks } from '$lib/api';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  // operators land here: their inbox (tasks ready to draw, unstaffed objects, results due) opens the page
  return { tasks: getTasks(), inbox: hasRole('operator') ? getInbox() : null };
};
