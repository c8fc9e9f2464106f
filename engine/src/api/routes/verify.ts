// A draw's package as a zip (/api/draws/:drawId/export: public, or auditor for auditors and admins) and verification: of a stored draw (the
// "verified" badge) or of an uploaded zip (/api/draws/verify).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, StringEnum } from '../../kernel/schema.ts';
import multipart from '@fastify/multipart';
import { drawZipFor, StoredDrawVerifier, verifyDrawZip } from '../../draw/verification.ts';
import { VerifyAnswer } from '../../draw/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { BinaryAnswer, errorAnswer } from '../schemas.ts';
import { EVERY_ROLE } from '../roles.ts';
import { DrawParams, noDraw } from './draws.ts';
import { multipartBody, receiveUpload, uploadErrors } from './uploads.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('draws');
/** An uploaded zip of a draw's files: at 18 M entities population.csv is about 400 MB unpacked. */
export const VERIFY_UPLOAD_MAX_BYTES = 1024 ** 3;
const notDrawn = errorAnswer('尚未抽取 Not drawn yet');

export const verifyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: VERIFY_UPLOAD_MAX_BYTES, files: 1, fields: 10, parts: 11 } });
  const verifier = new StoredDrawVerifier(app.db);

  app.get('/draws/:drawId/export', route(EVERY_ROLE, {
    summary: '导出抽取包 A draw\'s package as a zip: the public package (default), or the auditor package for auditors and admins',
    description:
      '公众包：与门户公开的内容相同。审计包含秘密值、分层和键值，仅审计人员和管理员可下载（draw.auditor_package_forbidden）。 The public package is what the portal shows; the auditor package (secret, strata, keys: fd2 §3) is for auditors and admins only (operators: their department\'s draws, public package).',
    params: DrawParams,
    querystring: Query({ package: StringEnum(['public', 'auditor'] as const, { default: 'public', description: '公众包或审计包 public or auditor package' }) }),
    response: {
      200: BinaryAnswer('zip：公众包 manifest.json[, selected.csv]；审计包 manifest.json, population.csv, inspectors.csv, exclusions.csv, selection.csv, teams.csv', 'application/zip'),
      403: errorAnswer('审计包仅供审计人员和管理员 The auditor package is for auditors and admins only (draw.auditor_package_forbidden)'),
      404: noDraw,
      409: notDrawn,
    },
  }), async (request, reply) => {
    const zip = await drawZipFor(app.db, requirePrincipal(request), request.params.drawId, request.query.package);
    reply.raw.once('close', zip.cleanup);
    return reply.type('application/zip').header('content-disposition', `attachment; filename="${zip.filename}"`).send(zip.stream);
  });

  app.get('/draws/:drawId/verify', route(EVERY_ROLE, {
    summary: 'fd1 核验 Export the stored draw and verify it with the independent verifier (the "verified" badge)',
    params: DrawParams,
    response: { 200: VerifyAnswer, 404: noDraw, 409: notDrawn },
  }), async (request) => verifier.verifyFor(requirePrincipal(request), request.params.drawId));

  app.post('/draws/verify', route('authenticated', {
    summary: 'fd1 核验上传的 zip Verify an uploaded zip of a draw\'s six published files',
    description: `multipart/form-data，文件字段 file，最大 ${VERIFY_UPLOAD_MAX_BYTES} 字节。 One file part named "file", at most ${VERIFY_UPLOAD_MAX_BYTES} bytes.`,
    consumes: ['multipart/form-data'],
    body: multipartBody('抽取公开文件的 zip the zip of the six files'),
    response: { 200: VerifyAnswer, ...uploadErrors },
  }), async (request) => {
    const upload = await receiveUpload(request, { maxBytes: VERIFY_UPLOAD_MAX_BYTES, fallbackName: 'draw.zip' });
    try {
      return await verifyDrawZip(upload.path, upload.dir);
    } finally {
      upload.cleanup();
    }
  });
};
