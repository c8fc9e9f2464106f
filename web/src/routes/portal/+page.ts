// The portal needs no account: its tab (?tab=) decides what it asks for; ?q= opens the results search.
import { getPublicDraws, getPublicPlans } from '$lib/api';
import { PORTAL_TABS, type PortalTab } from '$lib/components/portal/portal';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => {
  const asked = url.searchParams.get('tab') ?? '';
  const tab: PortalTab = (PORTAL_TABS as readonly string[]).includes(asked) ? (asked as PortalTab) : 'items';
  return {
    tab,
    plans: tab === 'plans' ? getPublicPlans() : null,
    draws: tab === 'draws' ? getPublicDraws(100) : null,
    q: url.searchParams.get('q') ?? '',
  };
};
