// What the results API answers (the engine's results as JSON, see engine/src/api/routes/results.ts) and the page's
// small rules: who may change a result, the date an entry defaults to, how a deadline reads.
import type { SessionUser } from '$lib/session.svelte';
import type { Json } from '../../../../../engine/src/api/json.ts';
import type * as Engine from '../../../../../engine/src/results/results.ts';
import type { DeadlineState } from '../../../../../engine/src/results/deadline.ts';

export type { AssignmentState } from '../../../../../engine/src/results/results.ts';
export type { DeadlineState } from '../../../../../engine/src/results/deadline.ts';
export type FindingsReview = Engine.FindingsReview | null;

export type Assignment = Json<Engine.Assignment>;
export type DeadlineReport = Json<Engine.DeadlineReport>;
export type ResultState = Json<Engine.ResultState>;
export type DrawResult = Json<Engine.DrawResult>;
export type HistoryEntry = Json<Engine.HistoryEntry>;

/** GET /api/results: one page of the department's assignments. */
export interface AssignmentPage {
  total: number;
  today: string;
  assignments: Assignment[];
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
