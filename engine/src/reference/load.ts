// Reference data (regions, departments, industries, specialties, outcome codes, credit classes, holidays,
// the item list): reads and validates data/reference/*.csv, upserts it, and offers small lookups over it.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { DATA_DIR } from '../kernel/config.ts';
import { isIsoDate } from '../kernel/time.ts';
import { RATIO_BP_MAX } from '../kernel/schema.ts';

export const REFERENCE_DIR = resolve(DATA_DIR, 'reference');
export const PROVINCE_CODE = '440000';

export type RegionLevel = 'province' | 'city' | 'district';
export type ItemKind = 'general' | 'key';
export type ItemMethod = 'onsite' | 'documents' | 'online';
export type ItemObjectType = 'enterprise' | 'individual' | 'cooperative' | 'entity' | 'product' | 'project' | 'behaviour';
export type HolidayKind = 'holiday' | 'workday';

export const ITEM_KINDS: readonly ItemKind[] = ['general', 'key'];
export const ITEM_METHODS: readonly ItemMethod[] = ['onsite', 'documents', 'online'];
export const ITEM_OBJECT_TYPES: readonly ItemObjectType[] = ['enterprise', 'individual', 'cooperative', 'entity', 'product', 'project', 'behaviour'];

export interface CodeName {
  code: string;
  name_zh: string;
  name_en: string;
}
export interface Region extends CodeName {
  level: RegionLevel;
  parent_code: string | null;
}
export interface OutcomeCode extends CodeName {
  is_finding: boolean;
}
export interface Holiday {
  day: string;
  kind: HolidayKind;
  name: string;
}
export interface Item {
  code: string;
  version: number;
  department_code: string;
  kind: ItemKind;
  name_zh: string;
  name_en: string;
  legal_basis: string;
  object_type: ItemObjectType;
  content: string;
  method: ItemMethod;
  default_ratio_bp: number;
  frequency_per_year: number;
  specialty: string;
  valid_from: string;
  valid_to: string | null;
}

export interface ReferenceData {
  regions: Region[];
  departments: CodeName[];
  industries: CodeName[];
  specialties: CodeName[];
  outcome_codes: OutcomeCode[];
  credit_classes: CodeName[];
  holidays: Holiday[];
  items: Item[];
}
export type ReferenceTable = keyof ReferenceData;

/** Columns of each file, equal to its table's columns (001_foundation.sql), with the SQL type to bind as. */
const COLUMNS: { [T in ReferenceTable]: Record<string, 'VARCHAR' | 'INTEGER' | 'BOOLEAN' | 'DATE'> } = {
  regions: { code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR', level: 'VARCHAR', parent_code: 'VARCHAR' },
  departments: { code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR' },
  industries: { code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR' },
  specialties: { code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR' },
  outcome_codes: { code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR', is_finding: 'BOOLEAN' },
  credit_classes: { code: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR' },
  holidays: { day: 'DATE', kind: 'VARCHAR', name: 'VARCHAR' },
  items: {
    code: 'VARCHAR', version: 'INTEGER', department_code: 'VARCHAR', kind: 'VARCHAR', name_zh: 'VARCHAR', name_en: 'VARCHAR',
    legal_basis: 'VARCHAR', object_type: 'VARCHAR', content: 'VARCHAR', method: 'VARCHAR', default_ratio_bp: 'INTEGER',
    frequency_per_year: 'INTEGER', specialty: 'VARCHAR', valid_from: 'DATE', valid_to: 'DATE',
  },
};
const KEYS: { [T in ReferenceTable]: string[] } = {
  regions: ['code'], departments: ['code'], industries: ['code'], specialties: ['code'], outcome_codes: ['code'],
  credit_classes: ['code'], holidays: ['day'], items: ['code', 'version'],
};
/** Load order: referenced tables before the ones that reference them. */
export const REFERENCE_TABLES: readonly ReferenceTable[] = [
  'regions', 'departments', 'industries', 'specialties', 'outcome_codes', 'credit_classes', 'holidays', 'items',
];

export class ReferenceFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly value: string,
    readonly rule: string,
  ) {
    super(`${file}, line ${line}, field ${field}, value ${JSON.stringify(value)}: ${rule}`);
    this.name = 'ReferenceFileError';
  }
}

interface RawRow {
  line: number;
  fields: Record<string, string>;
}

/** One file's rows as trimmed strings, with the line each ends on; the header must name exactly the table's columns. */
function readRows(dir: string, table: ReferenceTable): { file: string; rows: RawRow[] } {
  const path = resolve(dir, `${table}.csv`);
  const file = `${basename(dir)}/${table}.csv`;
  const expected = Object.keys(COLUMNS[table]);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ReferenceFileError(file, 0, '(file)', path, `cannot read the file: ${(err as Error).message}`);
  }
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      columns: (header: string[]) => {
        const missing = expected.filter((c) => !header.includes(c));
        const unknown = header.filter((c) => !expected.includes(c));
        if (missing.length || unknown.length) {
          throw new ReferenceFileError(file, 1, '(header)', header.join(','),
            `columns must be ${expected.join(',')}` + (missing.length ? `; missing ${missing.join(',')}` : '') +
            (unknown.length ? `; unknown ${unknown.join(',')}` : ''));
        }
        return header;
      },
    }) as unknown as typeof parsed;
  } catch (err) {
    if (err instanceof ReferenceFileError) throw err;
    const e = err as Error & { lines?: number };
    throw new ReferenceFileError(file, e.lines ?? 0, '(csv)', '', e.message);
  }
  return { file, rows: parsed.map((p) => ({ line: p.info.lines, fields: p.record })) };
}

