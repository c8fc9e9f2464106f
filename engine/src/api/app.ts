// Builds the Fastify app: external plugins, then our shared plugins (errors, db, auth, OpenAPI), then API routes,
// then the dashboard's static pages.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { Db } from '../db/duckdb.ts';
import { dbPlugin } from './plugins/db.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { authPlugin, HttpError } from './plugins/auth.ts';
import { DOCS_PREFIX, openapiPlugin } from './plugins/openapi.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes, userRoutes, type LoginLimits } from './routes/auth.ts';
import { webPlugin } from './plugins/web.ts';
import { securityPlugin, trustProxyFrom } from './plugins/security.ts';
import { resultRoutes } from './routes/results.ts';
import { publicRoutes } from './routes/public.ts';
import { coverageRoutes } from './routes/coverage.ts';
import { planRoutes } from './routes/plans.ts';
import { taskRoutes } from './routes/tasks.ts';
import { drawRoutes } from './routes/draws.ts';
import { verifyRoutes } from './routes/verify.ts';
import { importRoutes } from './routes/imports.ts';
import { auditRoutes } from './routes/audit.ts';
import { policyRoutes } from './routes/policy.ts';
import { modelRoutes } from './routes/models.ts';
import { scoreRoutes } from './routes/scores.ts';
import { alertRoutes } from './routes/alerts.ts';
import { notebookRoutes } from './routes/notebooks.ts';
import { outcomeCodeRoutes } from './routes/outcome-codes.ts';

export interface AppOptions {
  db: Db;
  /** Serve the built dashboard from this folder (omit in API-only tests). */
  webRoot?: string;
  logger?: boolean;
  /** Login throttling (defaults: 5 failures per username and address per 15 minutes, 30 attempts per address per minute). */
  loginLimits?: Partial<LoginLimits>;
  /** Which proxies to believe for the client's address and protocol (default: FAIRDRAW_TRUST_PROXY, see security.ts). */
  trustProxy?: boolean | string[];
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? trustProxyFrom(process.env.FAIRDRAW_TRUST_PROXY) });
  // external
  await app.register(securityPlugin, { webRoot: options.webRoot });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new HttpError(context.statusCode, 'too many requests', `请求过于频繁，请 ${context.after} 后再试 too many requests: retry in ${context.after}`),
  });
  // app
  await app.register(errorsPlugin);
  await app.register(dbPlugin, { db: options.db });
  await app.register(authPlugin, { publicPrefixes: [DOCS_PREFIX] });
  await app.register(openapiPlugin);
  // routes
  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(authRoutes, { prefix: '/api', loginLimits: options.loginLimits });
  await app.register(userRoutes, { prefix: '/api' });
  await app.register(resultRoutes, { prefix: '/api' });
  await app.register(publicRoutes, { prefix: '/api' });
  await app.register(coverageRoutes, { prefix: '/api' });
  await app.register(planRoutes, { prefix: '/api' });
  await app.register(taskRoutes, { prefix: '/api' });
  await app.register(drawRoutes, { prefix: '/api' });
  await app.register(verifyRoutes, { prefix: '/api' });
  await app.register(importRoutes, { prefix: '/api' });
  await app.register(auditRoutes, { prefix: '/api' });
  await app.register(policyRoutes, { prefix: '/api' });
  await app.register(modelRoutes, { prefix: '/api' });
  await app.register(scoreRoutes, { prefix: '/api' });
  await app.register(alertRoutes, { prefix: '/api' });
  await app.register(notebookRoutes, { prefix: '/api' });
  await app.register(outcomeCodeRoutes, { prefix: '/api' });
  if (options.webRoot) await app.register(webPlugin, { root: options.webRoot });
  return app;
}
