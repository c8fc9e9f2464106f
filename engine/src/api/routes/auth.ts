// Sign in and out (/api/auth/...) and account administration (/api/users, admin only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '../../kernel/schema.ts';
import { signIn, signOut } from '../../auth/sessions.ts';
import { addUser, changeUser, listUsers, normalizeUsername } from '../../auth/users.ts';
import { LoginBody, NewUser, SessionAnswer, UserChange, UserRecord } from '../../auth/schemas.ts';
import { clearSessionCookie, HttpError, requirePrincipal, sessionAnswer, setSessionCookie } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';
import { routesTagged } from '../route.ts';

const authRoute = routesTagged('auth');
const userRoute = routesTagged('users');

export interface LoginLimits {
  /** Failed logins allowed per username and client address within the window ... */
  failuresMax: number;
  failureWindowMs: number;
  /** ... and login requests of any outcome per client address per minute. */
  requestsPerMinute: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { failuresMax: 5, failureWindowMs: 15 * 60 * 1000, requestsPerMinute: 30 };

const ADMIN = ['admin'] as const;

function clientAddress(request: FastifyRequest): string {
  return request.ip ?? 'unknown';
}

export const authRoutes: FastifyPluginAsyncTypebox<{ loginLimits?: Partial<LoginLimits> }> = async (app, options) => {
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits };
  const failedLogins = app.createRateLimit({
    max: limits.failuresMax,
    timeWindow: limits.failureWindowMs,
    keyGenerator: (request) => `${normalizeUsername(String((request.body as { username?: unknown })?.username ?? ''))}|${clientAddress(request)}`,
  });

  app.post(
    '/auth/login',
    {
      // Login has no session to tie a CSRF token to: SameSite cookies and the Origin check guard it.
      config: { access: 'public', csrf: false, rateLimit: { max: limits.requestsPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: '登录 Sign in',
        description: `成功时设置 HTTP-only 会话 Cookie。同一用户名和地址 ${limits.failureWindowMs / 60000} 分钟内失败 ${limits.failuresMax} 次后返回 429。 Sets the HTTP-only session cookie. After ${limits.failuresMax} failures for one username from one address within ${limits.failureWindowMs / 60000} minutes, answers 429.`,
        body: LoginBody,
        response: {
          200: SessionAnswer,
          401: errorAnswer('用户名或密码错误 Wrong username or password'),
          429: errorAnswer('尝试过多 Too many attempts'),
        },
      },
    },
    async (request, reply) => {
      const before = await failedLogins(request, { increment: false });
      if (!before.isAllowed && before.remaining === 0) {
        reply.header('retry-after', before.ttlInSeconds);
        const minutes = Math.ceil(before.ttlInSeconds / 60);
        throw new HttpError(429, 'too many attempts', `登录失败次数过多，请 ${minutes} 分钟后再试 too many failed logins for this account from your address: try again in ${minutes} minutes`);
      }
      const result = await signIn(app.db, { ...request.body, ip: clientAddress(request), userAgent: request.headers['user-agent'] ?? null });
      if (!result.ok) {
        await failedLogins(request);
        request.log.warn({ username: normalizeUsername(request.body.username), reason: result.reason }, 'login failed');
        throw new HttpError(401, 'unauthenticated', '用户名或密码错误 wrong username or password');
      }
      if (request.authSession) await signOut(app.db, request.authSession.id, null);
      setSessionCookie(request, reply, result.sessionId);
      return { ...result.principal, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
    },
  );

  app.post('/auth/logout', authRoute('public', {
    summary: '退出登录 Sign out',
    description: '结束当前会话并清除 Cookie；未登录时也成功。 Ends the current session and clears the cookie; succeeds when not signed in too.',
    response: { 204: Type.Null({ description: '已退出 Signed out' }) },
  }), async (request, reply) => {
    if (request.authSession) await signOut(app.db, request.authSession.id, request.user);
    clearSessionCookie(request, reply);
    return reply.code(204).send(null);
  });

  app.get('/auth/me', authRoute('authenticated', { summary: '当前用户 The signed-in account and its CSRF token', response: { 200: SessionAnswer } }), async (request) => sessionAnswer(request));

  // The dashboard asks this on every page load, signed in or not; a 200 either way keeps the console clean.
  app.get('/auth/session', authRoute('public', {
    summary: '当前会话（未登录时 user 为 null） The session, if any: the account and its CSRF token, or null',
    response: { 200: Type.Object({ user: Type.Union([Type.Null(), SessionAnswer]) }) },
  }), async (request) => ({ user: request.user ? sessionAnswer(request) : null }));
};

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/users', userRoute(ADMIN, {
    summary: '用户列表 All accounts',
    response: { 200: Type.Object({ users: Type.Array(UserRecord) }, { description: '全部账户 Every account' }) },
  }), async () => ({ users: await listUsers(app.db) }));

  app.post('/users', userRoute(ADMIN, { summary: '创建用户 Create an account', body: NewUser, response: { 201: UserRecord, 409: errorAnswer('用户名已存在 Username taken') } }), async (request, reply) => reply.code(201).send(await addUser(app.db, request.body, requirePrincipal(request).username)));

  app.patch('/users/:username', userRoute(ADMIN, {
    summary: '停用、启用或重设密码 Disable, enable, or reset the password of an account',
    params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }),
    body: UserChange,
    response: { 200: UserRecord, 404: errorAnswer('没有这个用户 No such account') },
  }), async (request) => changeUser(app.db, request.params.username, request.body, requirePrincipal(request).username));
};
