// GET /api/health: which database this server owns, its schema version, and row counts per table.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RecordOf, StringEnum, Type } from '../../kernel/schema.ts';
import { schemaVersion } from '../../db/migrate.ts';
import { tableCounts } from '../../db/tables.ts';

const Health = Type.Object({
  status: StringEnum(['ok']),
  database: Type.String(),
  schemaVersion: Type.Integer(),
  tables: RecordOf(Type.Integer()),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { config: { access: 'public' }, schema: { tags: ['system'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    database: app.db.path,
    schemaVersion: await schemaVersion(app.db),
    tables: await tableCounts(app.db),
  }));
};
