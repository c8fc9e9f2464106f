// Reference data: the committed files are complete and consistent, the loader is idempotent and
// rejects bad files with file/line/field/value, and the region and calendar lookups behave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDb } from '../testing/db.ts';
import {
  REFERENCE_DIR, RegionIndex, WorkCalendar, cityOf, loadReference, readReference, regionLevelOf, ReferenceFileError,
} from './load.ts';
import { sql } from '../db/sql.ts';

const data = readReference();
const regions = new RegionIndex(data.regions);

describe('regions.csv', () => {
  it('has Guangdong and its 21 prefecture-level cities', () => {
    expect(regions.get('440000')?.name_zh).toBe('广东省');
    const cities = regions.cities();
    expect(cities).toHaveLength(21);
    expect(cities.every((c) => c.parent_code === '440000')).toBe(true);
    expect(regions.get('440100')?.name_zh).toBe('广州市');
    expect(regions.get('445300')?.name_zh).toBe('云浮市');
  });

  it('uses unique 6-digit codes whose shape matches their level', () => {
    const codes = data.regions.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of data.regions) {
      expect(r.code).toMatch(/^\d{6}$/);
      expect(regionLevelOf(r.code)).toBe(r.level);
    }
  });

  it('puts every district under a city sharing its first 4 digits', () => {
    const districts = data.regions.filter((r) => r.level === 'district');
    expect(districts).toHaveLength(122);
    for (const d of districts) {
      const parent = regions.get(d.parent_code ?? '');
      expect(parent?.level, d.code).toBe('city');
      expect(parent?.code.slice(0, 4), d.code).toBe(d.code.slice(0, 4));
      expect(cityOf(d.code)).toBe(d.parent_code);
    }
  });

  it('has the current county-level divisions', () => {
    expect(regions.districtsOf('440300').map((d) => d.name_zh)).toEqual(
      ['罗湖区', '福田区', '南山区', '宝安区', '龙岗区', '盐田区', '龙华区', '坪山区', '光明区']);
    expect(regions.districtsOf('440100')).toHaveLength(11);
    expect(regions.get('440118')?.name_zh).toBe('增城区');
    expect(regions.get('445203')?.name_zh).toBe('揭东区');
    expect(regions.get('441403')?.name_zh).toBe('梅县区');
    expect(regions.get('441204')?.name_zh).toBe('高要区');
    expect(regions.get('441502')?.name_zh).toBe('城区');
  });

  it('gives Dongguan and Zhongshan no districts: entities there carry the city code', () => {
    expect(regions.districtsOf('441900')).toEqual([]);
    expect(regions.districtsOf('442000')).toEqual([]);
    expect(regions.placesIn('441900')).toEqual(['441900']);
    expect(regions.placesIn('440300')).toHaveLength(9);
    expect(cityOf('441900')).toBe('441900');
    expect(regions.fullName('440305')).toBe('深圳市南山区');
    expect(regions.fullName('440305', 'en')).toBe('Nanshan District, Shenzhen');
    expect(regions.fullName('442000')).toBe('中山市');
  });
});

