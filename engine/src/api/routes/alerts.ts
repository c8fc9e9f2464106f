// Regional risk alerts (/api/alerts): complaint and finding rates per city and district x industry against their own
// baseline, each alert with its weekly evidence; reports kept per data version.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { described, IsoDate, Query, StringEnum, Type } from '../../kernel/schema.ts';
import { DEFAULT_ALERT_SETTINGS, TREND_MODES } from '../../alerts/alerts.ts';
import { alertReportsOf } from '../../alerts/reports.ts';
import { AlertAnswer } from '../../alerts/schemas.ts';
import { LEADERS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('alerts');

const d = DEFAULT_ALERT_SETTINGS;

export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const reports = alertReportsOf(app.db);
  // a report answered stale leaves the new one computing after the request (the inbox's too): the database closes after it
  app.addHook('onClose', () => reports.settled());

  app.get('/alerts', route(LEADERS, {
    summary: '区域风险预警 Regional risk alerts: complaint and finding rates per city and district x industry against their own baseline',
    description:
      '结果在内存中按（参数、基准日、数据版本）缓存；数据版本 = 审计日志中最后一条数据变更（登录与账号操作除外）的序号 + 投诉与检查结果行数。 ' +
      'Reports are cached in memory keyed by (settings, as-of date, data version); the data version is the sequence number of the audit chain\'s last data change (sign-ins and account changes left out) plus the complaint and result row counts.',
    querystring: Query({
      windowWeeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, description: `近期窗口（周） recent window, weeks (default ${d.windowWeeks})` })),
      baselineWeeks: Type.Optional(Type.Integer({ minimum: 4, maximum: 260, description: `基线（周） baseline weeks before the window (default ${d.baselineWeeks})` })),
      q: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: `错误发现率阈值 Benjamini-Hochberg false discovery rate (default ${d.q})` })),
      minObserved: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: `窗口内最少件数 least complaints or findings in the window (default ${d.minObserved})` })),
      minBaseline: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, description: `基线最少投诉数 least baseline complaints (default ${d.minBaseline})` })),
      trend: Type.Optional(StringEnum(TREND_MODES, { description: `趋势调整 expected values moved by the rest of the industry, the province, or not (default ${d.trend})` })),
      asOf: Type.Optional(described(IsoDate, '基准日，默认为最近投诉日 reference date; default the latest complaint day')),
    }),
    response: { 200: AlertAnswer },
  }), async (request) => reports.report(request.query));
};
