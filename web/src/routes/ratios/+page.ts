import { getBacktest, getModels, getPolicy, getPolicyVersions, previewPolicy } from '$lib/api';
import { RATIO_READERS } from '$lib/components/ratios/ratios';
import { signedIn } from '$lib/page-load';
import { hasRole } from '$lib/session.svelte';
import type { PageLoad } from './$types';

/** The current model (else the latest) and its backtest; null before any model was fitted. */
async function currentBacktest() {
  const { models } = await getModels();
  const model = models.find((m) => m.current) ?? models[0];
  if (!model) return null;
  return { model, backtest: await getBacktest(model.version) };
}

export const load: PageLoad = async (event) => {
  await signedIn(event);
  if (!hasRole(...RATIO_READERS)) return { tuning: null };
  // The policy in force and its preview (an empty change previews it) are asked for at once.
  return { tuning: { policy: Promise.all([getPolicy(), previewPolicy()]), versions: getPolicyVersions(), backtest: currentBacktest() } };
};
