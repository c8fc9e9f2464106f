// The standard outcome codes (标准结果代码) the results entry form offers: GET /api/results/outcome-codes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../kernel/schema.ts';
import { OutcomeCode, outcomeCodes } from '../../reference/names.ts';
import { EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('results');

export const outcomeCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/results/outcome-codes', route(EVERY_ROLE, {
    summary: '标准结果代码 The standard outcome codes a result is entered with',
    response: { 200: Type.Object({ codes: Type.Array(OutcomeCode) }) },
  }), async () => ({ codes: await outcomeCodes(app.db) }));
};
