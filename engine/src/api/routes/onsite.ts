// Work on site: the visit sheet of a selected object (/api/visits/:drawId/:objectId) and the evidence kept with a result
// (/api/results/:drawId/:objectId/:itemCode/evidence): the inspecting department attaches photos, scans and documents;
// leaders, auditors and the department read them. Never public.
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Query, Type } from '../../kernel/schema.ts';
import { addEvidence, EVIDENCE_MAX_BYTES, listEvidence, openEvidence } from '../../results/evidence.ts';
import { Evidence, ResultKey, VisitSheet } from '../../results/schemas.ts';
import { visitSheet } from '../../results/visit.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { BinaryAnswer, errorAnswer } from '../schemas.ts';
import { DEPARTMENT_WRITERS, ON_SITE_READERS } from '../roles.ts';
import { routesTagged } from '../route.ts';
import { multipartBody, uploadErrors, withUpload } from './uploads.ts';

const route = routesTagged('results');
const notEntered = errorAnswer('尚未录入 Not entered');
const EvidenceParams = Type.Object({ ...ResultKey.properties, number: Type.Integer({ minimum: 1, description: '证据序号 evidence number' }) });

export const onSiteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: EVIDENCE_MAX_BYTES, files: 1, fields: 10, parts: 11 } });

  app.get('/visits/:drawId/:objectId', route(ON_SITE_READERS, {
    summary: '现场检查单 The visit sheet of a selected object: entity, team, every department\'s items with legal basis and method',
    description: '内部：含检查人员姓名。部门操作员只能查本部门牵头或参与的抽取。 Internal: names the inspectors. Operators: draws their department leads or takes part in.',
    params: Type.Object({ drawId: ResultKey.properties.drawId, objectId: ResultKey.properties.objectId }),
    response: { 200: VisitSheet, 404: errorAnswer('未抽中或抽取不存在 Not selected, or no such draw') },
  }), async (request) => visitSheet(app.db, requirePrincipal(request), request.params.drawId, request.params.objectId));

  app.post('/results/:drawId/:objectId/:itemCode/evidence', route(DEPARTMENT_WRITERS, {
    summary: '附加证据 Attach a photo, scan or document to an entered result (the inspecting department only)',
    description: `multipart/form-data，文件字段 file；JPEG、PNG、WebP 或 PDF，最大 ${EVIDENCE_MAX_BYTES} 字节。 One file part named "file": JPEG, PNG, WebP or PDF, at most ${EVIDENCE_MAX_BYTES} bytes.`,
    consumes: ['multipart/form-data'],
    params: ResultKey,
    querystring: Query({
      takenBy: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '拍摄人（默认上传人） who took it (default: the sender)' })),
      takenAt: Type.Optional(Type.String({ maxLength: 40, description: '拍摄时间 ISO 8601（默认现在） when it was taken (default: now)' })),
    }),
    body: multipartBody('证据文件 the evidence file'),
    response: { 201: Evidence, 404: notEntered, ...uploadErrors },
  }), async (request, reply) => {
    const evidence = await withUpload(request, { maxBytes: EVIDENCE_MAX_BYTES, fallbackName: 'evidence' }, (upload) =>
      addEvidence(app.db, request.params, upload, request.query, { actor: requirePrincipal(request) }),
    );
    return reply.code(201).send(evidence);
  });

  app.get('/results/:drawId/:objectId/:itemCode/evidence', route(ON_SITE_READERS, {
    summary: '结果的证据 The evidence kept with a result',
    params: ResultKey,
    response: { 200: Type.Object({ evidence: Type.Array(Evidence) }), 404: notEntered },
  }), async (request) => ({ evidence: await listEvidence(app.db, requirePrincipal(request), request.params) }));

  app.get('/results/:drawId/:objectId/:itemCode/evidence/:number', route(ON_SITE_READERS, {
    summary: '证据文件 One evidence file, as stored',
    params: EvidenceParams,
    response: { 200: BinaryAnswer('证据文件 the file', 'application/octet-stream'), 404: errorAnswer('没有该证据 No such evidence') },
  }), async (request, reply) => {
    const { number, ...key } = request.params;
    const { evidence, path } = await openEvidence(app.db, requirePrincipal(request), key, number);
    return reply
      .type(evidence.mediaType)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(evidence.filename)}`)
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(path));
  });
};
