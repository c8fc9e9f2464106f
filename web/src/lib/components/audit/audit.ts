// The audit page's rules: which actions have a label, and a one-line summary of what each entry recorded.
import type { AuditEntry } from '$engine/api/types';

/** Actions with a label in the message catalogue (`audit.action.<action>`); others show as recorded. */
export const KNOWN_ACTIONS = [
  'plan.create',
  'task.create',
  'task.approve',
  'draw.commit',
  'draw.beacon',
  'draw.run',
  'draw.void',
  'result.enter',
  'result.correct',
  'result.review',
  'result.publish',
  'result.evidence',
  'equivalence.declare',
  'equivalence.withdraw',
] as const;

const short = (hash: unknown) => (typeof hash === 'string' ? `${hash.slice(0, 12)}…` : '');
const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** What an entry recorded, in a line: the facts a reviewer checks (the item, the outcome, the counts, the reason). */
export function entrySummary(entry: AuditEntry): string {
  const p = entry.payload ?? {};
  switch (entry.action) {
    case 'task.create':
      return `${text(p.name)} · ${text(p.kind)} · ${Array.isArray(p.items) ? p.items.join(', ') : ''}`;
    case 'task.approve':
      return `${text(p.kind)}`;
    case 'draw.commit':
      return `commitment ${short(p.commitment)} · digest ${short(p.populationDigest)} · N=${text(p.populationSize)}`;
    case 'draw.beacon':
      return text(p.beacon);
    case 'draw.run':
      return `selected ${text(p.selected)} · team members ${text(p.teamMembers)} · unstaffed ${text(p.unstaffed)}${p.grindProof === false ? ' · no beacon' : ''}`;
    case 'draw.void':
      return `${text(p.reason)} (${text(p.previousStatus)})`;
    case 'result.enter':
    case 'result.correct':
    case 'result.review':
    case 'result.publish': {
      const after = (p.after ?? {}) as Record<string, unknown>;
      const reason = p.reason ? ` · ${text(p.reason)}` : '';
      // The subject already names draw, object and item.
      return `${text(after.outcomeCode)} · v${text(p.version)}${reason}`;
    }
    case 'result.evidence':
      return `${text(p.filename)} · ${text(p.mediaType)} · SHA-256 ${short(p.sha256)}`;
    case 'equivalence.declare':
    case 'equivalence.withdraw':
      return `${text(p.itemA)} ~ ${text(p.itemB)} · ${text(p.reason)}`;
    case 'plan.create':
      return text(p.name);
    default:
      return JSON.stringify(p).slice(0, 160);
  }
}
