import type { AlertEvidence } from '$engine/api/types';
import { getAlerts, getPlans, getPolicy, getPublicItems, getTaskOptions } from '$lib/api';
import { ALERT_READERS, DEFAULT_ALERT_SETTINGS, evidenceOf } from '$lib/components/alerts/alerts';
import { readPrefill } from '$lib/components/tasks/tasks';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

/** The statistics of the alert a special task answers, as the alerts page (default settings) shows it; null when gone. */
async function alertEvidence(alertId: string | null): Promise<AlertEvidence | null> {
  if (!alertId || !hasRole(...ALERT_READERS)) return null;
  const report = await getAlerts(DEFAULT_ALERT_SETTINGS);
  const alert = report.alerts.find((a) => a.id === alertId);
  return alert && report.asOf ? evidenceOf(alert, report.asOf) : null;
}

/** What the form is made from: plans, items in force, names, the policy in force (without it, blank ratios mean "the policy at commit"), the alert answered. */
async function formData(alertId: string | null) {
  const [{ plans }, { items }, options, policy, alert] = await Promise.all([getPlans(), getPublicItems(), getTaskOptions(), getPolicy().catch(() => null), alertEvidence(alertId)]);
  return { plans, items, options, policy: policy?.policy ?? null, alert };
}

export const load: PageLoad = async (event) => {
  await signedIn(event);
  const prefill = readPrefill(event.url.searchParams);
  const allowed = hasRole('admin', 'operator', 'analyst', 'leader');
  return { prefill, form: allowed ? formData(prefill.alertId) : null };
};
