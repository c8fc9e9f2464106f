// How a route file states a route's options: who may call it (`config.access`, enforced by plugins/auth.ts) and its
// schema under the file's OpenAPI tag.
import type { FastifySchema } from 'fastify';
import type { Access } from '../auth/roles.ts';

/**
 * The options maker of one route file: `const route = routesTagged('draws')`, then
 * `app.get('/draws', route(EVERY_ROLE, { summary, querystring, response }), handler)`.
 */
export const routesTagged =
  (tag: string) =>
  <S extends FastifySchema & { summary?: string; description?: string }>(access: Access, schema: S) => ({
    config: { access },
    schema: { tags: [tag], ...schema },
  });
