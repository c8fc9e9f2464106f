import { describe, expect, it } from 'vitest';
import { readReference, WorkCalendar } from '../reference/load.ts';
import { deadlineState, latestDueOn, publicationDueOn, workingDaysLeft } from './deadline.ts';

// The holiday calendar is data: data/reference/holidays.csv, as loaded into the holidays table.
const calendar = new WorkCalendar(readReference().holidays);
const weekdaysOnly = new WorkCalendar([]);

describe('publication deadline: inspection date + 20 working days', () => {
  it('across 国庆 2024: 9-29 and 10-12 are working Saturdays/Sundays, 10-01..10-07 are off', () => {
    // 2024-09-27 (Fri): 9-29 (调休), 9-30, 10-08..10-11, 10-12 (调休), 10-14..10-18, 10-21..10-25, 10-28..10-30.
    expect(publicationDueOn(calendar, '2024-09-27')).toBe('2024-10-30');
    // Without the holiday data, 20 weekdays end five days earlier: the calendar matters.
    expect(publicationDueOn(weekdaysOnly, '2024-09-27')).toBe('2024-10-25');
  });

  it('inspected during the holiday itself counts from the next working day', () => {
    // 10-08..10-11 (4), 10-12 (5), 10-14..10-18 (10), 10-21..10-25 (15), 10-28..11-01 (20).
    expect(publicationDueOn(calendar, '2024-10-03')).toBe('2024-11-01');
  });

  it('an ordinary month: 20 weekdays', () => {
    expect(publicationDueOn(calendar, '2024-11-04')).toBe('2024-12-02');
  });

  it('a result not yet entered is due at the latest 20 working days after the window closes', () => {
    expect(latestDueOn(calendar, '2024-09-30')).toBe(publicationDueOn(calendar, '2024-09-30'));
    // 10-08..10-11 (4), 10-12 (5), 10-14..10-18 (10), 10-21..10-25 (15), 10-28..11-01 (20).
    expect(latestDueOn(calendar, '2024-09-30')).toBe('2024-11-01');
  });

  it('classifies results against the due date', () => {
    const dueOn = '2024-10-30';
    expect(deadlineState(calendar, { dueOn, publishedOn: '2024-10-30', today: '2024-11-20' })).toBe('published_on_time');
    expect(deadlineState(calendar, { dueOn, publishedOn: '2024-10-31', today: '2024-11-20' })).toBe('published_late');
    expect(deadlineState(calendar, { dueOn, publishedOn: null, today: '2024-10-31' })).toBe('overdue');
    expect(deadlineState(calendar, { dueOn, publishedOn: null, today: '2024-10-30' })).toBe('due_soon');
    expect(deadlineState(calendar, { dueOn, publishedOn: null, today: '2024-10-23' })).toBe('due_soon');
    expect(deadlineState(calendar, { dueOn, publishedOn: null, today: '2024-10-22' })).toBe('open');
    expect(deadlineState(calendar, { dueOn, publishedOn: null, today: '2024-10-08' }, 20)).toBe('due_soon');
    expect(workingDaysLeft(calendar, '2024-10-08', dueOn)).toBe(17);
    expect(workingDaysLeft(calendar, '2024-11-01', dueOn)).toBe(-2);
  });
});
