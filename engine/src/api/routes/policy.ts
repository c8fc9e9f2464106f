// The sampling policy (/api/policy): the current version, its history, a preview of settings before they are saved,
// and saving a new version with a reason.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { described, IsoDate, Type } from '../../kernel/schema.ts';
import { PolicyAnswer, PolicyChange, PolicyPreview, PolicyVersion, SavedPolicy } from '../../policy/schemas.ts';
import { policyAnswer, policyVersions, savePolicyAs } from '../../policy/versions.ts';
import { PolicyPreviewer } from '../../policy/previewer.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { ANALYSTS, LEADERS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('policy');

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const previewer = new PolicyPreviewer(app.db);
  // A listening server reads the current policy's preview load in the background, as coverage does its views.
  app.addHook('onListen', async () => {
    previewer.preview({}).catch((err: unknown) => app.log.warn({ err }, 'policy preview warm-up failed'));
  });
  // a preview answered stale leaves the new load being read after the request: the database closes after it
  app.addHook('onClose', () => previewer.settled());

  app.get('/policy', route('authenticated', { summary: '当前抽查政策 The current sampling policy (version 0: the documented default, never saved)', response: { 200: PolicyAnswer } }), async () => policyAnswer(app.db));

  app.get('/policy/versions', route('authenticated', {
    summary: '抽查政策历史 Every saved policy version, newest first: who, when, why, and what changed',
    response: { 200: Type.Object({ versions: Type.Array(PolicyVersion) }) },
  }), async () => ({ versions: await policyVersions(app.db) }));

  app.post('/policy', route(ANALYSTS, {
    summary: '保存新的政策版本 Save a new policy version: the change merged onto the current one, with a reason',
    body: Type.Object(
      { ...PolicyChange.properties, reason: Type.String({ minLength: 1, maxLength: 500, description: '调整理由（随版本和审计日志保存） why (kept with the version and in the audit log)' }) },
      { additionalProperties: false },
    ),
    response: { 201: SavedPolicy },
  }), async (request, reply) => reply.code(201).send(await savePolicyAs(app.db, requirePrincipal(request), request.body)));

  app.post('/policy/preview', route(LEADERS, {
    summary: '预览政策效果（不保存） Preview settings merged onto the current policy: per tier N, k, expected findings, inspector-days against capacity',
    body: Type.Object(
      { ...PolicyChange.properties, asOf: Type.Optional(described(IsoDate, '基准日，默认为数据中最近的投诉或检查日 reference date; default the latest complaint or inspection day')) },
      { additionalProperties: false },
    ),
    response: { 200: PolicyPreview },
  }), async (request) => {
    const { asOf, ...change } = request.body ?? {};
    return previewer.preview(change, asOf);
  });
};
