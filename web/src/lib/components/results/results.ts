// What the results API answers (engine/src/api/routes/results.ts) and the page's small rules: who may change a result,
// the date an entry defaults to, how a deadline reads.
import type { SessionUser } from '$lib/session.svelte';

export type AssignmentState = 'not_entered' | 'entered' | 'published';
export type DeadlineState = 'published_on_time' | 'published_late' | 'overdue' | 'due_soon' | 'open';
export type FindingsReview = 'pending' | 'approved' | 'withheld' | null;

export interface Assignment {
  drawId: string;
  objectId: string;
  itemCode: string;
  taskId: string;
  taskName: string;
  windowStart: string;
  windowEnd: string;
  objectName: string;
  entityType: string | null;
  regionCode: string;
  itemVersion: number;
  itemNameZh: string;
  itemNameEn: string;
  departmentCode: string;
  inspectorIds: string[];
  state: AssignmentState;
  outcomeCode: string | null;
  inspectedOn: string | null;
  findingsReview: FindingsReview;
  version: number | null;
  publishedAt: string | null;
  dueOn: string;
  dueIsLatest: boolean;
  deadline: DeadlineState;
  workingDaysLeft: number;
}

export interface AssignmentPage {
  total: number;
  today: string;
  assignments: Assignment[];
}

export interface DeadlineReport {
  today: string;
  dueSoonWorkingDays: number;
  counts: { overdue: number; dueSoon: number; open: number; publishedOnTime: number; publishedLate: number };
  overdue: Assignment[];
  dueSoon: Assignment[];
}

export interface ResultState {
  outcomeCode: string;
  findings: string | null;
  findingsReview: FindingsReview;
  findingsPublic: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  inspectedOn: string;
  dueOn: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

export interface DrawResult extends ResultState {
  id: string;
  drawId: string;
  objectId: string;
  itemCode: string;
  itemVersion: number;
  departmentCode: string;
  version: number;
  enteredBy: string;
  enteredAt: string;
  updatedBy: string;
  updatedAt: string;
}

export interface HistoryEntry {
  version: number;
  change: 'enter' | 'correct' | 'review' | 'publish';
  changedBy: string;
  changedAt: string;
  reason: string | null;
  before: ResultState | null;
  after: ResultState;
}

export interface ResultHistory {
  result: DrawResult;
  history: HistoryEntry[];
}

export interface OutcomeCode {
  code: string;
  nameZh: string;
  nameEn: string;
  isFinding: boolean;
}

export interface DrawOption {
  id: string;
  taskId: string;
  taskName: string;
  status: string;
}

export interface Department {
  code: string;
  nameZh: string;
  nameEn: string;
}

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

export const resultPath = (a: Pick<Assignment, 'drawId' | 'objectId' | 'itemCode'>) =>
  `/api/results/${encodeURIComponent(a.drawId)}/${encodeURIComponent(a.objectId)}/${encodeURIComponent(a.itemCode)}`;

/** Deadline states that need attention first. */
export const URGENT: DeadlineState[] = ['overdue', 'due_soon'];
