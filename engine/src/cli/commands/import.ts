// `fairdraw import KIND FILE`: validated, idempotent import of one CSV, .xlsx or Parquet file (engine/src/ingest).
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { progress } from '../progress.ts';
import { importFile, unknownKind, REJECTED_LIST_CAP, type ImportReport } from '../../ingest/import.ts';
import { FORMATS, KINDS, isKind } from '../../ingest/formats.ts';
import { ENCODINGS, type Encoding } from '../../ingest/source.ts';
import { dbCommand } from '../options.ts';

/** Rejected rows printed in the readable report; --json lists up to REJECTED_LIST_CAP. */
const SHOWN_PROBLEMS = 30;

interface ImportFlags {
  db?: string;
  json?: boolean;
  skipInvalid?: boolean;
  encoding?: string;
}

export function importCommand(program: Command): void {
  dbCommand(program, 'import', { json: 'print the report as JSON / 以 JSON 输出报告' })
    .description('导入数据文件（校验每一行，重复导入不产生重复数据）/ import a data file, validating every row; re-importing changes nothing')
    .argument('<kind>', `what the file holds: ${KINDS.join(', ')}`)
    .argument('<file>', '.csv (UTF-8 or GBK/GB18030), .xlsx (first worksheet) or .parquet')
    .option('--skip-invalid', 'import the valid rows even when some are rejected / 跳过无效行，导入其余行')
    .option('--encoding <encoding>', `CSV encoding: ${ENCODINGS.join(', ')} (default: detected) / CSV 编码`)
    .addHelpText(
      'after',
      '\nColumns, Chinese headers and rules of each kind: docs/formats.md\n' +
        'Exit status: 0 all rows imported; 1 the file was not imported (unreadable, empty, wrong columns); 2 rows were rejected.',
    )
    .action(async (kind: string, file: string, flags: ImportFlags) => {
      if (!isKind(kind)) throw unknownKind(kind, file);
      if (flags.encoding !== undefined && !(ENCODINGS as readonly string[]).includes(flags.encoding))
        throw new Error(`未知的编码“${flags.encoding}” / unknown encoding '${flags.encoding}': expected one of ${ENCODINGS.join(', ')}`);
      const report = await withDb(flags.db, async (db) => {
        const bar = progress(`读取 reading ${kind}`, undefined, { quiet: flags.json });
        return importFile(db, {
          kind,
          file,
          skipInvalid: flags.skipInvalid,
          encoding: flags.encoding as Encoding | undefined,
          onProgress: (rows, phase) => {
            if (phase === 'read') bar.tick(rows);
            else bar.done(`${n(rows)} rows 行; 校验并写入 checking and writing…`);
          },
          actor: process.env.USER ? `cli:${process.env.USER}` : 'cli',
        });
      });
      // Peak memory of this process (DuckDB's native memory included), for the foundation benchmark.
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      process.stdout.write(flags.json ? `${JSON.stringify({ ...report, peakRssMb }, null, 2)}\n` : readableReport(report));
      if (report.rejectedTotal > 0) process.exitCode = 2;
    });
}

const n = (value: number) => value.toLocaleString('en-US');

export function readableReport(r: ImportReport): string {
  const def = FORMATS[r.kind];
  const lines: string[] = [];
  const source = [r.format, r.encoding].filter(Boolean).join(', ');
  lines.push(`导入 ${def.labelZh} / import ${r.kind}: ${r.file} (${source}, ${n(r.rows)} rows 行)`);
  const width = Math.max(...[r.accepted, r.updated, r.unchanged, r.rejectedRows].map((v) => n(v).length));
  const row = (label: string, value: number, note = '') => lines.push(`  ${label.padEnd(16)} ${n(value).padStart(width)}${note}`);
  row('新增 accepted', r.accepted);
  row('更新 updated', r.updated);
  row('未变 unchanged', r.unchanged);
  row('拒绝 rejected', r.rejectedRows, r.rejectedTotal > r.rejectedRows ? ` rows 行 (${n(r.rejectedTotal)} problems 个问题)` : '');
  if (r.ignoredColumns.length) lines.push(`  忽略的列 ignored columns: ${r.ignoredColumns.join(', ')}`);
  if (r.rejected.length) {
    lines.push('', '  行 line  字段 field  值 value  原因 reason');
    for (const p of r.rejected.slice(0, SHOWN_PROBLEMS)) {
      lines.push(`  ${String(p.line).padStart(6)}  ${p.field || '(row 整行)'}  ${JSON.stringify(p.value)}  ${p.reasonZh} / ${p.reason}`);
    }
    const more = r.rejectedTotal - Math.min(r.rejected.length, SHOWN_PROBLEMS);
    if (more > 0) lines.push(`  … 另有 ${n(more)} 个问题 / ${n(more)} more (--json lists up to ${n(REJECTED_LIST_CAP)})`);
  }
  lines.push('');
  if (!r.written)
    lines.push(
      `未写入任何数据：${n(r.rejectedRows)} 行被拒绝。请修正后重新导入，或使用 --skip-invalid 只导入有效行。`,
      `Nothing was written: ${n(r.rejectedRows)} rows were rejected. Fix them and import again, or use --skip-invalid to import the valid rows.`,
    );
  else if (r.rejectedRows > 0)
    lines.push(`已导入有效行，跳过 ${n(r.rejectedRows)} 行无效数据 / Imported the valid rows; skipped ${n(r.rejectedRows)} rejected rows.`);
  else lines.push('导入完成 / Import complete.');
  return `${lines.join('\n')}\n`;
}
