// The names the portal shows (departments, regions, industries): asked for once, not again with every tab.
import { getReference } from '$lib/api';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = () => ({ reference: getReference() });
