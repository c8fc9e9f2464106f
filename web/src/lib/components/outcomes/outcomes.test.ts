import { describe, it, expect } from 'vitest';
import type { OutcomeGroup, OutcomeResultRow } from '$engine/api/types';
import { formatCell } from '$lib/export';
import { drillColumns, groupName, monthRange, problemsSpec, rateBarSpec, tierName, trendSpec } from './outcomes';

type Values<R> = { data: { values: R[] } };
const group = (key: string | null, findingsRate: number | null = 0.2): OutcomeGroup => ({ key, nameZh: key && `名${key}`, nameEn: key && `name ${key}`, results: 10, findings: 2, findingsRate }) as OutcomeGroup;
const titles = { rate: 'rate', results: 'results', findings: 'findings', month: 'month', share: 'share', enough: 'n ≥ 10', few: 'n < 10' };

describe('outcome groups', () => {
  it('are named in the language shown, or as unknown', () => {
    expect(groupName(group('H'), 'zh')).toBe('名H');
    expect(groupName(group('H'), 'en')).toBe('name H');
    expect(groupName(group(null), 'zh')).toBe('未知');
    expect(tierName(group('D'))).toBe('D 类');
  });

  it('chart as bars of the findings rate, keyed for clicks, at most `limit` of them', () => {
    const groups = Array.from({ length: 30 }, (_, i) => group(`K${i}`));
    const spec = rateBarSpec(groups, (g) => `${g.key}!`, titles, 21) as unknown as Values<{ key: string; label: string }>;
    expect(spec.data.values).toHaveLength(21);
    expect(spec.data.values[0]).toEqual({ key: 'K0', label: 'K0!', rate: 0.2, results: 10, findings: 2, text: '20.0%  n=10', basis: 'n ≥ 10' });
  });

  it('mark a rate from fewer than 10 results, for the legend to say so', () => {
    const few = { ...group('F', 0.5), results: 2, findings: 1 };
    const spec = rateBarSpec([few], (g) => g.key!, titles) as unknown as Values<{ text: string; basis: string }>;
    expect(spec.data.values[0]).toMatchObject({ text: '50.0%  n=2', basis: 'n < 10' });
  });

  it('keep a month without results on the trend as an empty month (a gap, not a join)', () => {
    expect(monthRange(['2026-11', '2027-02', '2026-12'])).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    const trend = trendSpec([group('2026-03', 0.5), group('2026-05', 0.25)], titles) as unknown as Values<{ month: string; rate: number | null }>;
    expect(trend.data.values.map((m) => [m.month, m.rate])).toEqual([['2026-03', 0.5], ['2026-04', null], ['2026-05', 0.25]]);
  });

  it('chart the month trend and the problems found most often', () => {
    const trend = trendSpec([group('2026-03', 0.5)], titles) as unknown as Values<unknown>;
    expect(trend.data.values).toEqual([{ month: '2026-03', results: 10, findings: 2, rate: 0.5 }]);
    const problems = problemsSpec([{ outcomeCode: 'PENDING', outcomeNameZh: '待处理', outcomeNameEn: 'pending', results: 4, share: 0.4 }] as never, 'en', titles) as unknown as Values<unknown>;
    expect(problems.data.values).toEqual([{ key: 'PENDING', label: 'pending', results: 4, share: 0.4 }]);
  });
});

describe('the drill-down table', () => {
  it('shows names in the language shown, with the code where a name is missing', () => {
    const row = { city_code: '440300', city_name_zh: null, city_name_en: null, industry_name_zh: null, tier: 'D', item_code: 'SAMR-005', item_name_zh: '餐饮', item_name_en: 'Catering', findings: null } as unknown as OutcomeResultRow;
    const shown = Object.fromEntries(drillColumns('en').map((c) => [c.key, formatCell(row, c)]));
    expect(shown).toMatchObject({ city_name_zh: '440300', industry_name_zh: '—', tier: 'D 类', item_name_zh: 'SAMR-005 Catering', findings: '—' });
  });
});