/** Field access that reports the file, line, field, value and rule on failure. */
class RowReader {
  constructor(private readonly file: string, readonly row: RawRow) {}

  fail(field: string, rule: string, value = this.row.fields[field] ?? ''): never {
    throw new ReferenceFileError(this.file, this.row.line, field, value, rule);
  }
  text(field: string): string {
    const v = this.row.fields[field] ?? '';
    if (v === '') this.fail(field, 'required');
    return v;
  }
  optional(field: string): string | null {
    const v = this.row.fields[field] ?? '';
    return v === '' ? null : v;
  }
  match(field: string, re: RegExp, rule: string): string {
    const v = this.text(field);
    if (!re.test(v)) this.fail(field, rule);
    return v;
  }
  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.text(field);
    if (!allowed.includes(v as T)) this.fail(field, `must be one of ${allowed.join(', ')}`);
    return v as T;
  }
  int(field: string, min: number, max: number): number {
    const v = this.text(field);
    const n = Number(v);
    if (!/^-?\d+$/.test(v) || n < min || n > max) this.fail(field, `must be an integer from ${min} to ${max}`);
    return n;
  }
  date(field: string): string {
    const v = this.text(field);
    if (!isIsoDate(v)) this.fail(field, 'must be a date YYYY-MM-DD');
    return v;
  }
  bool(field: string): boolean {
    const v = this.text(field);
    if (v !== 'true' && v !== 'false') this.fail(field, 'must be true or false');
    return v === 'true';
  }
}

/** Reads every row of one file through `build`, rejecting a repeated key. */
function readTable<T>(dir: string, table: ReferenceTable, build: (r: RowReader) => T): { rows: T[]; readers: RowReader[] } {
  const { file, rows } = readRows(dir, table);
  const seen = new Map<string, number>();
  const out: T[] = [];
  const readers: RowReader[] = [];
  for (const raw of rows) {
    const r = new RowReader(file, raw);
    const value = build(r);
    const key = KEYS[table].map((k) => raw.fields[k]).join('|');
    const first = seen.get(key);
    if (first !== undefined) r.fail(KEYS[table].join('+'), `duplicate key, first on line ${first}`, key);
    seen.set(key, raw.line);
    out.push(value);
    readers.push(r);
  }
  return { rows: out, readers };
}

