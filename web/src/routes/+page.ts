import { getCoverage, getInbox } from '$lib/api';
import { shanghaiYear } from '$lib/format';
import { signedIn } from '$lib/page-load';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const year = Number(event.url.searchParams.get('year')) || shanghaiYear();
  const city = event.url.searchParams.get('city');
  return { year, city, report: getCoverage({ year, city }), inbox: getInbox() };
};
