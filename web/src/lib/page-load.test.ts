import { describe, it, expect, vi, beforeEach } from 'vitest';
import { isRedirect } from '@sveltejs/kit';

const state = vi.hoisted(() => ({ session: { user: null as null | { username: string; role: string } }, loadSession: vi.fn() }));
vi.mock('./session.svelte', () => state);

const { signedIn } = await import('./page-load');

function event(href: string) {
  const untracked: string[] = [];
  return {
    url: new URL(href),
    untracked,
    untrack<T>(fn: () => T): T {
      const value = fn();
      untracked.push(String(value));
      return value;
    },
  };
}

beforeEach(() => {
  state.loadSession.mockReset().mockResolvedValue(null);
  state.session.user = null;
});

describe("a signed-in page's load", () => {
  it('answers the account once the session is known', async () => {
    state.loadSession.mockImplementation(async () => (state.session.user = { username: 'leader', role: 'leader' }));
    expect(await signedIn(event('http://x/ratios'))).toEqual({ username: 'leader', role: 'leader' });
    expect(state.loadSession).toHaveBeenCalledOnce();
  });

  it('takes the account signed in since the session was first read', async () => {
    state.session.user = { username: 'admin', role: 'admin' };
    expect(await signedIn(event('http://x/audit'))).toEqual({ username: 'admin', role: 'admin' });
  });

  it('sends a visitor without an account to the sign-in form, and back afterwards, without tracking the URL', async () => {
    const e = event('http://x/audit?task=T2026-0001');
    const err = await signedIn(e).catch((thrown: unknown) => thrown);
    expect(isRedirect(err)).toBe(true);
    expect(err).toMatchObject({ status: 307, location: '/login?next=%2Faudit%3Ftask%3DT2026-0001' });
    expect(e.untracked).toEqual(['/audit?task=T2026-0001']);
  });
});
