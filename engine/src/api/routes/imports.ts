// Data-office imports over HTTP (/api/imports/:kind): one CSV, .xlsx or Parquet file per request through the same
// validated, idempotent importFile as `fairdraw import`, answering the same report. Admin only: a file may hold rows
// of every department (entities, inspectors, credit, complaints, results, items), which no operator may write.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Query, StringEnum, Type } from '../../kernel/schema.ts';
import { KINDS } from '../../ingest/formats.ts';
import { ENCODINGS } from '../../ingest/source.ts';
import { IMPORT_MAX_BYTES } from '../../ingest/limits.ts';
import { ImportReport } from '../../ingest/schemas.ts';
import { firstProblemMessage, importUpload } from '../../ingest/upload.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { ErrorAnswer } from '../schemas.ts';
import { multipartBody, uploadErrors, withUpload } from './uploads.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('imports');


const Rejected = Type.Object(
  { ...ErrorAnswer.properties, report: Type.Optional(ImportReport) },
  {
    description:
      '文件无法导入（缺列、格式不符），或有被拒绝的行（附报告，数据未改动） The file cannot be imported, or rows were rejected (with the report; nothing changed)',
  },
);

export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10, parts: 11 } });

  app.post('/imports/:kind', route(['admin'], {
    summary: '导入数据文件 Import one CSV, .xlsx or Parquet file: every row validated, re-importing changes nothing',
    description:
      `multipart/form-data，文件字段 file，最大 ${IMPORT_MAX_BYTES} 字节；列与中英文表头见 docs/formats.md。有被拒绝的行时答 400 并附报告，数据不变（除非 skipInvalid）。 ` +
      `One file part named "file" (at most ${IMPORT_MAX_BYTES} bytes); columns and headers: docs/formats.md. Rejected rows answer 400 with the report and leave the data as it was (unless skipInvalid).`,
    consumes: ['multipart/form-data'],
    params: Type.Object({ kind: StringEnum(KINDS, { description: '文件内容 what the file holds' }) }),
    querystring: Query({
      skipInvalid: Type.Boolean({ default: false, description: '只导入有效行 import the valid rows even when some are rejected' }),
      encoding: Type.Optional(StringEnum(ENCODINGS, { description: 'CSV 编码（默认自动识别） CSV encoding (default: detected)' })),
    }),
    body: multipartBody('CSV（UTF-8 或 GBK/GB18030）、.xlsx（第一个工作表）或 .parquet'),
    response: { 200: ImportReport, 400: Rejected, ...uploadErrors },
  }), async (request, reply) => {
    const { kind } = request.params;
    const report = await withUpload(request, { maxBytes: IMPORT_MAX_BYTES, fallbackName: `${kind}.csv` }, (upload) =>
      importUpload(app.db, { kind, file: upload.path, name: upload.filename, ...request.query, actor: requirePrincipal(request).username }),
    );
    if (!report.written) return reply.code(400).send({ error: 'import.rejected_rows', message: firstProblemMessage(report), report });
    return report;
  });
};
