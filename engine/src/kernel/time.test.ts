import { describe, expect, it } from 'vitest';
import { addDays, formatShanghai, isIsoDate, shanghaiDate, shanghaiTime, shanghaiTimeZh } from './time.ts';

describe('Asia/Shanghai dates and times', () => {
  // 2025-12-31 16:30:05 UTC is already New Year's Day in Shanghai
  const newYear = new Date('2025-12-31T16:30:05Z');

  it('reads an instant in Asia/Shanghai whatever the process time zone', () => {
    expect(shanghaiDate(newYear)).toBe('2026-01-01');
    expect(shanghaiTime(newYear)).toBe('2026-01-01 00:30:05');
    expect(shanghaiTimeZh(newYear)).toBe('2026年1月1日 00:30:05');
  });

  it('formats time stamps as ISO 8601 with the +08:00 offset', () => {
    expect(formatShanghai(new Date('2025-03-03T07:05:00Z'))).toBe('2025-03-03T15:05:00.000+08:00');
    expect(formatShanghai('2025-03-03T15:05:00+08:00')).toBe('2025-03-03T15:05:00+08:00');
    expect(() => formatShanghai(new Date('nope'))).toThrow('invalid timestamp');
  });

  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate(20260101)).toBe(false);
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-30', 3)).toBe('2026-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
