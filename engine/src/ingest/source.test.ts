// Row sources: line numbers a user can find, encodings, Excel cell types, and clear errors for unusable files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { DATA_DIR } from '../kernel/config.ts';
import { openSource, excelCellText, detectEncoding, type RowSource } from './source.ts';
import { LOST_DIGITS_MARK } from './validate.ts';

const FIXTURES = resolve(DATA_DIR, 'fixtures/import');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fairdraw-source-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Small files fail while the header is read: the first batch holds the whole file. */
const openAndRead = async (path: string) => readAll(await openSource(path));

async function readAll(source: RowSource): Promise<Array<[number, string[]]>> {
  const out: Array<[number, string[]]> = [];
  for await (const batch of source.rows()) batch.rows.forEach((row, i) => out.push([batch.lines[i], row]));
  return out;
}

describe('CSV', () => {
  it('numbers rows by the line they start on, across quoted line breaks, CRLF and blank lines', async () => {
    const path = write('lines.csv', '\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n,\r\n3,"p\r\nq\r\nr"\r\n4,w\r\n');
    const source = await openSource(path, { batchRows: 2 });
    expect(source.header).toEqual(['a', 'b']);
    expect(source.headerLine).toBe(1);
    expect(source.encoding).toBe('utf8');
    expect(await readAll(source)).toEqual([
      [2, ['1', 'x\r\ny']],
      [5, ['2', 'z']],
      [7, ['3', 'p\r\nq\r\nr']],
      [10, ['4', 'w']],
    ]);
  });

  it('detects GBK (read as GB18030) and decodes Chinese text', async () => {
    expect(await detectEncoding(resolve(FIXTURES, 'entities-gbk.csv'))).toBe('gb18030');
    const source = await openSource(resolve(FIXTURES, 'entities-gbk.csv'));
    expect(source.encoding).toBe('gb18030');
    expect(source.header[0]).toBe('统一社会信用代码');
    const rows = await readAll(source);
    expect(rows[0]).toEqual([2, ['91440106MA59X3K26T', '广州天河明珠餐饮管理有限公司', '企业', '陈志明', '440106', 'H', '2016-03-18', '存续', 'HEALTH;SAMR']]);
  });

  it('takes a given encoding, and says so when UTF-8 was wrong past the detection window', async () => {
    const gbk = resolve(FIXTURES, 'entities-gbk.csv');
    const explicit = await openSource(gbk, { encoding: 'gbk' });
    expect(explicit.header[1]).toBe('企业名称');
    const text = `a,b\n${'1,x\n'.repeat(20000)}2,${'\u4e2d'}\n`;
    const mixed = write('mixed.csv', Buffer.concat([Buffer.from(text.slice(0, -3), 'utf8'), iconv.encode('中\n', 'gbk')]));
    await expect(openAndRead(mixed)).rejects.toThrow(
      `${mixed}: 文件中有不符合 UTF-8 的字节；如为 GBK/GB18030 编码，请加参数 --encoding gb18030 / the file is not valid UTF-8 throughout; if it is GBK/GB18030 pass --encoding gb18030`,
    );
  });

  it('refuses UTF-16 text with what to do instead', async () => {
    const path = write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]));
    await expect(openSource(path)).rejects.toThrow(`${path}: 文件为 UTF-16 编码，请另存为“CSV UTF-8（逗号分隔）” / the file is UTF-16 text; save it as CSV UTF-8 (comma separated)`);
  });

  it('reports a CSV syntax error with its line', async () => {
    const path = write('quote.csv', 'a,b\n1,2\n3,"unclosed\n');
    await expect(openAndRead(path)).rejects.toThrow(/quote\.csv: 第3行：CSV 格式错误（CSV_QUOTE_NOT_CLOSED） \/ line 3: CSV syntax error: Quote Not Closed/);
  });

  it('computes the SHA-256 of the bytes read', async () => {
    const path = write('hash.csv', 'a\n1\n');
    const source = await openSource(path);
    await readAll(source);
    const expected = createHash('sha256').update('a\n1\n').digest('hex');
    expect(await source.sha256()).toBe(expected);
    expect(await source.sha256()).toBe(expected);
  });
});

describe('unusable files', () => {
  it('empty, blank-only, missing, a directory, or an unsupported type', async () => {
    const empty = write('empty.csv', '');
    await expect(openSource(empty)).rejects.toThrow(`${empty}: 文件为空（没有表头行） / the file is empty (no header row)`);
    const blank = write('blank.csv', '\uFEFF\n , \n\n');
    await expect(openSource(blank)).rejects.toThrow(`${blank}: 文件为空（没有表头行） / the file is empty (no header row)`);
    await expect(openSource(join(dir, 'nope.csv'))).rejects.toThrow(`${join(dir, 'nope.csv')}: 无法读取文件：文件不存在 / cannot read the file: it does not exist`);
    const folder = join(dir, 'folder.csv');
    (await import('node:fs')).mkdirSync(folder);
    await expect(openSource(folder)).rejects.toThrow(`${folder}: 是目录而不是文件 / is a directory, not a file`);
    await expect(openSource(write('a.json', '{}'))).rejects.toThrow("不支持的文件类型“.json”，应为 .csv、.xlsx 或 .parquet / unsupported file type '.json'; expected .csv, .xlsx or .parquet");
    await expect(openSource(write('a.xls', 'x'))).rejects.toThrow('the old Excel format .xls is not supported; save the workbook as .xlsx or CSV');
    await expect(openSource(write('broken.xlsx', 'not a zip'))).rejects.toThrow(/broken\.xlsx: 无法按 Excel 工作簿（\.xlsx）读取/);
  });
});

describe('XLSX', () => {
  it('turns cell values into the text a CSV would hold', () => {
    expect(excelCellText(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(excelCellText(new Date(Date.UTC(2024, 1, 29, 9, 15, 41, 999)))).toBe('2024-02-29 09:15:42');
    expect(excelCellText(440106)).toBe('440106');
    expect(excelCellText(0.1 + 0.2)).toBe('0.3');
    expect(excelCellText(914401061234567890)).toBe(`${LOST_DIGITS_MARK}914401061234568000`);
    expect(excelCellText(true)).toBe('true');
    expect(excelCellText({ richText: [{ text: '广州' }, { text: '公司' }] })).toBe('广州公司');
    expect(excelCellText({ formula: 'A1*2', result: 12 })).toBe('12');
    expect(excelCellText({ text: 'link', hyperlink: 'http://x' })).toBe('link');
    expect(excelCellText(null)).toBe('');
  });

  it('reads the first worksheet with Excel row numbers, skipping blank rows', async () => {
    const source = await openSource(resolve(FIXTURES, 'entities.xlsx'));
    expect(source.format).toBe('xlsx');
    expect(source.header[0]).toBe('uscc');
    const rows = await readAll(source);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual([2, ['91440106MA59X3K26T', '广州天河明珠餐饮管理有限公司', 'enterprise', '陈志明', '440106', 'H', '2016-03-18', 'active', 'SAMR;HEALTH']]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('one');
    sheet.getCell('A3').value = 'code';
    sheet.getCell('B3').value = 'when';
    sheet.getCell('A6').value = 'x';
    sheet.getCell('B6').value = new Date(Date.UTC(2024, 0, 5));
    workbook.addWorksheet('two').getCell('A1').value = 'ignored';
    const path = join(dir, 'sparse.xlsx');
    await workbook.xlsx.writeFile(path);
    const sparse = await openSource(path);
    expect(sparse.headerLine).toBe(3);
    expect(await readAll(sparse)).toEqual([[6, ['x', '2024-01-05']]]);
  });
});
