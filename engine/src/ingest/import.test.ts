// Importing files end to end against a real DuckDB: idempotent upserts, all-or-nothing, every format and
// encoding, and the exact problem or error for each kind of bad input.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { DATA_DIR } from '../kernel/config.ts';
import { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import { tempDb } from '../testing/db.ts';
import { loadReference } from '../reference/load.ts';
import { verifyAudit } from '../audit/chain.ts';
import { makeUscc } from '../reference/uscc.ts';
import { importFile, REJECTED_LIST_CAP, type ImportReport } from './import.ts';

const FIXTURES = resolve(DATA_DIR, 'fixtures/import');
const fixture = (name: string) => resolve(FIXTURES, name);
const ENTITIES_CSV = readFileSync(fixture('entities.csv'), 'utf8');

/** Every table an import writes, plus the audit log, as comparable JSON. */
const TABLES = {
  objects: sql`SELECT * FROM objects ORDER BY id`,
  inspectors: sql`SELECT * FROM inspectors ORDER BY id`,
  conflicts: sql`SELECT * FROM conflicts ORDER BY inspector_id, object_id`,
  credit_records: sql`SELECT * FROM credit_records ORDER BY record_id`,
  complaints: sql`SELECT * FROM complaints ORDER BY complaint_id`,
  inspection_results: sql`SELECT * FROM inspection_results ORDER BY result_id`,
  items: sql`SELECT * FROM items ORDER BY code, version`,
  audit_log: sql`SELECT * FROM audit_log ORDER BY seq`,
};
async function snapshot(db: Db, tables: Array<keyof typeof TABLES> = Object.keys(TABLES) as Array<keyof typeof TABLES>) {
  const out: Record<string, unknown> = {};
  for (const table of tables) out[table] = JSON.parse(JSON.stringify(await db.query(TABLES[table])));
  return out;
}
const DATA_TABLES = (Object.keys(TABLES) as Array<keyof typeof TABLES>).filter((t) => t !== 'audit_log');

const counts = (r: ImportReport) => ({ accepted: r.accepted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejectedRows, written: r.written });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairdraw-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
/** entities.csv with line `line` (1 = header) replaced through `edit`. */
function entitiesWith(name: string, edits: Record<number, (line: string) => string>): string {
  const lines = ENTITIES_CSV.split('\n');
  for (const [line, edit] of Object.entries(edits)) lines[Number(line) - 1] = edit(lines[Number(line) - 1]);
  return write(name, lines.join('\n'));
}

describe('importFile', () => {
  // One migrated database with the reference data, copied for each test (loading it each time is slow).
  let template: Awaited<ReturnType<typeof tempDb>>;
  let db: Db;
  let copies = 0;
  beforeAll(async () => {
    template = await tempDb();
    await template.db.transaction((tx) => loadReference(tx));
    template.db.close();
  });
  afterAll(() => template.cleanup());
  beforeEach(async () => {
    const path = join(dir, `test-${++copies}.duckdb`);
    copyFileSync(template.path, path);
    db = await Db.open({ path, memoryLimit: '1GB', threads: 1 });
  });
  afterEach(() => db.close());

  const run = (kind: string, file: string, extra: { skipInvalid?: boolean; encoding?: 'utf8' | 'gbk' | 'gb18030' } = {}) => importFile(db, { kind, file, ...extra });
  const importAll = async () => {
    const reports: Record<string, ReturnType<typeof counts>> = {};
    for (const kind of ['items', 'entities', 'inspectors', 'credit', 'complaints', 'results']) reports[kind] = counts(await run(kind, fixture(`${kind}.csv`)));
    return reports;
  };

  it('imports every kind; imported again, every row is unchanged and every table identical', async () => {
    expect(await importAll()).toEqual({
      items: { accepted: 3, updated: 0, unchanged: 0, rejected: 0, written: true },
      entities: { accepted: 8, updated: 0, unchanged: 0, rejected: 0, written: true },
      inspectors: { accepted: 4, updated: 0, unchanged: 0, rejected: 0, written: true },
      credit: { accepted: 4, updated: 0, unchanged: 0, rejected: 0, written: true },
      complaints: { accepted: 3, updated: 0, unchanged: 0, rejected: 0, written: true },
      results: { accepted: 3, updated: 0, unchanged: 0, rejected: 0, written: true },
    });
    const before = await snapshot(db, DATA_TABLES);
    expect(await importAll()).toEqual({
      items: { accepted: 0, updated: 0, unchanged: 3, rejected: 0, written: true },
      entities: { accepted: 0, updated: 0, unchanged: 8, rejected: 0, written: true },
      inspectors: { accepted: 0, updated: 0, unchanged: 4, rejected: 0, written: true },
      credit: { accepted: 0, updated: 0, unchanged: 4, rejected: 0, written: true },
      complaints: { accepted: 0, updated: 0, unchanged: 3, rejected: 0, written: true },
      results: { accepted: 0, updated: 0, unchanged: 3, rejected: 0, written: true },
    });
    expect(await snapshot(db, DATA_TABLES)).toEqual(before);
    // One audit entry per import, chained.
    expect(await verifyAudit(db)).toEqual({ ok: true, entries: 12 });
    const last = await db.one<{ actor: string; action: string; subject: string; payload: string }>(sql`SELECT actor, action, subject, payload::VARCHAR AS payload FROM audit_log ORDER BY seq DESC LIMIT 1`);
    expect(last).toMatchObject({ actor: 'cli', action: 'import', subject: 'results' });
    expect(JSON.parse(last!.payload)).toEqual({
      kind: 'results',
      file: 'results.csv',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      counts: { rows: 3, accepted: 0, updated: 0, unchanged: 3, rejected: 0 },
    });
  });

  it('stores the values the file means', async () => {
    await importAll();
    expect(await db.query(sql`SELECT * FROM objects WHERE id IN ('91440303MA5G0Q9C7P', '91440112MA9UH2D44D') ORDER BY id`)).toEqual([
      {
        id: '91440112MA9UH2D44D', object_kind: 'entity', name: '广州黄埔智造科技有限公司', entity_type: 'enterprise', legal_representative: null,
        region_code: '440112', industry_code: 'I', established_on: '2023-02-28', status: 'active', responsible_departments: ['HRSS', 'SAMR', 'TAX'],
        updated_at: expect.any(Date),
      },
      {
        id: '91440303MA5G0Q9C7P', object_kind: 'entity', name: '深圳罗湖"金桥"珠宝有限公司', entity_type: 'enterprise', legal_representative: '郑伟',
        region_code: '440303', industry_code: 'F', established_on: '2018-09-30', status: 'active', responsible_departments: ['SAMR', 'TAX'],
        updated_at: expect.any(Date),
      },
    ]);
    expect(await db.query(sql`SELECT * FROM inspectors WHERE id = 'EXP-0004'`)).toEqual([
      {
        id: 'EXP-0004', name: '刘明', department_code: 'SAMR', region_code: '440100', kind: 'expert', qualifications: [], specialties: ['food_safety'],
        certificate_no: null, certificate_valid_from: null, certificate_valid_to: null, active: true, updated_at: expect.any(Date),
      },
    ]);
    expect(await db.query(sql`SELECT * FROM conflicts ORDER BY inspector_id`)).toEqual([
      { inspector_id: 'GZ-SAMR-0001', object_id: '91440106MA59X3K26T', declared_by: 'inspector' },
      { inspector_id: 'GZ-SAMR-0002', object_id: '91440112MA9UH2D44D', declared_by: 'object' },
    ]);
    expect(await db.query(sql`SELECT record_type, amount_yuan FROM credit_records WHERE record_id = '穗天市监罚〔2024〕118号'`)).toEqual([{ record_type: 'penalty', amount_yuan: 12000.5 }]);
    expect(await db.query(sql`SELECT received_at, category, substantiated FROM complaints ORDER BY complaint_id`)).toEqual([
      { received_at: new Date('2024-03-11T09:15:42+08:00'), category: 'complaint', substantiated: true },
      { received_at: new Date('2024-04-02T14:03:00+08:00'), category: 'consultation', substantiated: null },
      { received_at: new Date('2024-06-17T20:41:00+08:00'), category: 'report', substantiated: false },
    ]);
    expect(await db.query(sql`SELECT outcome_code, inspector_ids, task_ref, source FROM inspection_results WHERE result_id = 'R-2024-000002'`)).toEqual([
      { outcome_code: 'NO_PROBLEM', inspector_ids: ['GZ-SAMR-0002'], task_ref: null, source: 'import' },
    ]);
    expect(await db.query(sql`SELECT code, version, kind, method, valid_to FROM items WHERE code IN ('SAMR-901', 'HEALTH-901') ORDER BY code, version`)).toEqual([
      { code: 'HEALTH-901', version: 1, kind: 'key', method: 'onsite', valid_to: null },
      { code: 'SAMR-901', version: 1, kind: 'general', method: 'documents', valid_to: '2024-12-31' },
      { code: 'SAMR-901', version: 2, kind: 'general', method: 'onsite', valid_to: null },
    ]);
  });

  it('updates only the rows that changed, touching only their updated_at, and replaces an inspector’s conflicts', async () => {
    await run('entities', fixture('entities.csv'));
    await run('inspectors', fixture('inspectors.csv'));
    const before = await db.query<{ id: string; updated_at: Date }>(sql`SELECT id, updated_at FROM objects ORDER BY id`);
    const changed = entitiesWith('changed.csv', { 3: (l) => l.replace('李记便利店', '李记便利店（新址）') });
    const added = makeUscc('9', '1', '440103', 'MA5D0QNB');
    writeFileSync(changed, `${readFileSync(changed, 'utf8')}${added},新公司,enterprise,,440103,F,2024-01-02,active,SAMR\n`);
    const report = await run('entities', changed);
    expect(report.rejected).toEqual([]);
    expect(counts(report)).toEqual({ accepted: 1, updated: 1, unchanged: 7, rejected: 0, written: true });
    const after = await db.query<{ id: string; updated_at: Date }>(sql`SELECT id, updated_at FROM objects ORDER BY id`);
    const touched = after.filter((a) => before.find((b) => b.id === a.id)?.updated_at.getTime() !== a.updated_at.getTime()).map((a) => a.id);
    expect(touched.sort()).toEqual([added, '92440305L092045717'].sort());
    expect(await db.one(sql`SELECT name FROM objects WHERE id = '92440305L092045717'`)).toEqual({ name: '深圳市南山区李记便利店（新址）' });

    const inspectors = readFileSync(fixture('inspectors.csv'), 'utf8').replace(
      'true,91440106MA59X3K26T,',
      'true,91440604MA4W8R1E1M;91440303MA5G0Q9C7P,92440113L335198210',
    );
    expect(counts(await run('inspectors', write('inspectors.csv', inspectors)))).toEqual({ accepted: 0, updated: 1, unchanged: 3, rejected: 0, written: true });
    expect(await db.query(sql`SELECT object_id, declared_by FROM conflicts WHERE inspector_id = 'GZ-SAMR-0001' ORDER BY object_id`)).toEqual([
      { object_id: '91440303MA5G0Q9C7P', declared_by: 'inspector' },
      { object_id: '91440604MA4W8R1E1M', declared_by: 'inspector' },
      { object_id: '92440113L335198210', declared_by: 'object' },
    ]);
  });

  it('all or nothing: one bad row in the middle leaves every table as it was, the audit log included', async () => {
    await run('entities', fixture('entities.csv'));
    const before = await snapshot(db);
    const file = entitiesWith('middle.csv', {
      2: (l) => l.replace('陈志明', '陈志强'), // a change that must not be written
      5: (l) => l.replace('2011-05-27', '2024-02-30'),
      9: (l) => l.replace('广州黄埔', '广州市黄埔'),
    });
    const report = await run('entities', file);
    expect(counts(report)).toEqual({ accepted: 0, updated: 0, unchanged: 0, rejected: 1, written: false });
    expect(report.rejected).toEqual([
      { line: 5, field: 'established_on', value: '2024-02-30', reason: 'not a calendar date: February 2024 has 29 days', reasonZh: '日期不存在：2024年2月只有29天' },
    ]);
    expect(await snapshot(db)).toEqual(before);
  });

  it('--skip-invalid imports the valid rows and still reports the rejected ones', async () => {
    const file = entitiesWith('skip.csv', {
      3: (l) => l.replace('92440305L092045717', '92440305L092045718'),
      7: (l) => l.replace(',440303,', ',440399,'),
    });
    const report = await run('entities', file, { skipInvalid: true });
    expect(counts(report)).toEqual({ accepted: 6, updated: 0, unchanged: 0, rejected: 2, written: true });
    expect(report.rejected.map((p) => `${p.line} ${p.field} ${p.value}: ${p.reason}`)).toEqual([
      '3 uscc 92440305L092045718: check digit: expected 7, found 8',
      '7 region_code 440399: unknown region code (not in the regions table, GB/T 2260)',
    ]);
    expect(await db.one(sql`SELECT count(*) AS n FROM objects`)).toEqual({ n: 6 });
    const audit = await db.one<{ payload: string }>(sql`SELECT payload::VARCHAR AS payload FROM audit_log`);
    expect(JSON.parse(audit!.payload).counts).toEqual({ rows: 8, accepted: 6, updated: 0, unchanged: 0, rejected: 2 });
  });

  it('Chinese headers, Chinese values and English headers give the same rows', async () => {
    expect(counts(await run('entities', fixture('entities-zh.csv')))).toEqual({ accepted: 8, updated: 0, unchanged: 0, rejected: 0, written: true });
    expect(counts(await run('entities', fixture('entities.csv')))).toEqual({ accepted: 0, updated: 0, unchanged: 8, rejected: 0, written: true });
  });

  it('imports a GBK-encoded CSV with correct Chinese text, detected or given', async () => {
    const report = await run('entities', fixture('entities-gbk.csv'));
    expect(report.encoding).toBe('gb18030');
    expect(counts(report)).toEqual({ accepted: 8, updated: 0, unchanged: 0, rejected: 0, written: true });
    expect(await db.query(sql`SELECT name, legal_representative FROM objects WHERE id IN ('91440604MA4W8R1E1M', '91440106MA59X3K26T') ORDER BY id DESC`)).toEqual([
      { name: '佛山市禅城区华光陶瓷制品有限公司（二厂）', legal_representative: '何国华' },
      { name: '广州天河明珠餐饮管理有限公司', legal_representative: '陈志明' },
    ]);
    expect(counts(await run('entities', fixture('entities-gbk.csv'), { encoding: 'gbk' }))).toMatchObject({ unchanged: 8 });
    expect(counts(await run('entities', fixture('entities.csv')))).toMatchObject({ unchanged: 8 });
  });

  it('imports .xlsx (first worksheet) with Excel row numbers in problems', async () => {
    expect(counts(await run('entities', fixture('entities.xlsx')))).toEqual({ accepted: 8, updated: 0, unchanged: 0, rejected: 0, written: true });
    expect(counts(await run('entities', fixture('entities.csv')))).toMatchObject({ unchanged: 8 });

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名录');
    const [header, ...rows] = ENTITIES_CSV.trim().split('\n').map((l) => l.split(','));
    sheet.addRow(header.map((h, i) => (i === 0 ? '统一社会信用代码' : h)));
    sheet.addRow([]);
    for (const row of rows.slice(0, 2)) sheet.addRow(row);
    sheet.getCell('G4').value = '2023-02-29';
    const path = join(dir, 'bad.xlsx');
    await workbook.xlsx.writeFile(path);
    const report = await run('entities', path);
    expect(report.rejected).toEqual([
      { line: 4, field: 'established_on', value: '2023-02-29', reason: 'not a calendar date: February 2023 has 28 days', reasonZh: '日期不存在：2023年2月只有28天' },
    ]);
  });

  it('imports Parquet, with typed and list columns', async () => {
    const parquet = join(dir, 'entities.parquet');
    await db.exec(sql`COPY (SELECT uscc, name, entity_type, legal_representative, CAST(region_code AS INTEGER) AS region_code, industry_code,
                           CAST(established_on AS DATE) AS established_on, status, string_split(responsible_departments, ';') AS responsible_departments
                    FROM read_csv(${fixture('entities.csv')}, all_varchar = true)) TO ${parquet} (FORMAT parquet)`);
    const report = await run('entities', parquet);
    expect(report.format).toBe('parquet');
    expect(counts(report)).toEqual({ accepted: 8, updated: 0, unchanged: 0, rejected: 0, written: true });
    expect(counts(await run('entities', fixture('entities.csv')))).toMatchObject({ unchanged: 8 });

    // A control character in a cell is found on the right row and field.
    const control = join(dir, 'control.parquet');
    await db.exec(sql`COPY (SELECT * REPLACE (CASE WHEN uscc = '91440604MA4W8R1E1M' THEN '何' || chr(1) || '华' ELSE legal_representative END AS legal_representative)
                    FROM read_csv(${fixture('entities.csv')}, all_varchar = true)) TO ${control} (FORMAT parquet)`);
    expect((await run('entities', control)).rejected.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual([
      '4 legal_representative: contains the control character U+0001; remove it',
    ]);
  });

  it('rejects control characters in text', async () => {
    const report = await run('entities', entitiesWith('control.csv', { 5: (l) => l.replace('何国华', '何国\u0001华') }));
    expect(report.rejected.map((p) => `${p.line} ${p.field}: ${p.reason}`)).toEqual(['5 legal_representative: contains the control character U+0001; remove it']);
  });

  it('rejects a later row repeating a natural id, naming the line of the first', async () => {
    const file = write('dup.csv', `${ENTITIES_CSV}${ENTITIES_CSV.split('\n')[3].replace('东莞市厚街镇', '东莞市')}\n`);
    const report = await run('entities', file);
    expect(report.rejected).toEqual([
      { line: 10, field: 'uscc', value: '93441900NA0B77239H', reason: 'duplicate uscc: first on line 4', reasonZh: '统一社会信用代码重复：首次出现在第4行' },
    ]);
    const items = readFileSync(fixture('items.csv'), 'utf8');
    const itemReport = await run('items', write('items.csv', `${items}${items.split('\n')[2]}\n`));
    expect(itemReport.rejected.map((p) => [p.line, p.field, p.value, p.reason])).toEqual([[5, 'code', 'SAMR-901 / 2', 'duplicate code + version: first on line 3']]);
  });

  it('rejects a bad check digit, an unknown region and a bad date with exact reasons', async () => {
    const file = entitiesWith('three.csv', {
      2: (l) => l.replace('91440106MA59X3K26T', '91440106MA59X3K267'),
      4: (l) => l.replace(',441900,', ',441999,'),
      7: (l) => l.replace('2018-09-30', '2024-02-30'),
    });
    const report = await run('entities', file);
    expect(report.rejected).toEqual([
      { line: 2, field: 'uscc', value: '91440106MA59X3K267', reason: 'check digit: expected T, found 7', reasonZh: '校验码错误：应为T，实际为7' },
      { line: 4, field: 'region_code', value: '441999', reason: 'unknown region code (not in the regions table, GB/T 2260)', reasonZh: '未知的行政区划代码（GB/T 2260）' },
      { line: 7, field: 'established_on', value: '2024-02-30', reason: 'not a calendar date: February 2024 has 29 days', reasonZh: '日期不存在：2024年2月只有29天' },
    ]);
    expect(report.rejectedTotal).toBe(3);
    expect(await db.one(sql`SELECT count(*) AS n FROM objects`)).toEqual({ n: 0 });
  });

  it('requires the entity of a credit record, complaint or result to be in the directory', async () => {
    await run('entities', entitiesWith('seven.csv', { 2: () => '' }));
    const report = await run('credit', fixture('credit.csv'));
    expect(report.rejected.map((p) => `${p.line} ${p.field} ${p.value}: ${p.reason}`)).toEqual([
      '2 uscc 91440106MA59X3K26T: no entity with this USCC in the object directory; import the entities first',
      '3 uscc 91440106MA59X3K26T: no entity with this USCC in the object directory; import the entities first',
    ]);
    // A complaint without an entity is fine; one naming an unknown entity is not.
    const complaints = await run('complaints', fixture('complaints.csv'));
    expect(complaints.rejected.map((p) => p.line)).toEqual([2]);
  });

  it('never overwrites a result entered in Fairdraw', async () => {
    await run('entities', fixture('entities.csv'));
    await db.exec(sql`INSERT INTO inspection_results (result_id, object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, source)
                   VALUES ('R-2024-000002', '92440305L092045717', DATE '2024-06-20', 'SAMR', 'SAMR-003', 'FIXED', ['GZ-SAMR-0002'], 'entry')`);
    const report = await run('results', fixture('results.csv'));
    expect(report.rejected).toEqual([
      {
        line: 3, field: 'result_id', value: 'R-2024-000002',
        reason: 'a result with this id was entered in Fairdraw (source entry); an import may not overwrite it',
        reasonZh: '该结果编号为系统内录入的结果，导入不能覆盖',
      },
    ]);
  });

  it('caps the rejected list and counts every problem', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `X${i},名称,enterprise,,440106,H,2020-01-01,active,SAMR`);
    const report = await run('entities', write('many.csv', `${ENTITIES_CSV.split('\n')[0]}\n${rows.join('\n')}\n`));
    expect(report.rejected).toHaveLength(REJECTED_LIST_CAP);
    expect(report.rejectedTotal).toBe(1500);
    expect(report.rejectedRows).toBe(1500);
    expect(report.rejected[0]).toMatchObject({ line: 2, field: 'uscc', value: 'X0', reason: 'must be 18 characters, found 2' });
    expect(report.rejected[999].line).toBe(1001);
  });

  it('file errors: missing column, wrong kind, empty, header only, unknown kind, ambiguous columns', async () => {
    const missing = write('missing.csv', ENTITIES_CSV.split('\n').map((l) => l.split(',').slice(0, 6).join(',')).join('\n'));
    await expect(run('entities', missing)).rejects.toThrow(
      `${missing}: 缺少“市场主体名录”的必需列：成立日期（established_on）、登记状态（status）、监管部门（responsible_departments） / ` +
        'missing required columns for entities (market entities): established_on (成立日期), status (登记状态), responsible_departments (监管部门)',
    );
    await expect(run('entities', fixture('credit.csv'))).rejects.toThrow(
      `${fixture('credit.csv')}: 表头与“信用记录”（credit）相符，而不是“市场主体名录”（entities） / ` +
        `the columns fit credit (credit records), not entities (market entities); to import it run: fairdraw import credit ${fixture('credit.csv')}`,
    );
    const empty = write('empty.csv', '');
    await expect(run('entities', empty)).rejects.toThrow(`${empty}: 文件为空（没有表头行） / the file is empty (no header row)`);
    const headerOnly = write('header.csv', `${ENTITIES_CSV.split('\n')[0]}\n\n`);
    await expect(run('entities', headerOnly)).rejects.toThrow(`${headerOnly}: 文件只有表头，没有数据行 / the file has a header but no data rows`);
    await expect(run('firms', fixture('entities.csv'))).rejects.toThrow(
      `${fixture('entities.csv')}: 未知的导入类型“firms” / unknown import kind 'firms': expected one of entities, inspectors, credit, complaints, results, items`,
    );
    const twice = write('twice.csv', `名称,${ENTITIES_CSV.split('\n')[0]}\nx,${ENTITIES_CSV.split('\n')[1]}\n`);
    await expect(run('entities', twice)).rejects.toThrow(`${twice}: 第1列（名称）和第3列（name）都对应 名称（name） / columns 1 (名称) and 3 (name) both give name (名称)`);
    expect(await snapshot(db)).toEqual({ objects: [], inspectors: [], conflicts: [], credit_records: [], complaints: [], inspection_results: [], items: expect.any(Array), audit_log: [] });
  });

  it('reports ignored columns and matches headers loosely', async () => {
    const csv = ENTITIES_CSV.replace('uscc,name,entity_type', '*统一社会信用代码, Name ,Entity Type').replace('established_on', '成立日期,备注');
    const lines = csv.split('\n').map((l, i) => (i === 0 || l === '' ? l : l.replace(/,(\d{4}-\d{2}-\d{2}),/, ',$1,随便,')));
    const report = await run('entities', write('loose.csv', lines.join('\n')));
    expect(report.rejected).toEqual([]);
    expect(report.ignoredColumns).toEqual(['备注']);
    expect(report.accepted).toBe(8);
  });
});

describe('reference data', () => {
  it('refuses to import before the reference tables are loaded', async () => {
    const t = await tempDb();
    try {
      await expect(importFile(t.db, { kind: 'entities', file: fixture('entities.csv') })).rejects.toThrow(
        '参考表 regions 为空，请先加载参考数据 / reference table regions is empty: load the reference data (data/reference) before importing',
      );
    } finally {
      t.cleanup();
    }
  });
});
