// The row rules on their own: each accepted spelling normalises to one value, each failure says why.
import { describe, expect, it } from 'vitest';
import { FORMATS, matchHeader } from './formats.ts';
import {
  Bad,
  checkBool,
  checkDate,
  checkTimestamp,
  checkUscc,
  decimalCheck,
  enumCheck,
  integerCheck,
  listCheck,
  refCheck,
  rowValidator,
  LOST_DIGITS_MARK,
  type RowProblem,
} from './validate.ts';

const reason = (v: string | Bad) => (v instanceof Bad ? v.reason : `ok ${v}`);
const reasonZh = (v: string | Bad) => (v instanceof Bad ? v.reasonZh : `ok ${v}`);

describe('USCC', () => {
  it('accepts valid codes, upper-casing and converting full-width characters', () => {
    expect(checkUscc('91440106MA59X3K26T')).toBe('91440106MA59X3K26T');
    expect(checkUscc('91440106ma59x3k26t')).toBe('91440106MA59X3K26T');
    expect(checkUscc('９１440106MA59X3K26T')).toBe('91440106MA59X3K26T');
  });
  it('names the expected check digit', () => {
    expect(reason(checkUscc('91440106MA59X3K267'))).toBe('check digit: expected T, found 7');
    expect(reasonZh(checkUscc('91440106MA59X3K267'))).toBe('校验码错误：应为T，实际为7');
  });
  it('names a wrong length and a forbidden character with its position', () => {
    expect(reason(checkUscc('91440106MA59X3K26'))).toBe('must be 18 characters, found 17');
    expect(reason(checkUscc('91440106MI59X3K26T'))).toBe(
      "character 'I' at position 10 is not allowed (GB 32100: digits and capital letters except I, O, Z, S, V)",
    );
  });
});

describe('dates', () => {
  it('normalises the accepted spellings to YYYY-MM-DD', () => {
    for (const raw of ['2024-02-29', '2024/2/29', '2024.02.29', '20240229', '2024年2月29日', '2024-02-29 00:00:00', '2024-02-29T00:00'])
      expect(checkDate(raw), raw).toBe('2024-02-29');
  });
  it('rejects days that are not on the calendar, naming the month length', () => {
    expect(reason(checkDate('2024-02-30'))).toBe('not a calendar date: February 2024 has 29 days');
    expect(reasonZh(checkDate('2024-02-30'))).toBe('日期不存在：2024年2月只有29天');
    expect(reason(checkDate('2023-02-29'))).toBe('not a calendar date: February 2023 has 28 days');
    expect(reason(checkDate('1900-02-29'))).toBe('not a calendar date: February 1900 has 28 days');
    expect(checkDate('2000-02-29')).toBe('2000-02-29');
    expect(reason(checkDate('2024-13-01'))).toBe('not a calendar date: there is no month 13');
    expect(reason(checkDate('2024-04-31'))).toBe('not a calendar date: April 2024 has 30 days');
  });
  it('rejects other shapes and implausible years', () => {
    expect(reason(checkDate('29/02/2024'))).toBe('expected a date YYYY-MM-DD');
    expect(reason(checkDate('2024-02-29 10:30:00'))).toBe('expected a date YYYY-MM-DD');
    expect(reason(checkDate('0202-01-01'))).toBe('year 0202 is outside 1900..2100');
  });
});

describe('timestamps', () => {
  it('reads Asia/Shanghai wall-clock time unless an offset is given', () => {
    expect(checkTimestamp('2024-03-11 09:15:42')).toBe('2024-03-11 09:15:42+08:00');
    expect(checkTimestamp('2024/3/11 9:15')).toBe('2024-03-11 09:15:00+08:00');
    expect(checkTimestamp('2024-03-11T09:15:42.125+08:00')).toBe('2024-03-11 09:15:42.125+08:00');
    expect(checkTimestamp('2024-03-11T01:15:42Z')).toBe('2024-03-11 01:15:42+00:00');
    expect(checkTimestamp('2024-03-11 09:15:42 +0800')).toBe('2024-03-11 09:15:42+08:00');
    expect(checkTimestamp('2024-03-11')).toBe('2024-03-11 00:00:00+08:00');
  });
  it('rejects impossible times and other shapes', () => {
    expect(reason(checkTimestamp('2024-03-11 24:00:00'))).toBe('not a clock time: hour 24');
    expect(reason(checkTimestamp('2024-02-30 10:00:00'))).toBe('not a calendar date: February 2024 has 29 days');
    expect(reason(checkTimestamp('11 March 2024'))).toBe(
      'expected a time YYYY-MM-DD HH:MM:SS (Asia/Shanghai), or with an offset such as +08:00',
    );
  });
});

