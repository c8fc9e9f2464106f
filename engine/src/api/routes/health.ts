// GET /api/health: liveness for anyone, answered without touching the database. GET /api/health/details: for admins,
// the version, schema version and row counts per table (counted once per write, not per call).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { RecordOf, StringEnum, Type } from '../../kernel/schema.ts';
import { REPO_ROOT } from '../../kernel/config.ts';
import { schemaVersion } from '../../db/migrate.ts';
import { tableCounts } from '../../db/tables.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('system');

const Liveness = Type.Object({ status: StringEnum(['ok']) });
const HealthDetails = Type.Object({
  status: StringEnum(['ok']),
  version: Type.String({ description: 'Fairdraw 版本 the release' }),
  database: Type.String({ description: '数据库文件名（不含路径） the database file name, without its folder' }),
  schemaVersion: Type.Integer(),
  tables: RecordOf(Type.Integer()),
  countedAt: Type.String({ format: 'date-time', description: '计数时间（写入后重新计数） when the rows were counted (again after each write)' }),
});

const packageVersion = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const details = app.db.untilNextWrite(async () => ({
    schemaVersion: await schemaVersion(app.db),
    tables: await tableCounts(app.db),
    countedAt: new Date().toISOString(),
  }));

  app.get('/health', route('public', { summary: '存活检查 Liveness: answers without a query', response: { 200: Liveness } }), async () => ({ status: 'ok' as const }));

  app.get(
    '/health/details',
    route(['admin'], { summary: '运行详情 Version, schema version and row counts per table (admins)', response: { 200: HealthDetails } }),
    async () => ({ status: 'ok' as const, version: packageVersion, database: basename(app.db.path), ...(await details()) }),
  );
};
