// Authentication and authorisation for every /api route: each route must declare `config.access`
// (registration fails otherwise), the session cookie names the account, and an onRequest hook answers
// 401 (no login), 403 (wrong role, missing CSRF token, foreign Origin) before any body is parsed.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { decideAccess, describeAccess, isValidAccess, ROLES, type Access, type Principal } from '../../auth/roles.ts';
import { assertOwnDepartment, departmentScope as scopeOf } from '../../auth/departments.ts';
import { errorAnswer } from '../schemas.ts';
import type { SessionAnswer } from '../../auth/schemas.ts';
import { csrfTokenFor, csrfTokenMatches, sessionResolver, SESSION_COOKIE, SESSION_MAX_MS } from '../../auth/sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route: 'public', 'authenticated', or a list of roles. Required under /api. */
    access?: Access;
    /** false only for the login route: state-changing requests of signed-in users need the CSRF token otherwise. */
    csrf?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in account, or null. */
    user: Principal | null;
    /** The live session the cookie names (raw id, absolute expiry), or null. */
    authSession: { id: string; expiresAt: Date } | null;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access, in registration order (HEAD twins left out). */
    routeAccess: RouteAccess[];
  }
}

export type { Access, Principal };

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A refusal only HTTP knows (no session 401, a foreign Origin or CSRF token 403, 413, 415, 429); the engine's own errors carry a kind instead. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The signed-in account of a request; 401 when there is none. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.user) throw new HttpError(401, 'unauthenticated', `请先登录 Sign in first: ${request.method} ${request.url} needs an account`);
  return request.user;
}

/**
 * Refuses (403) an operator a resource of another department (other roles pass).
 * Call it in a handler once the resource's department is known.
 */
export function assertDepartment(request: FastifyRequest, departmentCode: string): void {
  assertOwnDepartment(requirePrincipal(request), departmentCode);
}

/** The department a list must be limited to: the operator's own, or null (every department) for other roles. */
export function departmentScope(request: FastifyRequest): string | null {
  return scopeOf(requirePrincipal(request));
}

/** The account, CSRF token and expiry of the request's session (for GET /api/auth/me); 401 without one. */
export function sessionAnswer(request: FastifyRequest): SessionAnswer {
  const principal = requirePrincipal(request);
  const session = request.authSession!;
  return { ...principal, csrfToken: csrfTokenFor(session.id), expiresAt: session.expiresAt };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: Math.floor(SESSION_MAX_MS / 1000),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
}

function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/');
}

/** Null when the request's Origin (if any) is this server; browsers always send Origin on cross-site POSTs. */
function originProblem(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  let originHost: string;
  let ownHost: string;
  try {
    originHost = new URL(origin).host;
    ownHost = new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return `请求来源无效 unreadable Origin header '${origin}'`;
  }
  return originHost === ownHost ? null : `拒绝跨站请求 cross-site request refused: Origin ${origin} is not this server (${ownHost})`;
}


/** Adds the error answers the framework itself can give, the security requirement and `x-access` to a route's OpenAPI entry. */
function documentAccess(route: RouteOptions, access: Access, methods: string[]): void {
  const schema = route.schema as (Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean }) | undefined;
  if (!schema || schema.hide) return;
  const unsafe = methods.some((m) => UNSAFE_METHODS.has(m));
  const response: Record<string, unknown> = { ...(schema.response ?? {}) };
  const has = (code: number) => String(code) in response || `${String(code)[0]}xx` in response;
  const add = (code: number, description: string) => {
    if (!has(code)) response[code] = errorAnswer(description);
  };
  if (schema.body || schema.querystring || schema.params) add(400, '请求不符合模式 Request does not match the schema (the message names the field)');
  if (access !== 'public') add(401, '未登录 Not signed in');
  if (access !== 'public' || unsafe) add(403, '无权访问：角色、部门、CSRF 令牌或来源 Forbidden: role, department, CSRF token or Origin');
  const security = access === 'public' ? undefined : unsafe ? [{ sessionCookie: [], csrfToken: [] }] : [{ sessionCookie: [] }];
  route.schema = { ...schema, response, 'x-access': access, ...(security && !schema.security ? { security } : {}) } as RouteOptions['schema'];
}

export interface AuthPluginOptions {
  /** URL prefixes whose routes come from third-party plugins and are public (the OpenAPI UI). */
  publicPrefixes?: string[];
}

export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, { publicPrefixes = [] }) => {
    app.decorateRequest('user', null);
    app.decorateRequest('authSession', null);
    const table: RouteAccess[] = [];
    app.decorate('routeAccess', table);
    const resolveSession = sessionResolver(app.db);

    app.addHook('onRoute', (route) => {
      if (!isApiUrl(route.url)) return;
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
      let access = route.config?.access;
      if (access === undefined && publicPrefixes.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`))) {
        access = 'public';
        route.config = { ...route.config, access };
      }
      if (!isValidAccess(access)) {
        throw new Error(
          `route ${methods.join(',')} ${route.url} must declare who may call it: ` +
            `config: { access: 'public' | 'authenticated' | [${ROLES.map((r) => `'${r}'`).join(', ')}] } (got ${JSON.stringify(access)})`,
        );
      }
      documentAccess(route, access, methods);
      for (const method of methods) if (method !== 'HEAD') table.push({ method, url: route.url, access });
    });

    app.addHook('onRequest', async (request, reply) => {
      const { access, csrf } = request.routeOptions.config;
      if (access === undefined) return; // outside /api (pages) or no route at all (404)

      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = await resolveSession(cookie);
        if (session) {
          request.user = session.principal;
          request.authSession = { id: cookie, expiresAt: session.expiresAt };
        } else {
          clearSessionCookie(request, reply);
        }
      }

      const unsafe = UNSAFE_METHODS.has(request.method);
      if (unsafe) {
        const problem = originProblem(request);
        if (problem) throw new HttpError(403, 'forbidden', problem);
      }

      const decision = decideAccess(access, request.user, request.method);
      if (decision === 'unauthenticated') requirePrincipal(request);
      if (decision === 'forbidden') {
        throw new HttpError(
          403,
          'forbidden',
          `角色 ${request.user!.role} 无权执行此操作 role ${request.user!.role} may not ${request.method} ${request.routeOptions.url} (allowed: ${describeAccess(access)})`,
        );
      }

      if (unsafe && request.authSession && csrf !== false && !csrfTokenMatches(request.authSession.id, request.headers[CSRF_HEADER])) {
        throw new HttpError(
          403,
          'csrf',
          `缺少或错误的 CSRF 令牌 missing or wrong CSRF token: send the csrfToken from POST /api/auth/login or GET /api/auth/me in the ${CSRF_HEADER} header`,
        );
      }
    });
  },
  { name: 'fairdraw-auth', dependencies: ['@fastify/cookie', 'fairdraw-db', 'fairdraw-errors'] },
);

