import { describe, it, expect, afterEach, vi } from 'vitest';
import { fmtBp, fmtDate, fmtDateTime, fmtInt, fmtNum, fmtPct, reportYears, shanghaiToday, shanghaiYear } from './format';
import { i18n } from './i18n.svelte';

afterEach(() => {
  if (i18n.lang !== 'zh') i18n.lang = 'zh';
  vi.unstubAllGlobals();
});

describe('number formats', () => {
  it('groups integers, rounds, and shows a dash for nothing', () => {
    expect(fmtInt(1234567)).toBe('1,234,567');
    expect(fmtInt(2.5)).toBe('3');
    expect([fmtInt(null), fmtInt(undefined), fmtInt(Number.NaN)]).toEqual(['—', '—', '—']);
  });

  it('writes ratios and basis points as percentages', () => {
    expect(fmtPct(0.1234)).toBe('12.3%');
    expect(fmtPct(0.1234, 2)).toBe('12.34%');
    expect(fmtPct(null)).toBe('—');
    expect([fmtBp(300), fmtBp(250), fmtBp(3333), fmtBp(0)]).toEqual(['3%', '2.5%', '33.33%', '0%']);
    expect(fmtBp(undefined)).toBe('—');
  });

  it('keeps a fixed number of decimals in the language shown', () => {
    expect(fmtNum(1234.5)).toBe('1,234.50');
    expect(fmtNum(2.25, 1)).toBe('2.3');
    expect(fmtNum(null)).toBe('—');
    vi.stubGlobal('localStorage', { setItem: vi.fn() });
    vi.stubGlobal('document', { documentElement: { lang: '' } });
    i18n.lang = 'en';
    expect(fmtNum(1234.5, 1)).toBe('1,234.5');
  });
});

describe('dates in Asia/Shanghai', () => {
  it('passes calendar dates through and shows instants as Beijing dates and times', () => {
    expect(fmtDate('2026-03-02')).toBe('2026-03-02');
    // 18:30 UTC on 1 March is 02:30 on 2 March in Beijing.
    expect(fmtDate('2026-03-01T18:30:00Z')).toBe('2026-03-02');
    expect(fmtDateTime('2026-03-01T18:30:00Z')).toBe('2026-03-02 02:30');
    expect(fmtDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect([fmtDate(null), fmtDateTime(undefined), fmtDate('')]).toEqual(['—', '—', '—']);
  });

  it('knows today and this year in Beijing, and the years a report offers', () => {
    const newYearsEve = new Date('2026-12-31T17:00:00Z');
    expect(shanghaiToday(newYearsEve)).toBe('2027-01-01');
    expect(shanghaiYear(newYearsEve)).toBe(2027);
    expect(reportYears(2026)).toEqual([2027, 2026, 2025, 2024]);
  });
});
