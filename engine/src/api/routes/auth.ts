// Sign in and out (/api/auth/...) and account administration (/api/users, admin only).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ROLES } from '../../auth/roles.ts';
import { signIn, signOut } from '../../auth/sessions.ts';
import { createUser, listUsers, normalizeUsername, setUserDisabled, setUserPassword, UserInputError, USERNAME_PATTERN, type UserRecord } from '../../auth/users.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password.ts';
import { clearSessionCookie, errorResponse, HttpError, requirePrincipal, sessionDetails, setSessionCookie } from '../plugins/auth.ts';

export interface LoginLimits {
  /** Failed logins allowed per username and client address within the window ... */
  failuresMax: number;
  failureWindowMs: number;
  /** ... and login requests of any outcome per client address per minute. */
  requestsPerMinute: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { failuresMax: 5, failureWindowMs: 15 * 60 * 1000, requestsPerMinute: 30 };

const principalProperties = {
  username: { type: 'string' },
  role: { type: 'string', enum: ROLES },
  department: { type: ['string', 'null'], description: '部门代码，仅部门操作员 department code, operators only' },
} as const;

const sessionResponse = {
  description: '当前账户、CSRF 令牌与会话到期时间 The account, its CSRF token and when the session ends',
  type: 'object',
  required: ['username', 'role', 'department', 'csrfToken', 'expiresAt'],
  properties: {
    ...principalProperties,
    csrfToken: { type: 'string', description: '在 x-csrf-token 头中回传 send back in the x-csrf-token header on POST/PUT/PATCH/DELETE' },
    expiresAt: { type: 'string', format: 'date-time', description: '会话最迟到期时间 latest end of the session' },
  },
} as const;

const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH },
  },
} as const;

const userSchema = {
  description: '账户（不含密码） An account (never its password)',
  type: 'object',
  required: ['username', 'role', 'department', 'disabled', 'createdAt', 'lastLoginAt'],
  properties: {
    ...principalProperties,
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    lastLoginAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const passwordSchema = { type: 'string', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH } as const;

const newUserBody = {
  type: 'object',
  required: ['username', 'role', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', pattern: USERNAME_PATTERN, description: '小写字母、数字、. _ - lower-case letters, digits, . _ -' },
    role: { type: 'string', enum: ROLES },
    department: { type: ['string', 'null'], description: '部门操作员必填 required for operators, e.g. SAMR' },
    password: passwordSchema,
  },
} as const;

const userChangeBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    disabled: { type: 'boolean', description: '停用后不能登录，现有会话结束 a disabled account cannot sign in; its sessions end' },
    password: { ...passwordSchema, description: '新密码；现有会话结束 new password; existing sessions end' },
  },
} as const;

