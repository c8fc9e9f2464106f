import { describe, it, expect } from 'vitest';
import type { Alert } from '$engine/api/types';
import { readPrefill } from '../tasks/tasks';
import { dataAgeDays, evidenceSpec, plainStatistics, qText, regionLabel, specialDrawHref, specialDrawReason, SPECIAL_DRAW_RATIO_BP } from './alerts';

const alert = {
  id: 'complaints:440305:H',
  kind: 'complaints',
  level: 'district',
  regionCode: '440305',
  regionName: { zh: '南山区', en: 'Nanshan' },
  cityCode: '440300',
  cityName: { zh: '深圳市', en: 'Shenzhen' },
  industryCode: 'H',
  industryName: { zh: '住宿和餐饮业', en: 'Accommodation and catering' },
  window: { from: '2026-01-05', to: '2026-03-01', weeks: 8 },
  observed: 41,
  expected: 12.345,
  ratio: 3.321,
  baselineCount: 80,
  pValue: 0.00001,
  qValue: 0.000123,
  severity: 'high',
  items: ['SAMR-005', 'SAMR-011'],
  series: [{ weekStart: '2026-01-05', weekEnd: '2026-01-11', period: 'window', count: 6, expected: 1.5, low: 0, high: 4 }],
} as unknown as Alert;

describe('an alert in words', () => {
  it('names its region with the city for a district', () => {
    expect(regionLabel(alert, 'zh')).toBe('深圳市南山区');
    expect(regionLabel(alert, 'en')).toBe('Nanshan, Shenzhen');
    expect(regionLabel({ ...alert, level: 'city', regionName: { zh: '东莞市', en: 'Dongguan' } }, 'en')).toBe('Dongguan');
  });

  it('writes q with two significant digits, in scientific form below 0.001', () => {
    expect([qText(0.0123), qText(0.001), qText(0.000123)]).toEqual(['0.012', '0.0010', '1.2e-4']);
  });

  it('gives a special task its reason, Chinese first', () => {
    const reason = specialDrawReason(alert);
    expect(reason).toBe(
      '区域风险预警：深圳市南山区 × 住宿和餐饮业，2026-01-05至2026-03-01 12345投诉 41 件，预期 12.3 件（3.3 倍，q=1.2e-4）' +
        ' / Regional risk alert: Nanshan, Shenzhen x Accommodation and catering, 12345 complaints 2026-01-05 to 2026-03-01: 41 against 12.3 expected (x3.3, q=1.2e-4)',
    );
    expect(specialDrawReason({ ...alert, ratio: null })).toContain('（— 倍');
  });

  it('says its statistics in plain words, the figures kept for hover', () => {
    expect(plainStatistics(alert)).toEqual({
      words: '41 件投诉，平常约 12：是平常的 3.3 倍，几乎不可能是偶然。',
      figures: '实际 41，预期 12.35，倍数 3.32，p = 1.0e-5，q = 1.2e-4',
    });
    expect(plainStatistics({ ...alert, ratio: null, qValue: 0.03 }).words).toBe('41 件投诉，平常约 12：此前几乎没有，可能是偶然，需关注。');
  });

  it('counts how old its data is in days', () => {
    expect(dataAgeDays('2026-11-01', '2026-12-07')).toBe(36);
    expect(dataAgeDays('2026-12-07', '2026-12-07')).toBe(0);
  });
});

describe('the special-draw link', () => {
  it('opens the task form pre-filled with what the form reads back', () => {
    const href = specialDrawHref(alert);
    expect(href.startsWith('/tasks/new?kind=special&region=440305&industry=H&ratioBp=3000&item=SAMR-005&item=SAMR-011&alert=complaints%3A440305%3AH&reason=')).toBe(true);
    expect(readPrefill(new URL(href, 'http://x').searchParams)).toEqual({
      kind: 'special',
      regions: ['440305'],
      industries: ['H'],
      items: ['SAMR-005', 'SAMR-011'],
      alertId: 'complaints:440305:H',
      ratioBp: SPECIAL_DRAW_RATIO_BP,
      reason: specialDrawReason(alert),
    });
  });
});

describe('the evidence chart', () => {
  const labels = { week: 'week', count: 'complaints', expected: 'expected', band: 'band', window: 'window', visits: 'visits' };
  type Layers = { layer: Array<{ mark: { type: string }; data: { values: unknown[] }; encoding: { tooltip: unknown[] } }> };
  it('shades the window and draws the series, its expected line and band', () => {
    const spec = evidenceSpec(alert, labels) as Layers;
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['rect', 'area', 'line', 'line', 'point']);
    expect(spec.layer[0].data.values).toEqual([{ from: '2026-01-05', to: '2026-03-01', label: 'window' }]);
    expect(spec.layer[4].data.values).toEqual(alert.series.map((w) => ({ ...w, few: false })));
  });

  it("draws a finding-rate alert's weeks with few visits lighter, with the visits on hover", () => {
    const findings = { ...alert, kind: 'findings', series: alert.series.map((w, i) => ({ ...w, visits: i === 0 ? 3 : 12 })) } as Alert;
    const spec = evidenceSpec(findings, labels) as Layers;
    expect((spec.layer[4].data.values as Array<{ few: boolean }>).map((w) => w.few)).toEqual(findings.series.map((_, i) => i === 0));
    expect(spec.layer[4].encoding.tooltip[0]).toEqual({ field: 'visits', type: 'quantitative', title: 'visits' });
  });
});
