import { describe, it, expect } from 'vitest';
import type { AuditEntry } from '$engine/api/types';
import { entrySummary } from './audit';

const entry = (action: string, payload: Record<string, unknown> | null): AuditEntry => ({
  seq: 7,
  recordedAt: '2026-03-02T01:00:00Z',
  actor: 'operator-samr',
  action,
  subject: 'D2026-0001',
  payload,
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
});

describe('an audit entry in a line', () => {
  it('gives the facts a reviewer checks for each action', () => {
    const hash = 'a'.repeat(64);
    expect(entrySummary(entry('task.create', { name: '餐饮专项', kind: 'special', items: ['SAMR-005', 'SAMR-006'] }))).toBe('餐饮专项 · special · SAMR-005, SAMR-006');
    expect(entrySummary(entry('task.approve', { kind: 'special' }))).toBe('special');
    expect(entrySummary(entry('draw.commit', { commitment: hash, populationDigest: hash, populationSize: 1200 }))).toBe('commitment aaaaaaaaaaaa… · digest aaaaaaaaaaaa… · N=1200');
    expect(entrySummary(entry('draw.beacon', { beacon: '上证指数 3,100.00' }))).toBe('上证指数 3,100.00');
    expect(entrySummary(entry('draw.run', { selected: 60, teamMembers: 120, unstaffed: 1, grindProof: false }))).toBe('selected 60 · team members 120 · unstaffed 1 · no beacon');
    expect(entrySummary(entry('draw.void', { reason: '范围有误', previousStatus: 'committed' }))).toBe('范围有误 (committed)');
    expect(entrySummary(entry('result.correct', { version: 2, reason: '复查', after: { outcomeCode: 'FIXED' } }))).toBe('FIXED · v2 · 复查');
    expect(entrySummary(entry('result.enter', { version: 1, after: { outcomeCode: 'OK' } }))).toBe('OK · v1');
    expect(entrySummary(entry('plan.create', { name: '2026年度抽查计划' }))).toBe('2026年度抽查计划');
  });

  it('shows an unknown action as its payload, cut short', () => {
    expect(entrySummary(entry('user.add', { username: 'wang', role: 'operator' }))).toBe('{"username":"wang","role":"operator"}');
    expect(entrySummary(entry('import.entities', { note: 'x'.repeat(300) }))).toHaveLength(160);
    expect(entrySummary(entry('draw.beacon', null))).toBe('');
  });
});
