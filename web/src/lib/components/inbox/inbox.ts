// The inbox panel's rules: items grouped by source in the order that matters to act on, and each source's heading.
import type { InboxItem, InboxSource } from '$engine/api/types';
import { t, type MessageKey } from '$lib/i18n.svelte';

/** What to act on first: decisions, then high alerts, then overdue work, then what is coming. */
export const SOURCE_ORDER: InboxSource[] = ['approval', 'invitation', 'alert', 'results_overdue', 'unstaffed', 'ready_to_commit', 'results_due_soon'];

export function inboxGroups(items: InboxItem[]): Array<{ source: InboxSource; items: InboxItem[] }> {
  return SOURCE_ORDER.map((source) => ({ source, items: items.filter((i) => i.source === source) })).filter((g) => g.items.length > 0);
}

export const sourceLabel = (source: InboxSource) => t(`inbox.source.${source}` as MessageKey);