const codeName = (codeRe: RegExp, rule: string) => (r: RowReader): CodeName => ({
  code: r.match('code', codeRe, rule),
  name_zh: r.text('name_zh'),
  name_en: r.text('name_en'),
});

/** Reads and validates all reference files (no database): one typed value per table. */
export function readReference(dir: string = REFERENCE_DIR): ReferenceData {
  const regionsRead = readTable(dir, 'regions', (r): Region => ({
    code: r.match('code', /^\d{6}$/, 'must be a 6-digit GB/T 2260 code'),
    name_zh: r.text('name_zh'),
    name_en: r.text('name_en'),
    level: r.oneOf('level', ['province', 'city', 'district'] as const),
    parent_code: r.optional('parent_code'),
  }));
  const regionByCode = new Map(regionsRead.rows.map((g) => [g.code, g]));
  regionsRead.rows.forEach((g, i) => {
    const r: RowReader = regionsRead.readers[i];
    if (regionLevelOf(g.code) !== g.level) r.fail('level', `code ${g.code} has the shape of a ${regionLevelOf(g.code)} code`, g.level);
    if (g.level === 'province') {
      if (g.parent_code !== null) r.fail('parent_code', 'a province has no parent');
      return;
    }
    if (g.parent_code === null) r.fail('parent_code', `required for a ${g.level}`);
    const parent = regionByCode.get(g.parent_code);
    if (!parent) r.fail('parent_code', 'unknown region (not in regions.csv)');
    const expectedParent = g.level === 'city' ? 'province' : 'city';
    if (parent.level !== expectedParent) r.fail('parent_code', `the parent of a ${g.level} must be a ${expectedParent}`);
    const shared = g.level === 'city' ? 2 : 4;
    if (parent.code.slice(0, shared) !== g.code.slice(0, shared)) r.fail('parent_code', `must share the first ${shared} digits of ${g.code}`);
  });

  const departments = readTable(dir, 'departments', codeName(/^[A-Z][A-Z0-9_]*$/, 'must be upper-case letters, digits or _')).rows;
  const industries = readTable(dir, 'industries', codeName(/^[A-T]$/, 'must be a GB/T 4754 section letter A..T')).rows;
  const specialties = readTable(dir, 'specialties', codeName(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits or _')).rows;
  const credit_classes = readTable(dir, 'credit_classes', codeName(/^[A-D]$/, 'must be A, B, C or D')).rows;
  const outcome_codes = readTable(dir, 'outcome_codes', (r): OutcomeCode => ({
    ...codeName(/^[A-Z][A-Z_]*$/, 'must be upper-case letters or _')(r),
    is_finding: r.bool('is_finding'),
  })).rows;

  const holidays = readTable(dir, 'holidays', (r): Holiday => {
    const h: Holiday = { day: r.date('day'), kind: r.oneOf('kind', ['holiday', 'workday'] as const), name: r.text('name') };
    if (h.kind === 'workday' && !isWeekend(h.day)) r.fail('day', 'a make-up working day (调休上班) falls on a Saturday or Sunday');
    return h;
  }).rows;

  const departmentCodes = new Set(departments.map((d) => d.code));
  const specialtyCodes = new Set(specialties.map((s) => s.code));
  const items = readTable(dir, 'items', (r): Item => {
    const item: Item = {
      code: r.match('code', /^[A-Z][A-Z0-9_]*-\d{3}$/, 'must be a department code, a hyphen and 3 digits, e.g. SAMR-001'),
      version: r.int('version', 1, 1_000_000),
      department_code: r.text('department_code'),
      kind: r.oneOf('kind', ITEM_KINDS),
      name_zh: r.text('name_zh'),
      name_en: r.text('name_en'),
      legal_basis: r.match('legal_basis', /《[^》]+》/, 'must name the law or regulation in 《》'),
      object_type: r.oneOf('object_type', ITEM_OBJECT_TYPES),
      content: r.text('content'),
      method: r.oneOf('method', ITEM_METHODS),
      default_ratio_bp: r.int('default_ratio_bp', 0, RATIO_BP_MAX),
      frequency_per_year: r.int('frequency_per_year', 1, 12),
      specialty: r.text('specialty'),
      valid_from: r.date('valid_from'),
      valid_to: r.optional('valid_to'),
    };
    if (!departmentCodes.has(item.department_code)) r.fail('department_code', 'unknown department (not in departments.csv)');
    if (!item.code.startsWith(`${item.department_code}-`)) r.fail('code', `must start with its department code ${item.department_code}-`);
    if (!specialtyCodes.has(item.specialty)) r.fail('specialty', 'unknown specialty (not in specialties.csv)');
    if (item.valid_to !== null) {
      if (!isIsoDate(item.valid_to)) r.fail('valid_to', 'must be empty or a date YYYY-MM-DD');
      if (item.valid_to < item.valid_from) r.fail('valid_to', `must not be before valid_from ${item.valid_from}`);
    }
    return item;
  }).rows;

  return { regions: regionsRead.rows, departments, industries, specialties, outcome_codes, credit_classes, holidays, items };
}

const CAST = { VARCHAR: sql`VARCHAR`, INTEGER: sql`INTEGER`, BOOLEAN: sql`BOOLEAN`, DATE: sql`DATE` };

/** Multi-row INSERT of `rows` into one table; `onConflict` decides whether existing rows are refreshed or kept. */
function upsertStatement(table: ReferenceTable, rows: Record<string, string | number | boolean | null>[], onConflict: 'update' | 'keep'): Sql {
  const columns = Object.entries(COLUMNS[table]);
  const keys = KEYS[table];
  const tuples = rows.map((row) => sql`(${sql.join(columns.map(([c, type]) => sql`${row[c] ?? null}::${CAST[type]}`))})`);
  const updates = columns.filter(([c]) => !keys.includes(c)).map(([c]) => sql`${sql.id(c)} = excluded.${sql.id(c)}`);
  const action = onConflict === 'update' ? sql`DO UPDATE SET ${sql.join(updates)}` : sql`DO NOTHING`;
  return sql`INSERT INTO ${sql.id(table)} (${sql.join(columns.map(([c]) => sql.id(c)))}) VALUES ${sql.join(tuples)}
    ON CONFLICT (${sql.join(keys.map((k) => sql.id(k)))}) ${action}`;
}

async function upsert(q: Queryable, table: ReferenceTable, rows: object[], onConflict: 'update' | 'keep'): Promise<void> {
  const batch = 200;
  for (let start = 0; start < rows.length; start += batch) {
    await q.exec(upsertStatement(table, rows.slice(start, start + batch) as Record<string, string | number | boolean | null>[], onConflict));
  }
}

/**
 * Reads, validates and loads the reference files into their tables; run it inside the caller's
 * transaction. Idempotent: rows are upserted by key, and holidays no longer in the file are removed
 * (nothing references them). Other tables keep rows the file no longer lists, since entities,
 * inspectors and results may still point at them. Items are inserted only when (code, version) is
 * absent: item versions, once present (e.g. imported), are never overwritten from the file.
 */
export async function loadReference(q: Queryable, options: { dir?: string } = {}): Promise<{ table: string; rows: number }[]> {
  const data = readReference(options.dir ?? REFERENCE_DIR);
  const counts: { table: string; rows: number }[] = [];
  for (const table of REFERENCE_TABLES) {
    const rows = data[table];
    if (table === 'holidays') {
      const days = data.holidays.map((h) => sql`${h.day}::DATE`);
      await q.exec(days.length ? sql`DELETE FROM holidays WHERE day NOT IN (${sql.join(days)})` : sql`DELETE FROM holidays`);
    }
    await upsert(q, table, rows, table === 'items' ? 'keep' : 'update');
    counts.push({ table, rows: rows.length });
  }
  return counts;
}

// ---- Region codes (GB/T 2260) ----

/** The prefecture-level city of a region code: its first 4 digits and '00'. Cities map to themselves. */
export function cityOf(regionCode: string): string {
  return `${regionCode.slice(0, 4)}00`;
}

/** The level a 6-digit code has by its shape: xx0000 province, xxxx00 city, otherwise district. */
export function regionLevelOf(regionCode: string): RegionLevel {
  if (regionCode.endsWith('0000')) return 'province';
  if (regionCode.endsWith('00')) return 'city';
  return 'district';
}

/** Lookups over the region list: by code, the cities, a city's districts, and display names. */
export class RegionIndex {
  private readonly byCode: Map<string, Region>;
  private readonly districtsByCity = new Map<string, Region[]>();

  constructor(readonly regions: readonly Region[]) {
    this.byCode = new Map(regions.map((r) => [r.code, r]));
    for (const r of regions) {
      if (r.level !== 'district' || r.parent_code === null) continue;
      const list = this.districtsByCity.get(r.parent_code) ?? [];
      list.push(r);
      this.districtsByCity.set(r.parent_code, list);
    }
  }

  static async fromDb(q: Queryable): Promise<RegionIndex> {
    return new RegionIndex(await q.query<Region>(sql`SELECT code, name_zh, name_en, level, parent_code FROM regions ORDER BY code`));
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code);
  }
  has(code: string): boolean {
    return this.byCode.has(code);
  }
  cities(): Region[] {
    return this.regions.filter((r) => r.level === 'city');
  }
  /** A city's county-level divisions; empty for cities without them (Dongguan, Zhongshan). */
  districtsOf(cityCode: string): Region[] {
    return this.districtsByCity.get(cityCode) ?? [];
  }
  /** The codes an entity may carry in a city: its districts, or the city code itself when it has none. */
  placesIn(cityCode: string): string[] {
    const districts = this.districtsOf(cityCode);
    return districts.length ? districts.map((d) => d.code) : [cityCode];
  }
  /** "深圳市南山区" style name (zh) or "Nanshan District, Shenzhen" (en). */
  fullName(code: string, lang: 'zh' | 'en' = 'zh'): string | undefined {
    const r = this.byCode.get(code);
    if (!r) return undefined;
    const city = r.level === 'district' ? this.byCode.get(cityOf(code)) : undefined;
    if (!city) return lang === 'zh' ? r.name_zh : r.name_en;
    return lang === 'zh' ? `${city.name_zh}${r.name_zh}` : `${r.name_en}, ${city.name_en}`;
  }
}

// ---- Working days (public holidays and 调休) ----

function dayOfWeek(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}
function isWeekend(day: string): boolean {
  const dow = dayOfWeek(day);
  return dow === 0 || dow === 6;
}
function nextDay(day: string, delta: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

/** Mainland working days: Monday to Friday, minus public holidays, plus the weekend days made working days. */
export class WorkCalendar {
  private readonly kindByDay: Map<string, HolidayKind>;

  constructor(holidays: readonly Holiday[]) {
    this.kindByDay = new Map(holidays.map((h) => [h.day, h.kind]));
  }

  static async fromDb(q: Queryable): Promise<WorkCalendar> {
    return new WorkCalendar(await q.query<Holiday>(sql`SELECT day, kind, name FROM holidays`));
  }

  isWorkingDay(day: string): boolean {
    const kind = this.kindByDay.get(day);
    if (kind === 'holiday') return false;
    if (kind === 'workday') return true;
    return !isWeekend(day);
  }

  /** The date `workingDays` working days after `day` (before it when negative); 0 gives `day`. */
  addWorkingDays(day: string, workingDays: number): string {
    const step = workingDays < 0 ? -1 : 1;
    let left = Math.abs(workingDays);
    let current = day;
    while (left > 0) {
      current = nextDay(current, step);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  /** Working days in (from, to]: how many working days have passed from `from` to `to`. */
  workingDaysBetween(from: string, to: string): number {
    if (to <= from) return 0;
    let count = 0;
    for (let d = nextDay(from, 1); d <= to; d = nextDay(d, 1)) if (this.isWorkingDay(d)) count++;
    return count;
  }
}
