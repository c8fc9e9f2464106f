import { describe, it, expect, afterEach, vi } from 'vitest';
import { getSession, login, logout } from './auth';

const user = { username: 'leader', role: 'leader', department: null, csrfToken: 'token-2', expiresAt: '2026-12-31T00:00:00Z' };

afterEach(() => vi.unstubAllGlobals());

describe('signing in and out', () => {
  it('reads the session from the request app.html started, else asks for it', async () => {
    const fetch = vi.fn(async () => Response.json({ user }));
    vi.stubGlobal('fetch', fetch);
    expect(await getSession(Promise.resolve(Response.json({ user: null })))).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
    expect(await getSession()).toEqual(user);
    expect(fetch).toHaveBeenCalledWith('/api/auth/session', expect.objectContaining({ credentials: 'same-origin' }));
  });

  it('fails loudly when the server cannot say who is signed in', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 503, statusText: 'Service Unavailable' })));
    await expect(getSession()).rejects.toThrow('503 Service Unavailable');
  });

  it('signs in with the password as JSON and answers the account', async () => {
    const fetch = vi.fn(async () => Response.json(user));
    vi.stubGlobal('fetch', fetch);
    expect(await login('leader', 'secret words')).toEqual(user);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/auth/login');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ username: 'leader', password: 'secret words' });
  });

  it('says a refused sign-in in the language shown only, and nobody is redirected', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ error: 'unauthenticated', message: '用户名或密码错误 wrong username or password' }, { status: 401 })));
    await expect(login('leader', 'wrong')).rejects.toThrow(/^用户名或密码错误$/);
  });

  it('signs out with the CSRF token when there is one', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    await logout('token-2');
    await logout(undefined);
    const headers = fetch.mock.calls.map((c) => (c as unknown as [string, RequestInit])[1].headers);
    expect(headers).toEqual([{ 'x-csrf-token': 'token-2' }, {}]);
  });
});
