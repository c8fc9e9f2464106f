import { getAlerts } from '$lib/api';
import { ALERT_READERS, DEFAULT_ALERT_SETTINGS } from '$lib/components/alerts/alerts';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async (event) => {
  await signedIn(event);
  // ?alert= (from the inbox) opens with that alert's evidence shown
  return { report: hasRole(...ALERT_READERS) ? getAlerts(DEFAULT_ALERT_SETTINGS) : null, alertId: event.url.searchParams.get('alert') };
};
