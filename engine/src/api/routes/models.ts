// Risk models (/api/models): the versions with their backtest figures, fitting a new version, a version's lift curve.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { described, IsoDate, Type } from '../../kernel/schema.ts';
import { listModels } from '../../risk/index.ts';
import { modelBacktest, ModelFits, modelView } from '../../risk/model-views.ts';
import { FitAnswer, ModelBacktest, ModelView } from '../../risk/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';
import { ANALYSTS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('risk');

export const modelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const fits = new ModelFits(app.db);

  app.get('/models', route('authenticated', {
    summary: '风险模型版本 Risk model versions, newest first, with backtest figures and who fitted them',
    response: { 200: Type.Object({ models: Type.Array(ModelView) }) },
  }), async () => ({ models: (await listModels(app.db)).map(modelView) }));

  app.post('/models', route(ANALYSTS, {
    summary: '拟合并评分新模型版本 Backtest, fit a new model version on prior results, and score every active entity',
    description: '18 M 主体需数分钟；同一时间只运行一次。 At 18 M entities this takes minutes; one fit at a time.',
    body: Type.Object(
      {
        asOf: Type.Optional(described(IsoDate, '基准日，默认为数据中最近日期 reference date (default: the data\'s latest date)')),
        testYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: '回测测试年 the backtest\'s held-out year' })),
        backtest: Type.Optional(Type.Boolean({ default: true })),
      },
      { additionalProperties: false },
    ),
    response: { 201: FitAnswer, 409: errorAnswer('已有拟合在运行，或数据不足以拟合 A fit is running, or the data cannot train a model yet') },
  }), async (request, reply) => reply.code(201).send(await fits.fit(requirePrincipal(request), request.body ?? {})));

  app.get('/models/:version/backtest', route('authenticated', {
    summary: '模型回测：提升曲线与分级命中率 A model\'s backtest: lift curve (share inspected → share of findings found), hit rate per tier',
    params: Type.Object({ version: Type.Integer({ minimum: 1 }) }),
    response: { 200: ModelBacktest, 404: errorAnswer('没有这个模型版本 No such model version') },
  }), async (request) => modelBacktest(app.db, request.params.version));
};
