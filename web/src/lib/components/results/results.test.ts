import { describe, it, expect } from 'vitest';
import type { ResultState } from '$engine/api/types';
import type { SessionUser } from '$lib/session.svelte';
import { assignmentColumns, assignmentKey, canChange, daysText, defaultInspectedOn, latestInspectedOn, outcomeName, stateText } from './results';

const user = (role: SessionUser['role'], department: string | null): SessionUser => ({ username: 'u', role, department, csrfToken: 't', expiresAt: '2026-12-31T00:00:00Z' });
const codes = [
  { code: 'PENDING', nameZh: '发现问题待后续处理', nameEn: 'Problem found, follow-up pending', isFinding: true },
  { code: 'OK', nameZh: '未发现问题', nameEn: 'No problem found', isFinding: false },
];

describe('who enters results', () => {
  it("is the inspecting department's operators, and admins", () => {
    expect(canChange(user('operator', 'SAMR'), 'SAMR')).toBe(true);
    expect(canChange(user('operator', 'TAX'), 'SAMR')).toBe(false);
    expect(canChange(user('admin', null), 'SAMR')).toBe(true);
    expect(canChange(user('leader', 'SAMR'), 'SAMR')).toBe(false);
    expect(canChange(null, 'SAMR')).toBe(false);
  });
});

describe('inspection dates', () => {
  const window = { windowStart: '2026-03-01', windowEnd: '2026-04-15' };
  it('start at today, kept inside the window', () => {
    expect(defaultInspectedOn(window, '2026-03-20')).toBe('2026-03-20');
    expect(defaultInspectedOn(window, '2026-02-01')).toBe('2026-03-01');
    expect(defaultInspectedOn(window, '2026-05-01')).toBe('2026-04-15');
  });
  it('end at the window, never after today', () => {
    expect(latestInspectedOn(window, '2026-03-20')).toBe('2026-03-20');
    expect(latestInspectedOn(window, '2026-06-01')).toBe('2026-04-15');
  });
});

describe('how an assignment reads', () => {
  it('is keyed by draw, object and item', () => {
    expect(assignmentKey({ drawId: 'D2026-0001', objectId: '9144', itemCode: 'SAMR-005' })).toBe('D2026-0001|9144|SAMR-005');
  });

  it('names outcome codes in the language shown', () => {
    expect(outcomeName(codes, 'OK', 'zh')).toBe('未发现问题');
    expect(outcomeName(codes, 'OK', 'en')).toBe('No problem found');
    expect(outcomeName(codes, 'GONE', 'zh')).toBe('GONE');
    expect(outcomeName(codes, null, 'zh')).toBe('—');
  });

  it('counts working days over or left, and says nothing once published', () => {
    expect(daysText({ deadline: 'overdue', workingDaysLeft: -3 })).toBe('逾期 3 个工作日');
    expect(daysText({ deadline: 'due_soon', workingDaysLeft: 2 })).toBe('剩 2 个工作日');
    expect(daysText({ deadline: 'published_on_time', workingDaysLeft: 5 })).toBe('');
  });

  it("shows the department column only when it is not the operator's own", () => {
    const keys = (show: boolean) => assignmentColumns(show, (c) => c ?? '—', 'zh').map((c) => c.key);
    expect(keys(true)).toContain('departmentCode');
    expect(keys(false)).not.toContain('departmentCode');
    expect(keys(false)[0]).toBe('actions');
  });

  it('puts a result state in one line', () => {
    const state = { outcomeCode: 'PENDING', inspectedOn: '2026-03-02', findings: '记录不全', publishedAt: '2026-03-20T02:00:00Z' } as ResultState;
    expect(stateText(state, (c) => outcomeName(codes, c, 'zh'))).toBe('发现问题待后续处理 · 2026-03-02 · “记录不全” · 公开');
    expect(stateText({ ...state, findings: null, publishedAt: null }, (c) => c)).toBe('PENDING · 2026-03-02');
    expect(stateText(null, (c) => c)).toBe('—');
  });
});