describe('other cell rules', () => {
  it('booleans in English, Chinese and digits', () => {
    expect(['true', 'TRUE', '是', '1', 'yes'].map(checkBool)).toEqual(['true', 'true', 'true', 'true', 'true']);
    expect(['false', '否', '0', 'No'].map(checkBool)).toEqual(['false', 'false', 'false', 'false']);
    expect(reason(checkBool('maybe'))).toBe('expected true or false (also 是/否, 1/0)');
  });
  it('amounts drop separators and currency signs and keep at most 2 decimals', () => {
    const amount = decimalCheck(14, 2);
    expect(amount('12,000.50')).toBe('12000.50');
    expect(amount('¥300元')).toBe('300');
    expect(reason(amount('1.005'))).toBe('expected a non-negative amount with at most 2 decimals and 12 whole digits, e.g. 5000.00');
    expect(reason(amount('-5'))).toMatch(/^expected a non-negative amount/);
  });
  it('integers within their range', () => {
    const bp = integerCheck(0, 10000);
    expect(bp('300')).toBe('300');
    expect(bp('300.0')).toBe('300');
    expect(reason(bp('10001'))).toBe('expected a whole number from 0 to 10000');
    expect(reason(bp('3%'))).toBe('expected a whole number from 0 to 10000');
  });
  it('enums by English value (any case) or Chinese alias, listing both on failure', () => {
    const entityType = enumCheck(FORMATS.entities.fields[2].spec.type === 'enum' ? FORMATS.entities.fields[2].spec.values : {});
    expect(entityType('Enterprise')).toBe('enterprise');
    expect(entityType('个体工商户')).toBe('individual');
    expect(reason(entityType('company'))).toBe('unknown value; expected one of enterprise, individual, cooperative (企业、个体工商户、农民专业合作社)');
  });
  it('reference codes by code, upper-cased code or Chinese name', () => {
    const departments = refCheck('departments', new Map([['SAMR', 'SAMR'], ['市场监督管理局', 'SAMR'], ['TAX', 'TAX'], ['税务局', 'TAX']]));
    expect(departments('samr')).toBe('SAMR');
    expect(departments('税务局')).toBe('TAX');
    expect(reason(departments('POLICE'))).toBe('unknown department code; known: SAMR, TAX');
    const regions = refCheck('regions', new Map([['440106', '440106']]));
    expect(reason(regions('440199'))).toBe('unknown region code (not in the regions table, GB/T 2260)');
  });
  it('lists split on ; (and full-width ；, commas, 、), drop repeats, sort set-like lists and name a bad item', () => {
    const codes = listCheck((v) => (/^[A-Z]+$/.test(v) ? v : new Bad('not a code', '不是代码')), true);
    expect(codes('TAX;SAMR；TAX, MEE')).toBe('MEE;SAMR;TAX');
    expect(codes(' ; ')).toBe('');
    expect(reason(codes('SAMR;x1'))).toBe("item 2 'x1': not a code");
    expect(listCheck((v) => v, false)('B;A;B')).toBe('B;A');
  });
});

