import { getTask, getTaskOptions } from '$lib/api';
import { signedIn } from '$lib/page-load';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const { taskId } = event.params;
  // The names of regions and industries only dress the facts: the page stands without them.
  return { taskId, task: getTask(taskId), options: getTaskOptions().catch(() => null) };
};