const usernameParams = {
  type: 'object',
  required: ['username'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

const toUserJson = (user: UserRecord) => ({
  ...user,
  createdAt: user.createdAt.toISOString(),
  lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
});

function clientAddress(request: FastifyRequest): string {
  return request.ip ?? 'unknown';
}

export const authRoutes: FastifyPluginAsync<{ loginLimits?: Partial<LoginLimits> }> = async (app, options) => {
  const limits = { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits };
  const failedLogins = app.createRateLimit({
    max: limits.failuresMax,
    timeWindow: limits.failureWindowMs,
    keyGenerator: (request) => `${normalizeUsername(String((request.body as { username?: unknown })?.username ?? ''))}|${clientAddress(request)}`,
  });

  app.post<{ Body: { username: string; password: string } }>(
    '/auth/login',
    {
      // Login has no session to tie a CSRF token to: SameSite cookies and the Origin check guard it.
      config: { access: 'public', csrf: false, rateLimit: { max: limits.requestsPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: '登录 Sign in',
        description: `成功时设置 HTTP-only 会话 Cookie。同一用户名和地址 ${limits.failureWindowMs / 60000} 分钟内失败 ${limits.failuresMax} 次后返回 429。 Sets the HTTP-only session cookie. After ${limits.failuresMax} failures for one username from one address within ${limits.failureWindowMs / 60000} minutes, answers 429.`,
        body: loginBody,
        response: {
          200: sessionResponse,
          401: { ...errorResponse, description: '用户名或密码错误 Wrong username or password' },
          429: { ...errorResponse, description: '尝试过多 Too many attempts' },
        },
      },
    },
    async (request, reply) => {
      const before = await failedLogins(request, { increment: false });
      if (!before.isAllowed && before.remaining === 0) {
        reply.header('retry-after', before.ttlInSeconds);
        throw new HttpError(
          429,
          'too many attempts',
          `登录失败次数过多，请 ${Math.ceil(before.ttlInSeconds / 60)} 分钟后再试 too many failed logins for this account from your address: try again in ${Math.ceil(before.ttlInSeconds / 60)} minutes`,
        );
      }
      const result = await signIn(app.db, {
        username: request.body.username,
        password: request.body.password,
        ip: clientAddress(request),
        userAgent: request.headers['user-agent'] ?? null,
      });
      if (!result.ok) {
        await failedLogins(request);
        request.log.warn({ username: normalizeUsername(request.body.username), reason: result.reason }, 'login failed');
        throw new HttpError(401, 'unauthenticated', '用户名或密码错误 wrong username or password');
      }
      if (request.authSession) await signOut(app.db, request.authSession.id, null);
      setSessionCookie(request, reply, result.sessionId);
      return { ...result.principal, csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: '退出登录 Sign out',
        description: '结束当前会话并清除 Cookie；未登录时也成功。 Ends the current session and clears the cookie; succeeds when not signed in too.',
        response: { 204: { description: '已退出 Signed out', type: 'null' } },
      },
    },
    async (request, reply) => {
      if (request.authSession) await signOut(app.db, request.authSession.id, request.user);
      clearSessionCookie(request, reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], summary: '当前用户 The signed-in account and its CSRF token', response: { 200: sessionResponse } },
    },
    async (request) => {
      return { ...requirePrincipal(request), ...sessionDetails(request) };
    },
  );

  // The dashboard asks this on every page load, signed in or not; a 200 either way keeps the console clean.
  app.get(
    '/auth/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: '当前会话（未登录时 user 为 null） The session, if any: the account and its CSRF token, or null',
        response: { 200: { type: 'object', required: ['user'], properties: { user: { anyOf: [{ type: 'null' }, sessionResponse] } } } },
      },
    },
    async (request) => ({ user: request.user ? { ...request.user, ...sessionDetails(request) } : null }),
  );
};

export const userRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: '用户列表 All accounts',
        response: { 200: { description: '全部账户 Every account', type: 'object', required: ['users'], properties: { users: { type: 'array', items: userSchema } } } },
      },
    },
    async () => ({ users: (await listUsers(app.db)).map(toUserJson) }),
  );

  app.post<{ Body: { username: string; role: string; department?: string | null; password: string } }>(
    '/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: '创建用户 Create an account',
        body: newUserBody,
        response: { 201: userSchema, 409: { ...errorResponse, description: '用户名已存在 Username taken' } },
      },
    },
    async (request, reply) => {
      const actor = requirePrincipal(request).username;
      const user = await app.db.transaction((tx) => createUser(tx, request.body, actor));
      return reply.code(201).send(toUserJson(user));
    },
  );

  app.patch<{ Params: { username: string }; Body: { disabled?: boolean; password?: string } }>(
    '/users/:username',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: '停用、启用或重设密码 Disable, enable, or reset the password of an account',
        params: usernameParams,
        body: userChangeBody,
        response: { 200: userSchema, 404: { ...errorResponse, description: '没有这个用户 No such account' } },
      },
    },
    async (request) => {
      const actor = requirePrincipal(request).username;
      const { username } = request.params;
      const { disabled, password } = request.body;
      if (disabled === true && normalizeUsername(username) === actor) {
        throw new UserInputError('disabled', true, '不能停用自己的账户 you cannot disable your own account');
      }
      const user = await app.db.transaction(async (tx) => {
        let changed: UserRecord | undefined;
        if (password !== undefined) changed = await setUserPassword(tx, username, password, actor);
        if (disabled !== undefined) changed = await setUserDisabled(tx, username, disabled, actor);
        return changed!;
      });
      return toUserJson(user);
    },
  );
};
