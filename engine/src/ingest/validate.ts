// Row validation, pure: turns one row's cells into normalised staging values (dates YYYY-MM-DD, timestamps
// with their offset, codes canonical, lists ';'-joined) or into problems naming the field, value and rule.
import { usccProblem, usccCheckChar, USCC_ALPHABET } from '../reference/uscc.ts';
import { maxCharsOf, type EnumValues, type FieldDef, type FieldType, type KindDef, type RefTable } from './formats.ts';
import type { RowProblem } from './schemas.ts';

export type { RowProblem };

/** Accepted spelling (code, upper-cased code, Chinese name) -> canonical code, per reference table. */
export type RefMaps = Partial<Record<RefTable, Map<string, string>>>;

/** A cell that failed its rule: the reason in English and Chinese. */
export class Bad {
  constructor(
    readonly reason: string,
    readonly reasonZh: string,
  ) {}
}

export type CellCheck = (value: string) => string | Bad;

/**
 * Excel keeps long digit strings as floating-point numbers and silently drops digits past the 15th; the xlsx
 * source marks such cells with this prefix so the rule can say so instead of reporting a wrong check digit.
 */
export const LOST_DIGITS_MARK = '\u0000lost-digits:';

const MAX_VALUE_CHARS = 200;
export const shortValue = (value: string) => (value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value);

// ---- single-value rules ---------------------------------------------------------------------------------

/** Full-width digits and letters (０-９, Ａ-Ｚ), common in hand-typed Chinese data, become ASCII. */
function toHalfWidth(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    out += code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch;
  }
  return out;
}
const hasNonAscii = (value: string) => /[^\x00-\x7f]/.test(value);

export function checkUscc(raw: string): string | Bad {
  const code = (hasNonAscii(raw) ? toHalfWidth(raw) : raw).toUpperCase();
  const problem = usccProblem(code);
  if (problem === undefined) return code;
  if (problem === 'length') return new Bad(`must be 18 characters, found ${code.length}`, `应为18位，实际${code.length}位`);
  if (problem === 'character') {
    const at = [...code].findIndex((c) => USCC_ALPHABET.indexOf(c) < 0);
    return new Bad(
      `character '${code[at]}' at position ${at + 1} is not allowed (GB 32100: digits and capital letters except I, O, Z, S, V)`,
      `第${at + 1}位字符“${code[at]}”不允许（GB 32100：数字及除I、O、Z、S、V外的大写字母）`,
    );
  }
  const expected = usccCheckChar(code.slice(0, 17));
  return new Bad(`check digit: expected ${expected}, found ${code[17]}`, `校验码错误：应为${expected}，实际为${code[17]}`);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]);
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Checks a year/month/day triple is a real calendar date; returns 'YYYY-MM-DD'. */
function calendarDate(y: number, m: number, d: number, yearText: string): string | Bad {
  if (y < 1900 || y > 2100) return new Bad(`year ${yearText} is outside 1900..2100`, `年份${yearText}超出1900至2100`);
  if (m < 1 || m > 12) return new Bad(`not a calendar date: there is no month ${m}`, `日期不存在：没有${m}月`);
  const max = daysIn(y, m);
  if (d < 1 || d > max)
    return new Bad(`not a calendar date: ${MONTHS_EN[m - 1]} ${y} has ${max} days`, `日期不存在：${y}年${m}月只有${max}天`);
  return `${yearText}-${pad2(m)}-${pad2(d)}`;
}

const DATE_DASHED = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$/;
const DATE_CHINESE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const BAD_DATE = new Bad('expected a date YYYY-MM-DD', '应为日期，格式YYYY-MM-DD');

/** Dates: YYYY-MM-DD (also YYYY/M/D, YYYYMMDD, YYYY年M月D日, or a date at exactly midnight). */
export function checkDate(raw: string): string | Bad {
  const m = DATE_DASHED.exec(raw) ?? DATE_CHINESE.exec(raw) ?? DATE_COMPACT.exec(raw);
  if (!m) return BAD_DATE;
  return calendarDate(Number(m[1]), Number(m[2]), Number(m[3]), m[1]);
}

const TIMESTAMP =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const BAD_TIMESTAMP = new Bad(
  'expected a time YYYY-MM-DD HH:MM:SS (Asia/Shanghai), or with an offset such as +08:00',
  '应为时间，格式YYYY-MM-DD HH:MM:SS（北京时间），或带时区如+08:00',
);

