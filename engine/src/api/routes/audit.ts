// The audit log over HTTP (/api/audit): the hash chain's status, and the trail of one task or draw.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, Type } from '../../kernel/schema.ts';
import { AuditTrail, chainVerdict, ChainVerdict, TRAIL_MAX_LIMIT } from '../../audit/trail.ts';
import { auditTrailFor } from '../../draw/audit-trail.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';
import { LEADERS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('audit');

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit/verify', route(LEADERS, {
    summary: '审计链校验 Walk the hash chain: entries, and the first broken entry if any',
    description:
      '证据文件为快速核对：大小与修改时间未变的文件不重读；全部重算用 fairdraw audit verify。 ' +
      'Evidence files get the quick check: a file whose size and modification time are unchanged is not read again; `fairdraw audit verify` re-hashes them all.',
    response: { 200: ChainVerdict },
  }), async () => chainVerdict(app.db, [], 'cached'));

  app.get('/audit', route('authenticated', {
    summary: '审计记录 The trail of a task or draw (task, draws, results in chain order); without a subject the latest entries',
    description:
      '部门操作员只能查本部门牵头或参与的任务及其抽取。不给 subject 时按时间倒序列出最新条目（操作员不可）。 ' +
      'Operators: only tasks (and their draws) their department leads or takes part in. Without a subject: the latest entries, newest first (not for operators).',
    querystring: Query({
      subject: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: '任务或抽取编号（或其他审计对象） a task or draw id (or another audit subject)' })),
      limit: Type.Integer({ minimum: 1, maximum: TRAIL_MAX_LIMIT, default: 500 }),
      offset: Type.Integer({ minimum: 0, default: 0 }),
    }),
    response: {
      200: AuditTrail,
      403: errorAnswer('部门操作员：不是本部门的任务或抽取 Operators: not a task or draw of their department'),
      404: errorAnswer('部门操作员：没有这个任务或抽取 Operators: no such task or draw'),
    },
  }), async (request) => auditTrailFor(app.db, requirePrincipal(request), request.query));
};
