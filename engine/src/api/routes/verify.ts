// A draw's six published files as a zip (/api/draws/:drawId/export) and fd1 verification: of a stored draw (the
// "verified" badge) or of an uploaded zip (/api/draws/verify).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
    summary: '导出公开文件 The six published files of fd1 section 6 as a zip',
    description:
      '检查窗口结束前名单保密：仅供内部核验。 Before the window closes the selection is confidential: for internal checks only (operators: their department\'s draws).',
    params: DrawParams,
    response: {
      200: BinaryAnswer('zip：manifest.json, population.csv, inspectors.csv, exclusions.csv, selection.csv, teams.csv', 'application/zip'),
      404: noDraw,
      409: notDrawn,
    },
  }), async (request, reply) => {
    const zip = await drawZipFor(app.db, requirePrincipal(request), request.params.drawId);
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
