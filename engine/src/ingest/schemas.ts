// An import's report, declared once: the engine's type (Static<>), `fairdraw import --json` and the API's answer.
import { StringEnum, Type, type Static } from '../kernel/schema.ts';
import { KINDS } from './formats.ts';
import { ENCODINGS } from './csv.ts';

/** Problems listed in a report (line order); the count of all of them is always given. */
export const REJECTED_LIST_CAP = 1000;

export const RowProblem = Type.Object({
  /** Line in a CSV file (the header is line 1), row in a worksheet, or data row in a Parquet file. */
  line: Type.Integer({ description: 'CSV 行号（表头为第 1 行）、工作表行号或 Parquet 数据行 line in the CSV (header is line 1), worksheet row, or Parquet data row' }),
  field: Type.String({ description: '字段，空为整行 the field; empty: the whole row' }),
  value: Type.String(),
  reason: Type.String(),
  reasonZh: Type.String(),
});
export type RowProblem = Static<typeof RowProblem>;

export const ImportReport = Type.Object(
  {
    kind: StringEnum(KINDS),
    file: Type.String({ description: '上传的文件名 the uploaded file name' }),
    format: StringEnum(['csv', 'xlsx', 'parquet']),
    encoding: Type.Optional(StringEnum(ENCODINGS)),
    sha256: Type.String(),
    /** Data rows read (blank rows are skipped). */
    rows: Type.Integer(),
    /** New rows written. */
    accepted: Type.Integer({ description: '新增 new rows written' }),
    /** Stored rows that differed and were updated. */
    updated: Type.Integer({ description: '更新 stored rows that differed' }),
    /** Rows identical to the stored ones: not written. */
    unchanged: Type.Integer({ description: '未变 identical rows, not written' }),
    /** Problems in line order, at most REJECTED_LIST_CAP. */
    rejected: Type.Array(RowProblem, { description: `按行排序，最多 ${REJECTED_LIST_CAP} 条 in line order, at most ${REJECTED_LIST_CAP}` }),
    rejectedTotal: Type.Integer(),
    /** Rows with at least one problem. */
    rejectedRows: Type.Integer(),
    /** False when rejected rows stopped the import (nothing was written). */
    written: Type.Boolean({ description: 'false：有被拒绝的行，数据未改动 false: rows were rejected and nothing was written' }),
    /** Header cells that name no column of this kind. */
    ignoredColumns: Type.Array(Type.String()),
    elapsedMs: Type.Integer(),
    /** Where the time went: reading and validating rows into staging, the whole-file checks, the writes. */
    phaseMs: Type.Object({ read: Type.Integer(), check: Type.Integer(), write: Type.Integer() }),
  },
  { description: '与 `fairdraw import --json` 相同的导入报告 The same report as `fairdraw import --json`' },
);
export type ImportReport = Static<typeof ImportReport>;