describe('rows', () => {
  const refs = {
    regions: new Map([['440106', '440106']]),
    departments: new Map([['SAMR', 'SAMR']]),
    specialties: new Map([['registration', 'registration']]),
  };
  const inspectorHeader = FORMATS.inspectors.fields.map((f) => f.name);
  const validateInspector = rowValidator(FORMATS.inspectors, { columnOf: matchHeader('inspectors', inspectorHeader).columnOf, refs, headerWidth: inspectorHeader.length });
  const run = (cells: string[]) => {
    const out: (string | null)[] = [];
    const problems: RowProblem[] = [];
    const ok = validateInspector(cells, 7, out, problems);
    return { ok, out, problems };
  };
  const good = ['I-1', '林建华', 'SAMR', '440106', 'officer', 'enforcement', 'registration', 'C-1', '2022-01-01', '2027-12-31', 'true', '', ''];

  it('normalises a good row', () => {
    const { ok, out, problems } = run(good);
    expect(problems).toEqual([]);
    expect(ok).toBe(true);
    expect(out).toEqual(['I-1', '林建华', 'SAMR', '440106', 'officer', 'enforcement', 'registration', 'C-1', '2022-01-01', '2027-12-31', 'true', null, null]);
  });
  it('reports every problem of a row, in field order, with line, field and value', () => {
    const cells = [...good];
    cells[1] = ' ';
    cells[8] = '2022-02-30';
    cells[10] = 'perhaps';
    expect(run(cells).problems).toEqual([
      { line: 7, field: 'name', value: ' ', reason: 'required value is empty', reasonZh: '必填项为空' },
      { line: 7, field: 'certificate_valid_from', value: '2022-02-30', reason: 'not a calendar date: February 2022 has 28 days', reasonZh: '日期不存在：2022年2月只有28天' },
      { line: 7, field: 'active', value: 'perhaps', reason: 'expected true or false (also 是/否, 1/0)', reasonZh: '应为 true 或 false（也可填 是/否、1/0）' },
    ]);
  });
  it('applies the rules between fields once, not on top of a bad cell', () => {
    const noCertificate = [...good];
    noCertificate[7] = '';
    expect(run(noCertificate).problems.map((p) => `${p.field}: ${p.reason}`)).toEqual(['certificate_no: required for officers (kind officer)']);
    const badKind = [...noCertificate];
    badKind[4] = 'boss';
    expect(run(badKind).problems.map((p) => p.field)).toEqual(['kind']);
    const backwards = [...good];
    backwards[9] = '2021-12-31';
    expect(run(backwards).problems.map((p) => `${p.field}: ${p.reason}`)).toEqual(['certificate_valid_to: ends before certificate_valid_from 2022-01-01']);
    const both = [...good];
    both[11] = '91440106MA59X3K26T';
    both[12] = '91440106MA59X3K26T';
    expect(run(both).problems.map((p) => `${p.field}: ${p.reason}`)).toEqual([
      'conflicts_reported: 91440106MA59X3K26T also in conflicts_declared; a conflict is declared by the inspector or by the entity, not both',
    ]);
  });
  it('checks the cell count against the header, allowing empty trailing cells', () => {
    expect(run(good.slice(0, 12)).problems).toEqual([
      { line: 7, field: '', value: '12', reason: 'row has 12 cells, the header has 13', reasonZh: '本行有12个单元格，表头有13个' },
    ]);
    expect(run([...good, '', '']).ok).toBe(true);
    expect(run([...good, 'x']).problems[0].reason).toBe('row has 14 cells, the header has 13');
  });
  it('explains digits Excel lost instead of a check digit', () => {
    const validateCredit = rowValidator(FORMATS.credit, { columnOf: [0, 1, 2, 3, 4, 5, 6, 7], refs: { departments: refs.departments } });
    const problems: RowProblem[] = [];
    validateCredit(['R1', `${LOST_DIGITS_MARK}914401061234567900`, 'penalty', '2024-01-01', '', '', '', ''], 3, [], problems);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'uscc', value: '914401061234567900' });
    expect(problems[0].reason).toMatch(/^Excel stored this cell as a number and dropped digits after the 15th/);
  });
  it('checks credit record types against class and amount', () => {
    const validateCredit = rowValidator(FORMATS.credit, { columnOf: [0, 1, 2, 3, 4, 5, 6, 7], refs: { departments: refs.departments } });
    const check = (cells: string[]) => {
      const problems: RowProblem[] = [];
      validateCredit(cells, 2, [], problems);
      return problems.map((p) => `${p.field}: ${p.reason}`);
    };
    expect(check(['R1', '91440106MA59X3K26T', 'classification', '2024-01-01', '', '', 'SAMR', ''])).toEqual(['credit_class: required for record_type classification']);
    expect(check(['R1', '91440106MA59X3K26T', 'penalty', '2024-01-01', 'B', '100', 'SAMR', ''])).toEqual(['credit_class: only for record_type classification, not penalty']);
    expect(check(['R1', '91440106MA59X3K26T', '列入经营异常名录', '2024-01-01', '', '100', 'SAMR', ''])).toEqual(['amount_yuan: only for record_type penalty, not abnormal_listing']);
  });
});
