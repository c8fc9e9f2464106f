// An import of a file received under a temporary path (an HTTP upload): the report and any problem with the file name
// the sender's file, not the temporary one; a report with rejected rows reads as one sentence.
import type { Db } from '../db/duckdb.ts';
import { ImportFileError } from './errors.ts';
import { importFile, type ImportOptions } from './import.ts';
import type { ImportReport } from './schemas.ts';

export async function importUpload(db: Db, options: ImportOptions & { name: string }): Promise<ImportReport> {
  const { name, ...rest } = options;
  try {
    return { ...(await importFile(db, rest)), file: name };
  } catch (err) {
    throw err instanceof ImportFileError ? err.forFile(name) : err;
  }
}

/** The first problem of a report as a sentence naming file, line, field, value and rule. */
export function firstProblemMessage(report: ImportReport): string {
  const p = report.rejected[0];
  const where = p ? `第 ${p.line} 行${p.field ? ` 字段 ${p.field}` : ''}（值 ${JSON.stringify(p.value)}）：${p.reasonZh} / line ${p.line}${p.field ? `, field ${p.field}` : ''} (value ${JSON.stringify(p.value)}): ${p.reason}` : '';
  return (
    `${report.file}: ${where}；共 ${report.rejectedRows} 行被拒绝，未写入任何数据 / ` +
    `${report.rejectedRows} row(s) rejected (${report.rejectedTotal} problem(s)); nothing was imported`
  );
}
