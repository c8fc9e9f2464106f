// Builds the Fastify app: external plugins, then our shared plugins (errors, db, auth, OpenAPI), then API routes,
// then the dashboard's static pages.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { getHeapStatistics } from 'node:v8';
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
import { onSiteRoutes } from './routes/onsite.ts';
import { recognitionRoutes } from './routes/recognition.ts';
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
import { backupRoutes } from './routes/backups.ts';
import { outcomeCodeRoutes } from './routes/outcome-codes.ts';
import { inboxRoutes } from './routes/inbox.ts';

export interface AppOptions {
  db: Db;
  /** Serve the built dashboard from this folder (omit in API-only tests). */
  webRoot?: string;
  logger?: boolean;
  /** Login throttling (defaults: 5 failures per username and address per 15 minutes, 30 attempts per address per minute). */
  loginLimits?: Partial<LoginLimits>;
  /** When to answer 503 instead of taking more work (defaults: see PRESSURE_DEFAULTS). */
  pressure?: Partial<Pressure>;
  /** Which proxies to believe for the client's address and protocol (default: FAIRDRAW_TRUST_PROXY, see security.ts). */
  trustProxy?: boolean | string[];
}

export interface Pressure {
  /** The event loop lagging this long means requests already queue: new ones get 503. */
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number;
  sampleIntervalMs: number;
}

/** 90% of the heap limit (npm start sets it from FAIRDRAW_MEMORY_LIMIT), a two-second event-loop lag. */
export const PRESSURE_DEFAULTS: Pressure = {
  maxEventLoopDelayMs: 2000,
  maxHeapUsedBytes: Math.round(getHeapStatistics().heap_size_limit * 0.9),
  sampleIntervalMs: 1000,
};

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? trustProxyFrom(process.env.FAIRDRAW_TRUST_PROXY) });
  // external
  await app.register(securityPlugin, { webRoot: options.webRoot });
  const pressure = { ...PRESSURE_DEFAULTS, ...options.pressure };
  // Under load the server answers 503 with Retry-After rather than grow until the machine or container kills it.
  await app.register(underPressure, {
    maxEventLoopDelay: pressure.maxEventLoopDelayMs,
    maxHeapUsedBytes: pressure.maxHeapUsedBytes,
    sampleInterval: pressure.sampleIntervalMs,
    retryAfter: 10,
    pressureHandler: (_request, reply, type) => {
      void reply
        .code(503)
        .header('retry-after', '10')
        .send({ error: 'server.busy', message: `服务器繁忙，请稍后再试 the server is under load (${type}): retry in 10 s` });
    },
  });
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
  await app.register(onSiteRoutes, { prefix: '/api' });
  await app.register(recognitionRoutes, { prefix: '/api' });
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
  await app.register(inboxRoutes, { prefix: '/api' });
  await app.register(backupRoutes, { prefix: '/api' });
  if (options.webRoot) await app.register(webPlugin, { root: options.webRoot });
  return app;
}
