// Results shared and recognised across departments: one entity's results from every department
// (/api/entities/:objectId/results), and the items declared equivalent (/api/item-equivalences): every signed-in role
// reads them; admins declare and withdraw pairs, each change audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Query, Type } from '../../kernel/schema.ts';
import { declareEquivalence, EquivalenceBody, ItemEquivalence, listEquivalences, withdrawEquivalence } from '../../reference/equivalences.ts';
import { entityResults } from '../../results/entity.ts';
import { EntityResults } from '../../results/schemas.ts';
import { requirePrincipal } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';
import { EVERY_ROLE } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('results');
const ItemCode = Type.String({ minLength: 1, maxLength: 32 });

export const recognitionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/entities/:objectId/results', route(EVERY_ROLE, {
    summary: '对象的各部门检查结果 Every department\'s results for one entity, newest first, with what each counts for under recognition',
    params: Type.Object({ objectId: Type.String({ minLength: 1, maxLength: 64 }) }),
    response: { 200: EntityResults, 404: errorAnswer('名录库中没有该对象 Not in the directory') },
  }), async (request) => entityResults(app.db, request.params.objectId));

  app.get('/item-equivalences', route(EVERY_ROLE, {
    summary: '互认事项 Items of different departments whose results recognise each other',
    response: { 200: Type.Object({ equivalences: Type.Array(ItemEquivalence) }) },
  }), async () => ({ equivalences: await listEquivalences(app.db) }));

  app.post('/item-equivalences', route(['admin'], {
    summary: '声明互认 Declare two items of different departments equivalent (audited)',
    body: EquivalenceBody,
    response: { 201: ItemEquivalence, 400: errorAnswer('未知事项或同一部门 Unknown item, or both of one department'), 409: errorAnswer('已互认 Already declared') },
  }), async (request, reply) => reply.code(201).send(await declareEquivalence(app.db, request.body, requirePrincipal(request))));

  app.delete('/item-equivalences/:itemA/:itemB', route(['admin'], {
    summary: '撤销互认 Withdraw a declared pair (audited with the reason); committed draws keep their population',
    params: Type.Object({ itemA: ItemCode, itemB: ItemCode }),
    querystring: Query({ reason: Type.String({ minLength: 4, maxLength: 500 }) }),
    response: { 204: Type.Null(), 404: errorAnswer('未互认 Not declared') },
  }), async (request, reply) => {
    await withdrawEquivalence(app.db, request.params.itemA, request.params.itemB, request.query.reason, requirePrincipal(request));
    return reply.code(204).send(null);
  });
};
