import { getVisitSheet } from '$lib/api';
import { signedIn } from '$lib/page-load';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const { drawId, objectId } = event.params;
  return { drawId, objectId, sheet: getVisitSheet(drawId, objectId) };
};
