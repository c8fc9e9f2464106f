// Reads the reference tables the generator draws from (data/reference/*.csv): regions, departments, items,
// specialties, outcome codes and holidays. Pure parsing apart from reading the files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface RegionRow {
  code: string;
  name_zh: string;
  level: 'province' | 'city' | 'district';
  parent_code: string;
}

export interface ItemRow {
  code: string;
  version: number;
  department_code: string;
  kind: string;
  name_zh: string;
  object_type: string;
  specialty: string;
  valid_from: string;
  valid_to: string;
}

export interface Reference {
  regions: RegionRow[];
  departments: string[];
  items: ItemRow[];
  specialties: string[];
  outcomeCodes: Map<string, boolean>;
  holidays: Map<string, 'holiday' | 'workday'>;
}

function readCsv(dir: string, name: string, required: readonly string[]): Record<string, string>[] {
  const file = join(dir, name);
  if (!existsSync(file)) throw new Error(`reference file ${file} is missing (the generator reads it at run time)`);
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<string, string>[];
  const header = rows.length > 0 ? Object.keys(rows[0]) : [];
  for (const column of required) {
    if (rows.length > 0 && !header.includes(column)) throw new Error(`${file}: header lacks column '${column}' (have: ${header.join(', ')})`);
  }
  return rows;
}

export function loadReference(dir: string): Reference {
  const regions = readCsv(dir, 'regions.csv', ['code', 'name_zh', 'level', 'parent_code']).map((r, i) => {
    if (!/^\d{6}$/.test(r.code)) throw new Error(`${join(dir, 'regions.csv')} line ${i + 2}: code '${r.code}' is not 6 digits`);
    return { code: r.code, name_zh: r.name_zh, level: r.level as RegionRow['level'], parent_code: r.parent_code ?? '' };
  });
  const departments = readCsv(dir, 'departments.csv', ['code']).map((r) => r.code);
  const specialties = readCsv(dir, 'specialties.csv', ['code']).map((r) => r.code);
  const items = readCsv(dir, 'items.csv', ['code', 'version', 'department_code', 'object_type', 'specialty', 'valid_from']).map((r, i) => {
    const line = `${join(dir, 'items.csv')} line ${i + 2}`;
    if (!departments.includes(r.department_code)) throw new Error(`${line}: department_code '${r.department_code}' is not in departments.csv`);
    return {
      code: r.code,
      version: Number(r.version),
      department_code: r.department_code,
      kind: r.kind,
      name_zh: r.name_zh,
      object_type: r.object_type,
      specialty: r.specialty,
      valid_from: r.valid_from,
      valid_to: r.valid_to ?? '',
    };
  });
  const outcomeCodes = new Map(
    readCsv(dir, 'outcome_codes.csv', ['code', 'is_finding']).map((r) => [r.code, r.is_finding === 'true'] as [string, boolean]),
  );
  const holidays = new Map<string, 'holiday' | 'workday'>();
  if (existsSync(join(dir, 'holidays.csv'))) {
    for (const r of readCsv(dir, 'holidays.csv', ['day', 'kind'])) holidays.set(r.day, r.kind === 'workday' ? 'workday' : 'holiday');
  }
  return { regions, departments, items, specialties, outcomeCodes, holidays };
}