/** Timestamps: 'YYYY-MM-DD HH:MM:SS' in Asia/Shanghai unless an offset is given; normalised with the offset. */
export function checkTimestamp(raw: string): string | Bad {
  const m = TIMESTAMP.exec(raw);
  if (!m) return BAD_TIMESTAMP;
  const date = calendarDate(Number(m[1]), Number(m[2]), Number(m[3]), m[1]);
  if (date instanceof Bad) return date;
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (hour > 23) return new Bad(`not a clock time: hour ${hour}`, `时间不存在：${hour}时`);
  if (minute > 59) return new Bad(`not a clock time: minute ${minute}`, `时间不存在：${minute}分`);
  if (second > 59) return new Bad(`not a clock time: second ${second}`, `时间不存在：${second}秒`);
  let offset = '+08:00';
  if (m[8]) {
    if (m[8].toUpperCase() === 'Z') offset = '+00:00';
    else {
      const digits = m[8].replace(':', '');
      const oh = Number(digits.slice(1, 3));
      const om = Number(digits.slice(3, 5) || 0);
      if (oh > 14 || om > 59) return new Bad(`not a time zone offset: ${m[8]}`, `时区偏移无效：${m[8]}`);
      offset = `${digits[0]}${pad2(oh)}:${pad2(om)}`;
    }
  }
  const fraction = m[7] ? `.${m[7]}` : '';
  return `${date} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}${fraction}${offset}`;
}

const BOOLS = new Map<string, string>([
  ['true', 'true'], ['false', 'false'], ['是', 'true'], ['否', 'false'], ['1', 'true'], ['0', 'false'],
  ['yes', 'true'], ['no', 'false'], ['y', 'true'], ['n', 'false'], ['t', 'true'], ['f', 'false'],
]);
const BAD_BOOL = new Bad('expected true or false (also 是/否, 1/0)', '应为 true 或 false（也可填 是/否、1/0）');

export function checkBool(raw: string): string | Bad {
  return BOOLS.get(raw) ?? BOOLS.get(raw.toLowerCase()) ?? BAD_BOOL;
}

/** Amounts: non-negative, at most `scale` decimals; thousands separators, ¥ and 元 are allowed and dropped. */
export function decimalCheck(precision: number, scale: number): CellCheck {
  const intDigits = precision - scale;
  const shape = new RegExp(`^\\d{1,${intDigits}}(?:\\.\\d{1,${scale}})?$`);
  const bad = new Bad(
    `expected a non-negative amount with at most ${scale} decimals and ${intDigits} whole digits, e.g. 5000.00`,
    `应为不小于0的金额，最多${intDigits}位整数、${scale}位小数，如5000.00`,
  );
  return (raw) => {
    const cleaned = raw.replace(/^[¥￥]/, '').replace(/元$/, '').replace(/,/g, '').trim();
    if (!shape.test(cleaned)) return bad;
    return cleaned;
  };
}

export function integerCheck(min: number, max: number): CellCheck {
  const bad = new Bad(`expected a whole number from ${min} to ${max}`, `应为${min}至${max}的整数`);
  return (raw) => {
    if (!/^\d{1,9}(?:\.0+)?$/.test(raw)) return bad;
    const n = Number.parseInt(raw, 10);
    return n < min || n > max ? bad : String(n);
  };
}

/** Enum values: the canonical English value (any case) or one of its aliases. */
export function enumCheck(values: EnumValues): CellCheck {
  const lookup = new Map<string, string>();
  for (const [canonical, aliases] of Object.entries(values))
    for (const spelling of [canonical, ...aliases]) {
      lookup.set(spelling, canonical);
      lookup.set(spelling.toLowerCase(), canonical);
    }
  const english = Object.keys(values).join(', ');
  const chinese = Object.values(values).map((a) => a[0]).filter(Boolean).join('、');
  const bad = new Bad(
    `unknown value; expected one of ${english}${chinese ? ` (${chinese})` : ''}`,
    `无效取值；应为 ${chinese ? `${chinese}（${english}）` : english} 之一`,
  );
  return (raw) => lookup.get(raw) ?? lookup.get(raw.toLowerCase()) ?? bad;
}

const REF_WORDS: Record<RefTable, { en: string; zh: string; listKnown: boolean }> = {
  regions: { en: 'region code (not in the regions table, GB/T 2260)', zh: '行政区划代码（GB/T 2260）', listKnown: false },
  departments: { en: 'department code', zh: '部门代码', listKnown: true },
  industries: { en: 'industry section (GB/T 4754 letter A..T)', zh: '行业门类（GB/T 4754 字母A至T）', listKnown: false },
  items: { en: 'item code (not in the item list)', zh: '抽查事项编码（不在事项清单中）', listKnown: false },
  outcome_codes: { en: 'outcome code', zh: '检查结果代码', listKnown: true },
  specialties: { en: 'specialty code', zh: '业务专长代码', listKnown: true },
};

