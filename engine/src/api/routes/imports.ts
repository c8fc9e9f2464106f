// Data-office imports over HTTP (/api/imports/:kind): one CSV, .xlsx or Parquet file per request through the same
// validated, idempotent importFile as `fairdraw import`, answering the same report. Admin only: a file may hold rows
// of every department (entities, inspectors, credit, complaints, results, items), which no operator may write.
import type { FastifyPluginAsync } from 'fastify';
import multipart from '@fastify/multipart';
import { importFile, ImportFileError, REJECTED_LIST_CAP, type ImportReport } from '../../ingest/import.ts';
import { KINDS, type Kind } from '../../ingest/formats.ts';
import { ENCODINGS, type Encoding } from '../../ingest/source.ts';
import { HttpError, requirePrincipal } from '../plugins/auth.ts';
import { multipartBody, receiveUpload, uploadErrors } from './uploads.ts';

const TAGS = ['imports'];
/** One upload: an 18 M-row entity file is about 2 GB as CSV; split larger files or import them with the CLI. */
export const IMPORT_MAX_BYTES = 2 * 1024 ** 3;

const problemSchema = {
  type: 'object',
  required: ['line', 'field', 'value', 'reason', 'reasonZh'],
  properties: {
    line: { type: 'integer', description: 'CSV 行号（表头为第 1 行）、工作表行号或 Parquet 数据行 line in the CSV (header is line 1), worksheet row, or Parquet data row' },
    field: { type: 'string', description: '字段，空为整行 the field; empty: the whole row' },
    value: { type: 'string' },
    reason: { type: 'string' },
    reasonZh: { type: 'string' },
  },
} as const;

const reportSchema = {
  description: '与 `fairdraw import --json` 相同的导入报告 The same report as `fairdraw import --json`',
  type: 'object',
  required: ['kind', 'file', 'format', 'sha256', 'rows', 'accepted', 'updated', 'unchanged', 'rejected', 'rejectedTotal', 'rejectedRows', 'written', 'ignoredColumns', 'elapsedMs', 'phaseMs'],
  properties: {
    kind: { type: 'string', enum: KINDS },
    file: { type: 'string', description: '上传的文件名 the uploaded file name' },
    format: { type: 'string', enum: ['csv', 'xlsx', 'parquet'] },
    encoding: { type: 'string', enum: ENCODINGS },
    sha256: { type: 'string' },
    rows: { type: 'integer' },
    accepted: { type: 'integer', description: '新增 new rows written' },
    updated: { type: 'integer', description: '更新 stored rows that differed' },
    unchanged: { type: 'integer', description: '未变 identical rows, not written' },
    rejected: { type: 'array', items: problemSchema, description: `按行排序，最多 ${REJECTED_LIST_CAP} 条 in line order, at most ${REJECTED_LIST_CAP}` },
    rejectedTotal: { type: 'integer' },
    rejectedRows: { type: 'integer' },
    written: { type: 'boolean', description: 'false：有被拒绝的行，数据未改动 false: rows were rejected and nothing was written' },
    ignoredColumns: { type: 'array', items: { type: 'string' } },
    elapsedMs: { type: 'integer' },
    phaseMs: { type: 'object', required: ['read', 'check', 'write'], properties: { read: { type: 'integer' }, check: { type: 'integer' }, write: { type: 'integer' } } },
  },
} as const;

const rejectedResponse = {
  description: '文件无法导入（缺列、格式不符），或有被拒绝的行（附报告，数据未改动） The file cannot be imported, or rows were rejected (with the report; nothing changed)',
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, report: reportSchema },
} as const;

/** The first problem of a report as a sentence naming file, line, field, value and rule. */
export function firstProblemMessage(report: ImportReport): string {
  const p = report.rejected[0];
  const where = p ? `第 ${p.line} 行${p.field ? ` 字段 ${p.field}` : ''}（值 ${JSON.stringify(p.value)}）：${p.reasonZh} / line ${p.line}${p.field ? `, field ${p.field}` : ''} (value ${JSON.stringify(p.value)}): ${p.reason}` : '';
  return (
    `${report.file}: ${where}；共 ${report.rejectedRows} 行被拒绝，未写入任何数据 / ` +
    `${report.rejectedRows} row(s) rejected (${report.rejectedTotal} problem(s)); nothing was imported`
  );
}

export const importRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 11 } });

  app.post<{ Params: { kind: Kind }; Querystring: { skipInvalid: boolean; encoding?: Encoding } }>(
    '/imports/:kind',
    {
      config: { access: ['admin'] },
      schema: {
        tags: TAGS,
        summary: '导入数据文件 Import one CSV, .xlsx or Parquet file: every row validated, re-importing changes nothing',
        description:
          `multipart/form-data，文件字段 file，最大 ${IMPORT_MAX_BYTES} 字节；列与中英文表头见 docs/formats.md。有被拒绝的行时答 400 并附报告，数据不变（除非 skipInvalid）。 ` +
          `One file part named "file" (at most ${IMPORT_MAX_BYTES} bytes); columns and headers: docs/formats.md. Rejected rows answer 400 with the report and leave the data as it was (unless skipInvalid).`,
        consumes: ['multipart/form-data'],
        params: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: KINDS, description: '文件内容 what the file holds' } } },
        querystring: {
          type: 'object',
          properties: {
            skipInvalid: { type: 'boolean', default: false, description: '只导入有效行 import the valid rows even when some are rejected' },
            encoding: { type: 'string', enum: ENCODINGS, description: 'CSV 编码（默认自动识别） CSV encoding (default: detected)' },
          },
        },
        body: multipartBody('CSV（UTF-8 或 GBK/GB18030）、.xlsx（第一个工作表）或 .parquet'),
        response: { 200: reportSchema, 400: rejectedResponse, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const actor = requirePrincipal(request);
      const { kind } = request.params;
      const upload = await receiveUpload(request, { maxBytes: IMPORT_MAX_BYTES, fallbackName: `${kind}.csv` });
      try {
        let report: ImportReport;
        try {
          report = await importFile(app.db, { kind, file: upload.path, skipInvalid: request.query.skipInvalid, encoding: request.query.encoding, actor: actor.username });
        } catch (err) {
          if (err instanceof ImportFileError) throw new HttpError(400, 'invalid file', `${upload.filename}: ${err.detailZh} / ${err.detail}`);
          throw err;
        }
        report = { ...report, file: upload.filename };
        if (!report.written) return reply.code(400).send({ error: 'rejected rows', message: firstProblemMessage(report), report });
        return report;
      } finally {
        upload.cleanup();
      }
    },
  );
};
