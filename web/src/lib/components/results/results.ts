// The results pages' small rules: who may change a result, the date an entry defaults to, how a deadline reads, and
// the assignment table's columns.
import type { Assignment, AssignmentSort, AssignmentState, HistoryEntry, OutcomeCode, ResultState } from '$engine/api/types';
import type { Column } from '$lib/export';
import { fmtDateTime } from '$lib/format';
import { t, type Lang, type MessageKey } from '$lib/i18n.svelte';
import type { Role, SessionUser } from '$lib/session.svelte';

/** Who may open the results page (operators enter; the others read). */
export const RESULT_READERS: Role[] = ['admin', 'operator', 'leader', 'analyst'];
/** Assignments a page of the list shows. */
export const ASSIGNMENTS_PAGE = 50;
export const ASSIGNMENT_STATES: AssignmentState[] = ['not_entered', 'entered', 'published'];

/** The inspecting department's operators change its results (谁检查、谁录入、谁公开); admins may too. */
export function canChange(user: SessionUser | null, departmentCode: string): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'operator' && user.department === departmentCode);
}

/** The inspection date an entry starts from: today, kept inside the inspection window. */
export function defaultInspectedOn(a: Pick<Assignment, 'windowStart' | 'windowEnd'>, today: string): string {
  if (today < a.windowStart) return a.windowStart;
  return today > a.windowEnd ? a.windowEnd : today;
}

/** The latest inspection date allowed: the window's end, never after today. */
export const latestInspectedOn = (a: Pick<Assignment, 'windowEnd'>, today: string) => (today < a.windowEnd ? today : a.windowEnd);

export const assignmentKey = (a: Pick<Assignment, 'drawId' | 'objectId' | 'itemCode'>) => `${a.drawId}|${a.objectId}|${a.itemCode}`;

/** An outcome code's name in the language shown; the code itself when unknown, a dash when none. */
export function outcomeName(codes: OutcomeCode[], code: string | null, lang: Lang): string {
  if (!code) return '—';
  const found = codes.find((c) => c.code === code);
  return found ? (lang === 'zh' ? found.nameZh : found.nameEn) : code;
}

/** Working days over or left before the publication deadline, in words; nothing once published. */
export function daysText(a: Pick<Assignment, 'deadline' | 'workingDaysLeft'>): string {
  if (a.deadline === 'overdue') return t('results.daysOver', { days: -a.workingDaysLeft });
  return a.deadline === 'due_soon' || a.deadline === 'open' ? t('results.daysLeft', { days: a.workingDaysLeft }) : '';
}

/** A row of the assignment tables: the assignment, with a column for its buttons. */
export type AssignmentRow = Assignment & { actions?: never };

/** The assignment tables' columns; an operator's own department goes without saying. */
/** The assignment columns the server orders by (GET /api/results/assignments?sort=): the list is paged, so it is sorted there. */
export const ASSIGNMENT_SERVER_SORTS: readonly AssignmentSort[] = ['objectName', 'itemCode', 'departmentCode', 'state', 'outcomeCode', 'inspectedOn', 'drawId'];

export function assignmentColumns(showDepartment: boolean, outcome: (code: string | null) => string, lang: Lang): Column<AssignmentRow>[] {
  return [
    { key: 'actions', label: t('results.col.actions') },
    { key: 'objectName', label: t('results.col.object'), format: (v, a) => `${v} (${a.objectId})` },
    { key: 'itemCode', label: t('results.col.item'), format: (v, a) => `${v} ${lang === 'zh' ? a.itemNameZh : a.itemNameEn}` },
    ...(showDepartment ? [{ key: 'departmentCode', label: t('results.col.department') }] : []),
    { key: 'state', label: t('results.col.state'), format: (v) => t(`results.state.${v}` as MessageKey) },
    { key: 'outcomeCode', label: t('results.col.outcome'), format: (v) => outcome(v) },
    { key: 'inspectedOn', label: t('results.col.inspectedOn'), format: (v) => v ?? '—' },
    { key: 'dueOn', label: t('results.col.dueOn'), format: (v, a) => `${v}${a.dueIsLatest ? t('results.latestDue') : ''}` },
    { key: 'deadline', label: t('results.col.deadline'), format: (v, a) => `${t(`results.deadline.${v}` as MessageKey)} ${daysText(a)}`.trim() },
    { key: 'drawId', label: t('results.col.draw'), format: (v, a) => `${v} ${a.taskName}` },
  ];
}

/** A result's state in a line: outcome, inspection date, the free text, and whether it was published. */
export function stateText(s: ResultState | null, outcome: (code: string) => string): string {
  if (!s) return '—';
  return [outcome(s.outcomeCode), s.inspectedOn, s.findings ? `“${s.findings}”` : null, s.publishedAt ? t('results.change.publish') : null].filter(Boolean).join(' · ');
}

/** A result's history: every version, who made it, when, why, and the state before and after. */
export const historyColumnsOf = (outcome: (code: string) => string): Column<HistoryEntry>[] => [
  { key: 'version', label: t('results.history.version'), numeric: true },
  { key: 'change', label: t('results.history.change'), format: (v) => t(`results.change.${v}` as MessageKey) },
  { key: 'changedBy', label: t('results.history.by') },
  { key: 'changedAt', label: t('results.history.at'), format: (v) => fmtDateTime(v) },
  { key: 'reason', label: t('results.history.reason'), format: (v) => v ?? '—' },
  { key: 'before', label: t('results.history.before'), format: (v) => stateText(v, outcome) },
  { key: 'after', label: t('results.history.after'), format: (v) => stateText(v, outcome) },
];
