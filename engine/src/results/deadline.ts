// The publication deadline (二-6): results public within 20 working days of the inspection, counted on the
// mainland working-day calendar (weekends and public holidays off, 调休 weekend days on) that the holidays table holds.
import type { WorkCalendar } from '../reference/load.ts';
import type { DeadlineState } from './schemas.ts';

export const PUBLICATION_WORKING_DAYS = 20;

/** The last day a result inspected on `inspectedOn` may be published: inspection date + 20 working days. */
export function publicationDueOn(calendar: WorkCalendar, inspectedOn: string): string {
  return calendar.addWorkingDays(inspectedOn, PUBLICATION_WORKING_DAYS);
}

/**
 * For an assignment not entered yet the inspection date is unknown; the latest it can be is the window's last day,
 * so its latest due date is that day + 20 working days.
 */
export function latestDueOn(calendar: WorkCalendar, windowEnd: string): string {
  return calendar.addWorkingDays(windowEnd, PUBLICATION_WORKING_DAYS);
}

export type { DeadlineState } from './schemas.ts';

export interface DeadlineInput {
  dueOn: string;
  /** The Asia/Shanghai date the result was published, or null. */
  publishedOn: string | null;
  today: string;
}

/** Where one result stands against its deadline; `dueSoonWorkingDays` sets the warning span (default 5). */
export function deadlineState(calendar: WorkCalendar, input: DeadlineInput, dueSoonWorkingDays = 5): DeadlineState {
  if (input.publishedOn !== null) return input.publishedOn <= input.dueOn ? 'published_on_time' : 'published_late';
  if (input.today > input.dueOn) return 'overdue';
  return calendar.workingDaysBetween(input.today, input.dueOn) <= dueSoonWorkingDays ? 'due_soon' : 'open';
}

/** Working days left until `dueOn` (negative: working days overdue). */
export function workingDaysLeft(calendar: WorkCalendar, today: string, dueOn: string): number {
  return today <= dueOn ? calendar.workingDaysBetween(today, dueOn) : -calendar.workingDaysBetween(dueOn, today);
}
