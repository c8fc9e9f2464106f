// The portal needs no account: its tab (?tab=, the results search when none) decides what it asks for; the search's
// words and page (?q=, ?offset=) and the item list's department (?department=) live in the address too, so back and
// forward and a shared link show the same results.
import { getPublicDraws, getPublicPlans } from '$lib/api';
import { PORTAL_TABS, type PortalTab } from '$lib/components/portal/portal';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => {
  const asked = url.searchParams.get('tab') ?? '';
  const tab: PortalTab = (PORTAL_TABS as readonly string[]).includes(asked) ? (asked as PortalTab) : 'results';
  return {
    tab,
    plans: tab === 'plans' ? getPublicPlans() : null,
    draws: tab === 'draws' ? getPublicDraws(100) : null,
    q: url.searchParams.get('q'),
    offset: Math.max(0, Number(url.searchParams.get('offset')) || 0),
    department: url.searchParams.get('department') ?? '',
  };
};
