// Headers and cookies: a Content-Security-Policy that allows the built app's inline boot scripts by hash and nothing
// from elsewhere, no framing, nosniff; the session cookie Secure behind a trusted TLS proxy only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { tempDb } from '../testing/db.ts';
import { createTestAccounts, TEST_ACCOUNTS } from '../auth/test-support.ts';
import { buildApp } from './app.ts';
import { inlineScriptHashes, trustProxyFrom } from './plugins/security.ts';

const BOOT = 'window.__boot = 1;';

describe('security headers', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  let webRoot: string;
  beforeAll(async () => {
    t = await tempDb({ reference: true });
    await createTestAccounts(t.db);
    webRoot = mkdtempSync(join(tmpdir(), 'fairdraw-web-'));
    writeFileSync(join(webRoot, 'index.html'), `<!doctype html><html><head><script>${BOOT}</script><script type="module" src="/app.js"></script></head><body></body></html>`);
  });
  afterAll(() => {
    t.cleanup();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('sends a CSP that allows the inline boot script by its hash, and no framing or sniffing', async () => {
    const app = await buildApp({ db: t.db, webRoot });
    try {
      for (const url of ['/', '/api/health']) {
        const response = await app.inject({ method: 'GET', url });
        const csp = String(response.headers['content-security-policy']);
        expect(csp).toContain(`script-src 'self' 'sha256-${createHash('sha256').update(BOOT).digest('base64')}'`);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toMatch(/unsafe-eval/);
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      }
    } finally {
      await app.close();
    }
  });

  it('hashes inline scripts only, not scripts loaded by src', () => {
    expect(inlineScriptHashes('<script src="/a.js"></script><script>x</script>')).toEqual([`'sha256-${createHash('sha256').update('x').digest('base64')}'`]);
  });

  const login = async (trustProxy: boolean | string[]) => {
    const app = await buildApp({ db: t.db, trustProxy });
    try {
      const { username, password } = TEST_ACCOUNTS.leader;
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: { 'x-forwarded-proto': 'https' }, remoteAddress: '127.0.0.1' });
      expect(response.statusCode).toBe(200);
      return String(response.headers['set-cookie']);
    } finally {
      await app.close();
    }
  };

  it('marks the session cookie Secure behind a trusted TLS proxy, and only then', async () => {
    expect(await login(['127.0.0.1'])).toMatch(/; Secure/);
    expect(await login(false)).not.toMatch(/; Secure/);
  });

  it('reads FAIRDRAW_TRUST_PROXY', () => {
    expect(trustProxyFrom(undefined)).toBe(false);
    expect(trustProxyFrom('true')).toBe(true);
    expect(trustProxyFrom('127.0.0.1, 10.0.0.0/8')).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });
});
