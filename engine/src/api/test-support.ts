// Test support for API tests: the app over a test database with the five test accounts, each request sent as one of the
// test callers (a fresh session each time), and the clock held at a moment.
import { vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { createTestAccounts, headersFor, type Caller } from '../auth/test-support.ts';
import { tempDb } from '../testing/db.ts';
import type { LightMyRequestResponse as Response } from 'fastify';
import { buildApp } from './app.ts';

export type App = Awaited<ReturnType<typeof buildApp>>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TestApi {
  app: App;
  /** A request as `caller`; `headers` (accept, a multipart boundary) go beside its session cookie and CSRF token. */
  call(caller: Caller, method: Method, url: string, payload?: string | object | Buffer, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function testApi(db: Db, options: { accounts?: boolean } = {}): Promise<TestApi> {
  if (options.accounts !== false) await createTestAccounts(db);
  const app = await buildApp({ db });
  await app.ready();
  return {
    app,
    call: async (caller, method, url, payload, headers = {}) =>
      app.inject({ method, url, headers: { ...(await headersFor(db, caller)), ...headers }, ...(payload !== undefined ? { payload } : {}) }),
    close: () => app.close(),
  };
}

/** A fresh database with the reference data and the test accounts, and the app over it; close() removes both. */
export async function referenceApi(): Promise<TestApi & { db: Db }> {
  const t = await tempDb({ reference: true });
  const api = await testApi(t.db);
  return {
    ...api,
    db: t.db,
    close: async () => {
      await api.close();
      t.cleanup();
    },
  };
}

/** Holds the clock (Date only) at `at` until vi.useRealTimers(). */
export function holdClock(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}
