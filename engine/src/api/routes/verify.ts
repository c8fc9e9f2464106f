// A draw's package as a zip (/api/draws/:drawId/export: public, or auditor for auditors and admins), auditors'
// attestations (/api/draws/:drawId/attestations) and verification: of a stored draw (the
// "verified" badge) or of an uploaded zip (/api/draws/verify).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, StringEnum, Type } from '../../kernel/schema.ts';
import multipart from '@fastify/multipart';
import { drawZipFor, StoredDrawVerifier, verifyDrawZip } from '../../draw/verification.ts';
import { attestationsFor, attestStoredDraw, attestUploadedPackage } from '../../draw/attestations.ts';
import { Attestation, VerifyAnswer } from '../../draw/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { BinaryAnswer, errorAnswer } from '../schemas.ts';
import { AUDITORS, EVERY_ROLE } from '../roles.ts';
import { DrawParams, noDraw } from './draws.ts';
import { multipartBody, uploadErrors, withUpload } from './uploads.ts';
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
    return withUpload(request, { maxBytes: VERIFY_UPLOAD_MAX_BYTES, fallbackName: 'draw.zip' }, (upload) => verifyDrawZip(upload.path, upload.dir));
  });

  app.get('/draws/:drawId/attestations', route(EVERY_ROLE, {
    summary: '核验记录 The auditors\' attestations of a draw, with the verifier\'s reports',
    params: DrawParams,
    response: { 200: Type.Object({ attestations: Type.Array(Attestation) }), 404: noDraw },
  }), async (request) => ({ attestations: await attestationsFor(app.db, requirePrincipal(request), request.params.drawId) }));

  const attestErrors = {
    403: errorAnswer('仅审计人员可记录核验 Only auditors attest (attestation.auditor_only)'),
    404: noDraw,
    409: notDrawn,
  } as const;

  app.post('/draws/:drawId/attestations', route(AUDITORS, {
    summary: '在线核验并记录 An auditor has the server build the draw\'s auditor package, verify it and record the attestation',
    params: DrawParams,
    body: Type.Object({ source: StringEnum(['dashboard'] as const, { description: '由服务器生成审计包 the server builds the package' }) }, { additionalProperties: false }),
    response: { 201: Attestation, ...attestErrors },
  }), async (request, reply) => reply.code(201).send(await attestStoredDraw(app.db, requirePrincipal(request), request.params.drawId)));

  app.post('/draws/:drawId/attestations/upload', route(AUDITORS, {
    summary: '上传命令行导出的审计包并记录核验 An auditor uploads the zip of `fairdraw draw export ID DIR --auditor`; the server verifies it again and records the attestation',
    description: `multipart/form-data，文件字段 file，最大 ${VERIFY_UPLOAD_MAX_BYTES} 字节；须为本抽取的审计包（attestation.other_package 指明不符的字段）。 One file part named "file"; it must be this draw's auditor package (attestation.other_package names the manifest field that differs).`,
    consumes: ['multipart/form-data'],
    params: DrawParams,
    body: multipartBody('审计包 zip the auditor package zip'),
    response: { 201: Attestation, 400: errorAnswer('不是本抽取的审计包，或 zip 无效 Not this draw\'s auditor package, or not a valid zip'), ...attestErrors, ...uploadErrors },
  }), async (request, reply) => {
    const attestation = await withUpload(request, { maxBytes: VERIFY_UPLOAD_MAX_BYTES, fallbackName: 'package.zip' }, (upload) =>
      attestUploadedPackage(app.db, requirePrincipal(request), request.params.drawId, upload.path, upload.dir),
    );
    return reply.code(201).send(attestation);
  });
};
