// GET /api/health: which database this server owns, its schema version, and row counts per table.
import type { FastifyPluginAsync } from 'fastify';
import { schemaVersion } from '../../db/migrate.ts';

const healthResponse = {
  type: 'object',
  required: ['status', 'database', 'schemaVersion', 'tables'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    database: { type: 'string' },
    schemaVersion: { type: 'integer' },
    tables: { type: 'object', additionalProperties: { type: 'integer' } },
  },
} as const;

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', { config: { access: 'public' }, schema: { tags: ['system'], response: { 200: healthResponse } } }, async () => {
    const db = app.db;
    const tables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY table_name",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const row = await db.one<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`);
      counts[name] = row?.n ?? 0;
    }
    return { status: 'ok', database: db.path, schemaVersion: await schemaVersion(db), tables: counts };
  });
};
