import { describe, it, expect } from 'vitest';
import {
  addDays,
  bpToPercent,
  canOperate,
  staffingProblems,
  choosePlan,
  codeList,
  codeName,
  endOfWindow,
  percentToBp,
  ratiosFromPercents,
  readPrefill,
  reasonIn,
  specialTaskName,
  startingRatios,
  taskDepartments,
  teamSpecOf,
  withinArea,
} from './tasks';

describe('the special-draw link', () => {
  it('reads kind, regions, industries, ratio and reason from the query string', () => {
    const search = new URLSearchParams('kind=special&region=440305,440306&region=440307&industry=H&ratioBp=3000&reason=%20南山餐饮%20');
    expect(readPrefill(search)).toEqual({ kind: 'special', regions: ['440305', '440306', '440307'], industries: ['H'], items: [], alertId: null, ratioBp: 3000, reason: '南山餐饮' });
  });

  it('ignores what it cannot use', () => {
    expect(readPrefill(new URLSearchParams('kind=urgent&ratioBp=12000&reason=%20'))).toEqual({ kind: null, regions: [], industries: [], items: [], alertId: null, ratioBp: null, reason: null });
    expect(readPrefill(new URLSearchParams('ratioBp=2.5')).ratioBp).toBeNull();
  });

  it("names a special task after the reason's Chinese half", () => {
    expect(specialTaskName('区域风险预警：南山 × 餐饮 / Regional risk alert: Nanshan x catering')).toBe('专项抽查：区域风险预警：南山 × 餐饮');
    expect(specialTaskName('长'.repeat(400))).toHaveLength(300);
    expect([reasonIn('南山 × 餐饮 / Nanshan x catering', 'zh'), reasonIn('南山 × 餐饮 / Nanshan x catering', 'en'), reasonIn('只有中文', 'en')]).toEqual(['南山 × 餐饮', 'Nanshan x catering', '只有中文']);
  });
});

describe('ratios in the task form', () => {
  it("starts from the policy's ratios, raised to a special draw's floor", () => {
    expect(startingRatios({ A: 300, B: 500, C: 1000, D: 3000 }, null)).toEqual({ A: 300, B: 500, C: 1000, D: 3000 });
    expect(startingRatios({ A: 300, B: 500, C: 1000, D: 3500 }, 3000)).toEqual({ A: 3000, B: 3000, C: 3000, D: 3500 });
    expect(startingRatios(null, 3000)).toEqual({ A: 3000, B: 3000, C: 3000, D: 3000 });
    expect(startingRatios(null, null)).toEqual({ A: null, B: null, C: null, D: null });
  });

  it('converts percent text to basis points and back', () => {
    expect([percentToBp('3'), percentToBp(2.5), percentToBp('0.01'), percentToBp('100')]).toEqual([300, 250, 1, 10000]);
    expect([percentToBp(''), percentToBp(null), percentToBp('  ')]).toEqual([null, null, null]);
    expect([percentToBp('abc'), percentToBp('-1'), percentToBp('100.5')].every(Number.isNaN)).toBe(true);
    expect([bpToPercent(300), bpToPercent(250), bpToPercent(3333), bpToPercent(null)]).toEqual(['3', '2.5', '33.33', '']);
  });

  it('sends only the tiers filled in, and refuses an unreadable one', () => {
    expect(ratiosFromPercents({ A: '3', B: '', C: null, D: 35 })).toEqual({ A: 300, D: 3500 });
    expect(ratiosFromPercents({ A: '', B: '', C: '', D: '' })).toBeUndefined();
    expect(ratiosFromPercents({ A: '3', B: 'five', C: '', D: '' })).toBe('invalid');
  });
});

