import { sql } from '../db/sql.ts';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { tempDb } from '../testing/db.ts';
import { buildApp } from './app.ts';
import { assertDepartment, departmentScope } from './plugins/auth.ts';
import { createTestAccounts, headersFor, TEST_ACCOUNTS } from '../auth/test-support.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';

type App = Awaited<ReturnType<typeof buildApp>>;

function sessionCookie(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = all.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!line) throw new Error(`no ${SESSION_COOKIE} cookie in ${JSON.stringify(all)}`);
  return line;
}

async function login(app: App, username: string, password: string) {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const cookie = response.statusCode === 200 ? sessionCookie(response.headers['set-cookie']).split(';')[0] : '';
  return { response, headers: { cookie, 'x-csrf-token': response.statusCode === 200 ? (response.json().csrfToken as string) : '' } };
}

describe('auth API', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let app: App;
  const admin = TEST_ACCOUNTS.admin;

  beforeAll(async () => {
    t = await tempDb({ reference: true });
    await createTestAccounts(t.db);
    app = await buildApp({ db: t.db });
    // A route of a later issue, to exercise department scoping.
    app.get<{ Params: { department: string } }>(
      '/api/test/departments/:department',
      { config: { access: ['admin', 'analyst', 'leader', 'operator'] } },
      async (request) => {
        assertDepartment(request, request.params.department);
        return { department: request.params.department, scope: departmentScope(request) };
      },
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    t.cleanup();
  });

  it('logs in: 200 with the account and a CSRF token, an HttpOnly SameSite=Strict session cookie', async () => {
    const { response } = await login(app, 'T-Admin', admin.password);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ username: 't-admin', role: 'admin', department: null });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    const cookie = sessionCookie(response.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // plain http here; Secure is set when the request is https
    expect(JSON.stringify(body)).not.toContain(cookie.split(';')[0].split('=')[1]);
  });

  it('answers wrong password and unknown user with the same 401', async () => {
    const wrong = (await login(app, admin.username, 'not the password')).response;
    const unknown = (await login(app, 'nobody-here', 'not the password')).response;
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('GET /api/auth/me gives the account and the same CSRF token; 401 without a session', async () => {
    const { response, headers } = await login(app, TEST_ACCOUNTS.operatorSAMR.username, TEST_ACCOUNTS.operatorSAMR.password);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: headers.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 't-op-samr', role: 'operator', department: 'SAMR', csrfToken: response.json().csrfToken });
    const anonymous = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().message).toMatch(/Sign in/);
    const forged = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` } });
    expect(forged.statusCode).toBe(401);
    expect(String(forged.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });

  it('GET /api/auth/session answers 200 with the account, or with user null when signed out', async () => {
    const { response, headers } = await login(app, TEST_ACCOUNTS.analyst.username, TEST_ACCOUNTS.analyst.password);
    const signedIn = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: headers.cookie } });
    expect(signedIn.json().user).toMatchObject({ role: 'analyst', csrfToken: response.json().csrfToken });
    const anonymous = await app.inject({ method: 'GET', url: '/api/auth/session' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ user: null });
  });

  it('requires the CSRF token on state-changing requests of a signed-in user: 403 with a clear message', async () => {
    const { headers } = await login(app, admin.username, admin.password);
    const body = { username: 'new-analyst', role: 'analyst', password: 'a new analyst password' };
    const missing = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: headers.cookie }, payload: body });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ error: 'csrf', message: expect.stringMatching(/missing or wrong CSRF token.*x-csrf-token/) });
    const wrong = await app.inject({ method: 'POST', url: '/api/users', headers: { ...headers, 'x-csrf-token': 'x'.repeat(43) }, payload: body });
    expect(wrong.statusCode).toBe(403);
    const other = await headersFor(t.db, 'admin'); // another session's token does not fit this one
    const crossed = await app.inject({ method: 'POST', url: '/api/users', headers: { ...headers, 'x-csrf-token': other['x-csrf-token'] }, payload: body });
    expect(crossed.statusCode).toBe(403);
    expect(await t.db.one(sql`SELECT 1 AS x FROM users WHERE username = 'new-analyst'`)).toBeUndefined();
    const right = await app.inject({ method: 'POST', url: '/api/users', headers, payload: body });
    expect(right.statusCode).toBe(201);
    expect(right.json()).toMatchObject({ username: 'new-analyst', role: 'analyst', department: null, disabled: false, lastLoginAt: null });
  });

  it('refuses state-changing requests from another Origin, login included', async () => {
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example', host: 'fairdraw.local:3000' },
      payload: { username: admin.username, password: admin.password },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toMatch(/cross-site request refused: Origin https:\/\/evil.example/);
    const same = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'http://fairdraw.local:3000', host: 'fairdraw.local:3000' },
      payload: { username: admin.username, password: admin.password },
    });
    expect(same.statusCode).toBe(200);
  });

  it('logout needs the CSRF token, ends the session and clears the cookie', async () => {
    const { headers } = await login(app, TEST_ACCOUNTS.leader.username, TEST_ACCOUNTS.leader.password);
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: headers.cookie } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers });
    expect(out.statusCode).toBe(204);
    expect(sessionCookie(out.headers['set-cookie'])).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('rejects bodies that break the schema with 400 naming the field', async () => {
    const noPassword = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json().message).toMatch(/password/);
    const headers = await headersFor(t.db, 'admin');
    const badRole = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { username: 'someone', role: 'root', password: 'long enough password' } });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().message).toMatch(/role/);
    const shortPassword = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { username: 'someone', role: 'admin', password: 'short' } });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.json().message).toMatch(/password/);
    const noDepartment = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { username: 'someone', role: 'operator', password: 'long enough password' } });
    expect(noDepartment.statusCode).toBe(400);
    expect(noDepartment.json().message).toMatch(/^department null: .*operator must belong/);
    const taken = await app.inject({ method: 'POST', url: '/api/users', headers, payload: { username: 't-leader', role: 'leader', password: 'long enough password' } });
    expect(taken.statusCode).toBe(409);
  });

  it('a disabled account cannot log in and its sessions end; an admin cannot disable itself', async () => {
    const user = TEST_ACCOUNTS.operatorTAX;
    const { headers: operator } = await login(app, user.username, user.password);
    const adminHeaders = await headersFor(t.db, 'admin');
    const disable = await app.inject({ method: 'PATCH', url: `/api/users/${user.username}`, headers: adminHeaders, payload: { disabled: true } });
    expect(disable.statusCode).toBe(200);
    expect(disable.json()).toMatchObject({ username: user.username, disabled: true });
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: operator })).statusCode).toBe(401);
    expect((await login(app, user.username, user.password)).response.statusCode).toBe(401);
    const self = await app.inject({ method: 'PATCH', url: `/api/users/${admin.username}`, headers: adminHeaders, payload: { disabled: true } });
    expect(self.statusCode).toBe(400);
    const missing = await app.inject({ method: 'PATCH', url: '/api/users/ghost', headers: adminHeaders, payload: { disabled: true } });
    expect(missing.statusCode).toBe(404);
    await app.inject({ method: 'PATCH', url: `/api/users/${user.username}`, headers: adminHeaders, payload: { disabled: false } });
    expect((await login(app, user.username, user.password)).response.statusCode).toBe(200);
  });

  it('lists accounts for admins, without password hashes', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/users', headers: await headersFor(t.db, 'admin') });
    expect(list.statusCode).toBe(200);
    expect(list.json().users.map((u: { username: string }) => u.username)).toContain('t-op-samr');
    expect(list.body).not.toMatch(/scrypt|password/);
  });

  it('audits logins and failures without passwords', async () => {
    const rows = await t.db.query<{ action: string; subject: string; payload: string }>(sql`SELECT action, subject, payload::VARCHAR AS payload FROM audit_log WHERE action IN ('auth.login', 'auth.login_failed', 'auth.logout', 'user.create', 'user.disable') ORDER BY seq`,
    );
    const actions = new Set(rows.map((r) => r.action));
    expect([...actions].sort()).toEqual(['auth.login', 'auth.login_failed', 'auth.logout', 'user.create', 'user.disable']);
    expect(rows.find((r) => r.action === 'auth.login_failed' && r.subject === 'nobody-here')).toBeDefined();
    const all = rows.map((r) => r.payload).join('\n');
    expect(all).not.toContain('not the password');
    for (const account of Object.values(TEST_ACCOUNTS)) expect(all).not.toContain(account.password);
  });

  it('limits operators to their own department; other roles see all', async () => {
    const get = async (caller: 'operatorSAMR' | 'leader' | 'analyst', department: string) =>
      app.inject({ method: 'GET', url: `/api/test/departments/${department}`, headers: await headersFor(t.db, caller) });
    const own = await get('operatorSAMR', 'SAMR');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual({ department: 'SAMR', scope: 'SAMR' });
    const foreign = await get('operatorSAMR', 'TAX');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toMatch(/own department \(SAMR\); this resource belongs to TAX/);
    expect((await get('leader', 'TAX')).json()).toEqual({ department: 'TAX', scope: null });
    expect((await get('analyst', 'TAX')).statusCode).toBe(200);
  });

  it('refuses to register an /api route that does not declare its access', async () => {
    const fresh = await buildApp({ db: t.db });
    expect(() => fresh.get('/api/forgotten', async () => ({}))).toThrow(/route GET \/api\/forgotten must declare who may call it: config: \{ access:/);
    expect(() => fresh.get('/api/typo', { config: { access: ['root' as 'admin'] } }, async () => ({}))).toThrow(/must declare/);
    expect(() => fresh.get('/not-api', async () => ({}))).not.toThrow();
    await fresh.close();
  });

  it('serves the OpenAPI document and the Swagger UI without login', async () => {
    const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE });
    expect(doc.paths['/api/auth/login'].post.responses).toHaveProperty('429');
    expect(doc.paths['/api/users'].post.security).toEqual([{ sessionCookie: [], csrfToken: [] }]);
    const ui = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('login throttling', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
    await createTestAccounts(t.db);
  });
  afterAll(() => t.cleanup());

  it('answers 429 after 5 failed logins for one username and address, even with the right password', async () => {
    const app = await buildApp({ db: t.db });
    const { username, password } = TEST_ACCOUNTS.analyst;
    const attempt = (pw: string, name = username) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password: pw } });
    for (let i = 1; i <= 5; i++) expect((await attempt(`wrong password ${i}`)).statusCode).toBe(401);
    const blocked = await attempt(password);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    expect(blocked.json().message).toMatch(/too many failed logins.*15 minutes/);
    // another account from the same address is not blocked
    expect((await attempt(TEST_ACCOUNTS.leader.password, TEST_ACCOUNTS.leader.username)).statusCode).toBe(200);
    await app.close();
  });

  it('caps login requests per address per minute', async () => {
    const app = await buildApp({ db: t.db, loginLimits: { requestsPerMinute: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'POST', url: '/api/auth/login', payload: {} })).statusCode);
    expect(statuses).toEqual([400, 400, 400, 429]);
    await app.close();
  });
});