/** Reference codes: the code itself (any case) or, where the table has one, its Chinese name. */
export function refCheck(table: RefTable, map: Map<string, string>): CellCheck {
  const words = REF_WORDS[table];
  const known = words.listKnown ? `; known: ${[...new Set(map.values())].join(', ')}` : '';
  const knownZh = words.listKnown ? `；可用：${[...new Set(map.values())].join('、')}` : '';
  const bad = new Bad(`unknown ${words.en}${known}`, `未知的${words.zh}${knownZh}`);
  return (raw) => map.get(raw) ?? map.get((hasNonAscii(raw) ? toHalfWidth(raw) : raw).toUpperCase()) ?? bad;
}

const LIST_SEPARATORS = /[;；,，、\n]/;

/** ';'-separated lists (also ；,，、): each item checked; duplicates dropped; set-like lists sorted. */
export function listCheck(item: CellCheck, sorted: boolean): CellCheck {
  return (raw) => {
    const parts = raw.split(LIST_SEPARATORS);
    const seen = new Set<string>();
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i].trim();
      if (part === '') continue;
      const value = item(part);
      if (value instanceof Bad) return new Bad(`item ${i + 1} '${part}': ${value.reason}`, `第${i + 1}项“${part}”：${value.reasonZh}`);
      seen.add(value);
    }
    if (seen.size === 0) return '';
    const values = [...seen];
    if (sorted) values.sort();
    return values.join(';');
  };
}

/** Control characters (other than tab and line breaks) are never data. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const controlCharacter = (value: string) => {
  const code = value.charCodeAt(value.search(CONTROL_CHARACTER)).toString(16).toUpperCase().padStart(4, '0');
  return new Bad(`contains the control character U+${code}; remove it`, `含有控制字符 U+${code}，请删除`);
};

/** Free text and identifiers: anything but control characters (other types' rules exclude them already). */
const textCheck: CellCheck = (raw) => (CONTROL_CHARACTER.test(raw) ? controlCharacter(raw) : raw);

export function cellCheck(spec: FieldType, refs: RefMaps): CellCheck {
  switch (spec.type) {
    case 'id':
    case 'text':
      return textCheck;
    case 'uscc':
      return checkUscc;
    case 'date':
      return checkDate;
    case 'timestamp':
      return checkTimestamp;
    case 'bool':
      return checkBool;
    case 'decimal':
      return decimalCheck(spec.precision, spec.scale);
    case 'integer':
      return integerCheck(spec.min, spec.max);
    case 'enum':
      return enumCheck(spec.values);
    case 'ref': {
      const map = refs[spec.table];
      if (!map) throw new Error(`reference table ${spec.table} was not loaded`);
      return refCheck(spec.table, map);
    }
    case 'list':
      return listCheck(cellCheck(spec.item, refs), spec.sorted);
  }
}

// ---- rows ------------------------------------------------------------------------------------------------

const REQUIRED = new Bad('required value is empty', '必填项为空');
const tooLong = (max: number) => new Bad(`longer than ${max} characters (the column's limit, docs/formats.md)`, `超过 ${max} 个字符（该列上限，见 docs/formats.md）`);
const LOST_DIGITS = new Bad(
  'Excel stored this cell as a number and dropped digits after the 15th; format the column as text (文本) and enter the values again',
  'Excel 将该单元格存为数字并丢失了第15位之后的数字；请把该列设为“文本”格式后重新录入',
);

/**
 * Rules that relate two fields of one row, per kind. `get` gives a field's normalised value: null when empty,
 * undefined when the cell already failed its own rule (so one mistake is reported once).
 */
type CrossCheck = (get: (name: string) => string | null | undefined, report: (field: string, reason: string, reasonZh: string) => void) => void;