describe('the task form', () => {
  it('reads code lists however they are separated', () => {
    expect(codeList('440305, 440306，440307、440308 ; 440309')).toEqual(['440305', '440306', '440307', '440308', '440309']);
    expect(codeList('  ')).toEqual([]);
  });

  it('ends a window 45 days on, within its year', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(endOfWindow('2026-03-01')).toBe('2026-04-15');
    expect(endOfWindow('2026-12-01')).toBe('2026-12-31');
  });

  it('finds the plan whose jurisdiction holds the pre-filled regions', () => {
    expect(withinArea('440305', '440000')).toBe(true);
    expect(withinArea('440305', '440300')).toBe(true);
    expect(withinArea('440305', '440100')).toBe(false);
    expect(withinArea('440305', '440305')).toBe(true);
    const plans = [
      { id: 'P2025-0001', year: 2025, jurisdictionRegionCode: '440000' },
      { id: 'P2026-0001', year: 2026, jurisdictionRegionCode: '440100' },
      { id: 'P2026-0002', year: 2026, jurisdictionRegionCode: '440300' },
    ];
    expect(choosePlan(plans, 2026, ['440305'])?.id).toBe('P2026-0002');
    expect(choosePlan(plans, 2026, [])?.id).toBe('P2026-0001');
    expect(choosePlan(plans, 2030, ['440305'])?.id).toBe('P2025-0001');
    expect(choosePlan([], 2026, [])).toBeUndefined();
  });

  it("puts the lead department first: the one chosen, else the plan's lead, else the first", () => {
    expect(taskDepartments(['TAX', 'SAMR'], 'SAMR', 'TAX')).toEqual({ lead: 'SAMR', departments: ['SAMR', 'TAX'] });
    expect(taskDepartments(['TAX', 'SAMR'], '', 'SAMR')).toEqual({ lead: 'SAMR', departments: ['SAMR', 'TAX'] });
    expect(taskDepartments(['TAX', 'EE'], 'SAMR', 'SAMR')).toEqual({ lead: 'TAX', departments: ['TAX', 'EE'] });
    expect(taskDepartments([], 'SAMR', 'SAMR')).toEqual({ lead: '', departments: [] });
  });

  it('makes teams of two officers of the lead, one of every other, then the experts asked for', () => {
    expect(teamSpecOf(['SAMR', 'TAX'], 'SAMR', {}, {})).toEqual([
      { department: 'SAMR', count: 2 },
      { department: 'TAX', count: 1 },
    ]);
    expect(teamSpecOf(['SAMR', 'TAX'], 'SAMR', { TAX: 3 }, { SAMR: 1, TAX: 0 })).toEqual([
      { department: 'SAMR', count: 2 },
      { department: 'TAX', count: 3 },
      { department: 'SAMR:expert', count: 1 },
    ]);
  });

  it('names a code in the language shown, the code where the name is unknown', () => {
    const regions = [{ code: '440305', nameZh: '南山区', nameEn: 'Nanshan' }];
    expect(codeName(regions, '440305', 'zh', 'after')).toBe('南山区 440305');
    expect(codeName(regions, '440305', 'en', 'before')).toBe('440305 Nanshan');
    expect(codeName(regions, '440306', 'zh', 'after')).toBe('440306');
    expect(codeName(undefined, 'H', 'zh', 'before')).toBe('H');
  });
});

describe('who may operate a task', () => {
  it('lets admins and operators of a taking-part department run its draws', () => {
    expect(canOperate({ role: 'admin', department: null }, ['SAMR'])).toBe(true);
    expect(canOperate({ role: 'operator', department: 'TAX' }, ['SAMR', 'TAX'])).toBe(true);
    expect(canOperate({ role: 'operator', department: 'TAX' }, ['SAMR'])).toBe(false);
    expect(canOperate({ role: 'leader', department: 'SAMR' }, ['SAMR'])).toBe(false);
    expect(canOperate(null, ['SAMR'])).toBe(false);
  });
});

describe('staffing a drafted task', () => {
  it('names each team the pool cannot fill, with its count and each item\'s own pool', () => {
    const teams = [
      { department: 'SAMR', count: 2, pool: 1, items: [{ code: 'SAMR-005', specialty: 'food_safety', pool: 9 }, { code: 'SAMR-011', specialty: 'special_equipment', pool: 1 }] },
      { department: 'TAX', count: 2, pool: 5, items: [{ code: 'TAX-001', specialty: 'tax', pool: 5 }] },
    ];
    const problems = staffingProblems(teams, (label) => `市场监管 ${label}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('市场监管 SAMR：每组需 2 人');
    expect(problems[0]).toContain('仅 1 人（仅 SAMR-005：9 人；仅 SAMR-011：1 人）');
    expect(staffingProblems([teams[1]], (label) => label)).toEqual([]);
  });
});
