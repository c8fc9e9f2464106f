// How much an import file may hold, checked before its content is parsed or kept (docs/formats.md, "Limits"):
// the longest cell per column (formats.ts), the longest CSV record, each .xlsx part's unpacked size and its
// compression ratio, and the HTTP upload size.
import yauzl from 'yauzl';
import { ImportFileError } from './errors.ts';

/** A CSV record (one row, every cell) longer than this is refused while parsing, before it is held as cells. */
export const MAX_RECORD_CHARS = 64 * 1024;

/** Unpacked sizes of an .xlsx's parts: worksheets stream, the shared strings are held in memory, the rest is small. */
export const XLSX_LIMITS = {
  worksheetBytes: 1024 ** 3,
  sharedStringsBytes: 128 * 1024 ** 2,
  otherPartBytes: 16 * 1024 ** 2,
  /** Unpacked : packed. XML of real workbooks packs 5-20 : 1; a zip bomb packs 1000 : 1 and more. */
  maxRatio: 100,
  /** Parts below this size are not held to the ratio (tiny repetitive XML packs very well). */
  ratioFromBytes: 1024 ** 2,
};

/**
 * One HTTP upload: the largest .xlsx sheet part unpacked, which is also about 9 M entity rows as CSV. Larger files are
 * imported with `fairdraw import` on the server.
 */
export const IMPORT_MAX_BYTES = XLSX_LIMITS.worksheetBytes;

const partLimit = (name: string) =>
  /^xl\/worksheets\/[^/]+\.xml$/i.test(name) ? XLSX_LIMITS.worksheetBytes : /^xl\/sharedStrings\.xml$/i.test(name) ? XLSX_LIMITS.sharedStringsBytes : XLSX_LIMITS.otherPartBytes;

const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

/**
 * Checks every part of an .xlsx (a zip) before the workbook is parsed: its declared unpacked size against the part's
 * limit and its compression ratio, then unpacks it counting bytes (yauzl stops a part that unpacks to more than it
 * declares), so a zip bomb is refused after reading at most the limit, never after unpacking it whole.
 */
export async function checkXlsxParts(file: string): Promise<void> {
  const refuse = (en: string, zh: string) => new ImportFileError(file, `not a safe .xlsx workbook: ${en}`, `不是可安全读取的 .xlsx 工作簿：${zh}`);
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z!))));
  } catch (err) {
    throw new ImportFileError(file, `cannot read the file as an Excel workbook (.xlsx): ${(err as Error).message}`, `无法按 Excel 工作簿（.xlsx）读取：${(err as Error).message}`);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const limit = partLimit(name);
        if (entry.uncompressedSize > limit) return reject(refuse(`part ${name} unpacks to ${mib(entry.uncompressedSize)}, more than ${mib(limit)}`, `部件 ${name} 解压后 ${mib(entry.uncompressedSize)}，超过 ${mib(limit)}`));
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize >= XLSX_LIMITS.ratioFromBytes && ratio > XLSX_LIMITS.maxRatio)
          return reject(refuse(`part ${name} is packed ${Math.round(ratio)} : 1, more than ${XLSX_LIMITS.maxRatio} : 1 (a zip bomb)`, `部件 ${name} 压缩比 ${Math.round(ratio)} : 1，超过 ${XLSX_LIMITS.maxRatio} : 1（疑似压缩炸弹）`));
        if (name.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          let unpacked = 0;
          stream.on('data', (chunk: Buffer) => {
            unpacked += chunk.length;
            if (unpacked > limit) stream.destroy(refuse(`part ${name} unpacks to more than ${mib(limit)}`, `部件 ${name} 解压后超过 ${mib(limit)}`));
          });
          stream.on('error', reject);
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(file, `cannot read the file as an Excel workbook (.xlsx): ${(err as Error).message}`, `无法按 Excel 工作簿（.xlsx）读取：${(err as Error).message}`);
  } finally {
    zip.close();
  }
}
