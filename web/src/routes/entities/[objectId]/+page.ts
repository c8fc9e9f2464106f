import { getEntityResults } from '$lib/api';
import { signedIn } from '$lib/page-load';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  return { record: getEntityResults(event.params.objectId) };
};