const CROSS_CHECKS: Partial<Record<KindDef['kind'], CrossCheck>> = {
  inspectors(get, report) {
    if (get('kind') === 'officer' && get('certificate_no') === null)
      report('certificate_no', 'required for officers (kind officer)', '执法人员（officer）必须填写执法证号');
    const from = get('certificate_valid_from');
    const to = get('certificate_valid_to');
    if (from && to && to < from) report('certificate_valid_to', `ends before certificate_valid_from ${from}`, `早于证件有效期起 ${from}`);
    const declared = get('conflicts_declared');
    const reported = get('conflicts_reported');
    if (declared && reported) {
      const both = reported.split(';').filter((u) => declared.split(';').includes(u));
      if (both.length)
        report(
          'conflicts_reported',
          `${both.join(', ')} also in conflicts_declared; a conflict is declared by the inspector or by the entity, not both`,
          `${both.join('、')} 同时出现在申报回避对象中；回避只能由执法人员或主体一方申报`,
        );
    }
  },
  credit(get, report) {
    const type = get('record_type');
    if (!type) return;
    const creditClass = get('credit_class');
    if (type === 'classification' && creditClass === null)
      report('credit_class', 'required for record_type classification', '记录类型为信用分类时必须填写信用等级');
    if (type !== 'classification' && creditClass !== null)
      report('credit_class', `only for record_type classification, not ${type}`, `仅信用分类记录填写信用等级，本行为 ${type}`);
    if (type !== 'penalty' && get('amount_yuan') !== null)
      report('amount_yuan', `only for record_type penalty, not ${type}`, `仅行政处罚记录填写罚没金额，本行为 ${type}`);
  },
  items(get, report) {
    const from = get('valid_from');
    const to = get('valid_to');
    if (from && to && to < from) report('valid_to', `ends before valid_from ${from}`, `早于生效日期 ${from}`);
  },
};

export interface RowValidator {
  /**
   * Validates one row. Writes each field's normalised value (or null) into `out` in field order and pushes
   * problems; returns true when the row has none.
   */
  (cells: readonly string[], line: number, out: (string | null)[], problems: RowProblem[]): boolean;
}

export interface RowValidatorOptions {
  /** For each field, the 0-based column holding it, or -1 (see formats.matchHeader). */
  columnOf: readonly number[];
  refs: RefMaps;
  /** CSV: rows must have the header's number of cells (extra cells allowed only when empty). */
  headerWidth?: number;
}

export function rowValidator(def: KindDef, options: RowValidatorOptions): RowValidator {
  const fields: readonly FieldDef[] = def.fields;
  const checks = fields.map((f) => cellCheck(f.spec, options.refs));
  const maxChars = fields.map(maxCharsOf);
  const { columnOf, headerWidth } = options;
  const cross = CROSS_CHECKS[def.kind];
  const fieldIndex = new Map(fields.map((f, i) => [f.name, i]));
  const bad = fields.map(() => false);
  return (cells, line, out, problems) => {
    const before = problems.length;
    if (headerWidth !== undefined && cells.length !== headerWidth) {
      const extraFilled = cells.length > headerWidth && cells.slice(headerWidth).some((c) => c.trim() !== '');
      if (cells.length < headerWidth || extraFilled)
        problems.push({
          line,
          field: '',
          value: String(cells.length),
          reason: `row has ${cells.length} cells, the header has ${headerWidth}`,
          reasonZh: `本行有${cells.length}个单元格，表头有${headerWidth}个`,
        });
    }
    for (let i = 0; i < fields.length; i++) {
      const column = columnOf[i];
      const raw = column >= 0 && column < cells.length ? cells[column] : '';
      const value = raw.trim();
      bad[i] = false;
      if (value === '') {
        out[i] = null;
        if (fields[i].required) problems.push({ line, field: fields[i].name, value: raw, reason: REQUIRED.reason, reasonZh: REQUIRED.reasonZh });
        continue;
      }
      const lostDigits = value.charCodeAt(0) === 0 && value.startsWith(LOST_DIGITS_MARK);
      const checked = value.length > maxChars[i] ? tooLong(maxChars[i]) : lostDigits ? LOST_DIGITS : checks[i](value);
      if (checked instanceof Bad) {
        out[i] = null;
        bad[i] = true;
        const shown = lostDigits ? value.slice(LOST_DIGITS_MARK.length) : value;
        problems.push({ line, field: fields[i].name, value: shortValue(shown), reason: checked.reason, reasonZh: checked.reasonZh });
      } else {
        // A list of only separators is empty: required lists must name at least one item.
        out[i] = checked === '' ? null : checked;
        if (checked === '' && fields[i].required)
          problems.push({ line, field: fields[i].name, value: raw, reason: REQUIRED.reason, reasonZh: REQUIRED.reasonZh });
      }
    }
    if (cross)
      cross(
        (name) => {
          const at = fieldIndex.get(name)!;
          return bad[at] ? undefined : out[at];
        },
        (field, reason, reasonZh) => {
          const at = fieldIndex.get(field)!;
          const column = columnOf[at];
          problems.push({ line, field, value: shortValue(column >= 0 ? (cells[column] ?? '').trim() : ''), reason, reasonZh });
        },
      );
    return problems.length === before;
  };
}