describe('departments, codes and classes', () => {
  it('has exactly the agreed department and outcome codes', () => {
    expect(data.departments.map((d) => d.code)).toEqual([
      'SAMR', 'TAX', 'MEE', 'HEALTH', 'EMERGENCY', 'TRANSPORT', 'CULTURE', 'HRSS', 'COMMERCE', 'AGRI',
      'HOUSING', 'EDUCATION', 'PUBSEC', 'DRUG', 'NATRES', 'WATER',
    ]);
    const findings = Object.fromEntries(data.outcome_codes.map((o) => [o.code, o.is_finding]));
    expect(findings).toEqual({
      NO_PROBLEM: false, FIXED: true, PENDING: true, NOT_DISCLOSED: true, FALSE_DISCLOSURE: true,
      UNREACHABLE: true, NON_COOPERATION: true, NO_ACTIVITY: false, CLOSED: false,
    });
    expect(data.industries.map((i) => i.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(data.credit_classes.map((c) => c.code)).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('items.csv', () => {
  const departments = new Set(data.departments.map((d) => d.code));
  const specialties = new Set(data.specialties.map((s) => s.code));

  it('references known departments and specialties', () => {
    for (const item of data.items) {
      expect(departments.has(item.department_code), item.code).toBe(true);
      expect(specialties.has(item.specialty), item.code).toBe(true);
      expect(item.code.startsWith(`${item.department_code}-`)).toBe(true);
    }
  });

  it('gives every department 5 to 14 items, with both general and key items overall', () => {
    for (const dept of departments) {
      const count = data.items.filter((i) => i.department_code === dept).length;
      expect(count, dept).toBeGreaterThanOrEqual(5);
      expect(count, dept).toBeLessThanOrEqual(14);
    }
    expect(data.items.some((i) => i.kind === 'general')).toBe(true);
    expect(data.items.some((i) => i.kind === 'key')).toBe(true);
  });

  it('keeps ratios in the practice ranges: general items lighter than key items', () => {
    for (const item of data.items) {
      const [min, max] = item.kind === 'general' ? [100, 1000] : [1000, 5000];
      expect(item.default_ratio_bp, item.code).toBeGreaterThanOrEqual(min);
      expect(item.default_ratio_bp, item.code).toBeLessThanOrEqual(max);
      expect([1, 2]).toContain(item.frequency_per_year);
    }
  });
});

describe('holidays.csv', () => {
  const calendar = new WorkCalendar(data.holidays);
  const kindOf = (day: string) => data.holidays.find((h) => h.day === day)?.kind;

  it('has the published schedules for 2023 to 2026', () => {
    expect(kindOf('2024-10-01')).toBe('holiday');
    expect(kindOf('2024-09-29')).toBe('workday');
    expect(kindOf('2023-01-28')).toBe('workday');
    expect(kindOf('2025-01-28')).toBe('holiday'); // 除夕 is a public holiday from 2025
    expect(kindOf('2026-02-23')).toBe('holiday');
    expect(kindOf('2026-02-28')).toBe('workday');
    for (const year of ['2023', '2024', '2025', '2026']) {
      expect(data.holidays.filter((h) => h.day.startsWith(year) && h.kind === 'holiday').length, year).toBeGreaterThanOrEqual(26);
    }
  });

  it('counts working days across holidays and make-up days', () => {
    expect(calendar.isWorkingDay('2024-09-29')).toBe(true); // Sunday made a working day
    expect(calendar.isWorkingDay('2024-10-07')).toBe(false); // Monday inside the National Day holiday
    expect(calendar.isWorkingDay('2024-10-12')).toBe(true); // Saturday made a working day
    expect(calendar.isWorkingDay('2024-10-13')).toBe(false); // ordinary Sunday
    expect(calendar.addWorkingDays('2024-09-30', 1)).toBe('2024-10-08');
    expect(calendar.addWorkingDays('2024-10-08', -1)).toBe('2024-09-30');
    expect(calendar.addWorkingDays('2024-10-08', 0)).toBe('2024-10-08');
    expect(calendar.workingDaysBetween('2024-09-27', '2024-10-08')).toBe(3); // 09-29, 09-30, 10-08
  });
});

describe('loadReference', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
  });
  afterAll(() => t.cleanup());

  const tableCounts = async () => {
    const out: Record<string, number> = {};
    for (const table of ['regions', 'departments', 'industries', 'specialties', 'outcome_codes', 'credit_classes', 'holidays', 'items']) {
      out[table] = (await t.db.one<{ n: number }>(sql`SELECT count(*)::INTEGER AS n FROM ${sql.id(table)}`))!.n;
    }
    return out;
  };

  it('loads every file, and loading twice changes nothing', async () => {
    const first = await t.db.transaction((tx) => loadReference(tx));
    const afterFirst = await tableCounts();
    expect(Object.fromEntries(first.map((c) => [c.table, c.rows]))).toEqual(afterFirst);
    expect(afterFirst.regions).toBe(144);
    const second = await t.db.transaction((tx) => loadReference(tx));
    expect(second).toEqual(first);
    expect(await tableCounts()).toEqual(afterFirst);
    const day = await t.db.one<{ day: string; kind: string }>(sql`SELECT day, kind FROM holidays WHERE day = '2024-10-01'`);
    expect(day).toEqual({ day: '2024-10-01', kind: 'holiday' });
  });

  it('never overwrites an item version already present, but refreshes other reference rows', async () => {
    await t.db.exec(sql`UPDATE items SET name_zh = '导入的版本' WHERE code = 'SAMR-001' AND version = 1`);
    await t.db.exec(sql`UPDATE regions SET name_en = 'changed' WHERE code = '440305'`);
    await t.db.transaction((tx) => loadReference(tx));
    expect((await t.db.one<{ name_zh: string }>(sql`SELECT name_zh FROM items WHERE code = 'SAMR-001' AND version = 1`))?.name_zh).toBe('导入的版本');
    expect((await t.db.one<{ name_en: string }>(sql`SELECT name_en FROM regions WHERE code = '440305'`))?.name_en).toBe('Nanshan District');
  });
});

describe('validation', () => {
  let dir: string;
  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'fairdraw-ref-')), 'reference');
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  /** A copy of the real files with one line of one file replaced. */
  function withLine(file: string, match: string, replacement: string): string {
    rmSync(dir, { recursive: true, force: true });
    cpSync(REFERENCE_DIR, dir, { recursive: true });
    const text = readFileSync(join(REFERENCE_DIR, file), 'utf8');
    expect(text).toContain(match);
    writeFileSync(join(dir, file), text.replace(match, replacement));
    return dir;
  }
  const errorOf = (d: string): ReferenceFileError => {
    try {
      readReference(d);
    } catch (err) {
      return err as ReferenceFileError;
    }
    throw new Error('expected a ReferenceFileError');
  };
  const lineOf = (file: string, match: string) =>
    readFileSync(join(REFERENCE_DIR, file), 'utf8').split('\n').findIndex((l) => l.includes(match)) + 1;

  it('names file, line, field and value for an unknown department in items', () => {
    const e = errorOf(withLine('items.csv', 'SAMR-002,1,SAMR,', 'SAMR-002,1,FOO,'));
    expect(e).toBeInstanceOf(ReferenceFileError);
    expect(e.file).toBe('reference/items.csv');
    expect(e.line).toBe(lineOf('items.csv', 'SAMR-002,1,SAMR,'));
    expect(e.field).toBe('department_code');
    expect(e.value).toBe('FOO');
    expect(e.message).toContain('unknown department');
  });

  it('rejects an unknown specialty in items', () => {
    const e = errorOf(withLine('items.csv', ',registration,2023-01-01', ',astrology,2023-01-01'));
    expect([e.field, e.value]).toEqual(['specialty', 'astrology']);
  });

  it('rejects a district whose parent is unknown or another city', () => {
    let e = errorOf(withLine('regions.csv', '440305,南山区,Nanshan District,district,440300', '440305,南山区,Nanshan District,district,449900'));
    expect([e.field, e.value, e.line]).toEqual(['parent_code', '449900', lineOf('regions.csv', '440305,')]);
    e = errorOf(withLine('regions.csv', '440305,南山区,Nanshan District,district,440300', '440305,南山区,Nanshan District,district,440100'));
    expect(e.rule).toContain('first 4 digits');
  });

  it('rejects a duplicate key, a bad header and a make-up working day on a weekday', () => {
    let e = errorOf(withLine('departments.csv', 'TAX,税务局', 'SAMR,税务局'));
    expect(e.rule).toContain('duplicate key');
    e = errorOf(withLine('industries.csv', 'code,name_zh,name_en', 'code,name_zh,english'));
    expect([e.line, e.field]).toEqual([1, '(header)']);
    e = errorOf(withLine('holidays.csv', '2024-09-29,workday', '2024-09-30,workday'));
    expect(e.rule).toContain('Saturday or Sunday');
  });
});
