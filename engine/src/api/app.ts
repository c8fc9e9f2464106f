// Builds the Fastify app: shared plugins first, then API routes, then the dashboard's static pages.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../db/duckdb.ts';
import { dbPlugin } from './plugins/db.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { webPlugin } from './plugins/web.ts';

export interface AppOptions {
  db: Db;
  /** Serve the built dashboard from this folder (omit in API-only tests). */
  webRoot?: string;
  logger?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  await app.register(errorsPlugin);
  await app.register(dbPlugin, { db: options.db });
  await app.register(healthRoutes, { prefix: '/api' });
  if (options.webRoot) await app.register(webPlugin, { root: options.webRoot });
  return app;
}
