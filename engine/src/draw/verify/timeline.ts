// fd2 §1's timeline check, shared by the auditor and the public package: committed_at < beacon_due <=
// beacon_recorded_at <= drawn_at. A violation is a failure: a beacon named or read after the fact is no beacon.
import type { Checks } from './report.ts';
import type { LineOf } from './read.ts';

/** ISO 8601 with an explicit offset (or Z), as the manifests write it. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const STEPS = [
  ['committed_at', '承诺'],
  ['beacon_due', '信标时间'],
  ['beacon_recorded_at', '信标录入'],
  ['drawn_at', '抽取'],
] as const;

export type TimelineField = (typeof STEPS)[number][0];

const T_TIMELINE = '时间线 timeline';

/**
 * Checks the timeline. `times` may hold null for steps that have not happened yet (a public manifest before the
 * draw); a later step present after an earlier missing one is a failure. `complete` demands every step.
 */
export function checkTimeline(checks: Checks, times: Partial<Record<TimelineField, unknown>>, lineOf: LineOf, complete: boolean): void {
  const fail = (field: TimelineField, detail: string) => checks.mismatch('timeline', T_TIMELINE, detail, { file: 'manifest.json', ...lineOf(field) });
  const present: Array<{ field: TimelineField; label: string; ms: number; text: string }> = [];
  let gap: TimelineField | undefined;
  for (const [field, label] of STEPS) {
    const value = times[field];
    if (value === null || value === undefined) {
      if (complete || field === 'committed_at' || field === 'beacon_due') return fail(field, `${field} is missing`);
      gap ??= field;
      continue;
    }
    if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value)))
      return fail(field, `${field} ${JSON.stringify(value)} must be an ISO 8601 time with its offset, e.g. 2026-03-02T15:00:00.000+08:00`);
    if (gap) return fail(field, `${field} is set but ${gap} is not: the steps happen in order`);
    present.push({ field, label, ms: Date.parse(value), text: value });
  }
  for (let i = 1; i < present.length; i++) {
    const [before, after] = [present[i - 1], present[i]];
    const strict = before.field === 'committed_at';
    if (strict ? after.ms <= before.ms : after.ms < before.ms) {
      return fail(
        after.field,
        `${after.label} ${after.field} ${after.text} 早于${strict ? '或等于' : ''}${before.label} ${before.field} ${before.text}` +
          ` (${after.field} must be ${strict ? 'strictly after' : 'at or after'} ${before.field}: committed_at < beacon_due <= beacon_recorded_at <= drawn_at)`,
      );
    }
  }
  checks.ok('timeline', T_TIMELINE, present.map((p) => `${p.field} ${p.text}`).join(' ≤ '));
}
