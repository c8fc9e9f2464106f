import { describe, it, expect, afterEach, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { downloadCsv, downloadXlsx, formatCell, toCsv, type Column, type ExportColumn } from './export';

const columns: ExportColumn[] = [
  { key: 'name', label: '名称, name' },
  { key: 'findings', label: 'findings' },
  { key: 'count', label: 'count', numeric: true },
];

/** What a download hands the browser: each file's blob, and the link that names and clicks it. */
function captureDownloads() {
  const files: Array<{ blob: Blob }> = [];
  const link = { href: '', download: '', click: vi.fn(), remove: vi.fn() };
  vi.stubGlobal('document', { createElement: () => link, body: { append: vi.fn() } });
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    files.push({ blob: blob as Blob });
    return 'blob:fairdraw';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  return { files, link };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('CSV', () => {
  it('opens with a BOM, ends lines with CRLF and quotes what RFC 4180 asks', () => {
    const csv = toCsv(columns, [{ name: '广州"老字号", 餐饮', findings: 'line 1\nline 2', count: 3 }]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual(['"名称, name",findings,count', '"广州""老字号"", 餐饮","line 1\nline 2",3', '']);
  });

  it('never lets a spreadsheet run a cell as a formula, but leaves numbers alone', () => {
    const csv = toCsv(columns, [
      { name: '=HYPERLINK("http://x")', findings: '+1 call', count: -5 },
      { name: '@SUM(A1)', findings: '-not a number', count: 0 },
    ]);
    expect(csv.slice(1).split('\r\n').slice(1, 3)).toEqual(['"\'=HYPERLINK(""http://x"")",\'+1 call,-5', "'@SUM(A1),'-not a number,0"]);
  });

  it('neutralises a leading tab or carriage return too, which spreadsheets drop before reading a formula', () => {
    const csv = toCsv(columns, [{ name: '\t=1+1', findings: '\r=2+2', count: 1 }]);
    expect(csv.slice(1).split('\r\n')[1]).toBe(`'\t=1+1,"'\r=2+2",1`);
  });

  it('writes empty values as empty cells, dates as ISO times and objects as JSON', () => {
    const csv = toCsv(
      [
        { key: 'a', label: 'a' },
        { key: 'b', label: 'b' },
        { key: 'c', label: 'c' },
      ],
      [{ a: null, b: new Date('2026-03-02T01:02:03Z'), c: { tier: 'D' } }],
    );
    expect(csv.slice(1).split('\r\n')[1]).toBe(',2026-03-02T01:02:03.000Z,"{""tier"":""D""}"');
  });

  it('downloads as name.csv', async () => {
    const { files, link } = captureDownloads();
    downloadCsv('tasks', columns, [{ name: 'a', findings: null, count: 1 }]);
    expect(link.download).toBe('tasks.csv');
    expect(link.click).toHaveBeenCalled();
    expect(files[0].blob.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await files[0].blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFF"名称, name",findings,count\r\na,,1\r\n');
  });
});

describe('Excel', () => {
  it('keeps numbers as numbers and everything else as text, formulas included', async () => {
    const { files, link } = captureDownloads();
    await downloadXlsx('results', columns, [{ name: '=1+1', findings: null, count: 12 }]);
    expect(link.download).toBe('results.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await files[0].blob.arrayBuffer());
    const sheet = workbook.getWorksheet('results')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '名称, name', 'findings', 'count']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const row = sheet.getRow(2);
    expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(1).value).toBe('=1+1');
    expect(row.getCell(2).value).toBe('');
    expect(row.getCell(3).value).toBe(12);
  });
});

describe('formatCell', () => {
  interface Row {
    tier: string | null;
    share: number;
  }
  it("uses the column's format, else the value, else a dash", () => {
    const plain: Column<Row> = { key: 'tier', label: 'tier' };
    const percent: Column<Row> = { key: 'share', label: 'share', format: (v, row) => `${v * 100}% (${row.tier ?? '?'})` };
    expect(formatCell({ tier: 'D', share: 0.07 }, plain)).toBe('D');
    expect(formatCell({ tier: null, share: 0.07 }, plain)).toBe('—');
    expect(formatCell({ tier: null, share: 0.5 }, percent)).toBe('50% (?)');
  });
});
