import type { PageLoad } from './$types';

/** Where to go after signing in (?next=): only a same-site path is followed. */
export const load: PageLoad = ({ url }) => {
  const target = url.searchParams.get('next') ?? '/';
  return { next: target.startsWith('/') && !target.startsWith('//') ? target : '/' };
};
