// Test support for API tests: the app over a test database with the five test accounts, each request sent as one of the
// test callers (a fresh session each time), and the clock held at a moment.
import { afterAll, beforeAll, vi } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { createTestAccounts, headersFor, type Caller } from '../auth/test-support.ts';
import { tempDb, type TempDb } from '../testing/db.ts';
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

/** A fresh database with the reference data (regions, departments, items...), for apiForBlock. */
export const referenceDb = (): Promise<TempDb> => tempDb({ reference: true });

/**
 * The app of a describe block, over the database `open` makes once before its tests; `use` takes what the tests
 * need. After the last test the app closes and the database is removed.
 */
export function apiForBlock<T extends { db: Db; cleanup(): void }>(use: (api: TestApi, opened: T) => unknown, open: () => Promise<T>, options: { accounts?: boolean } = {}): void {
  let opened: T | undefined;
  let api: TestApi | undefined;
  beforeAll(async () => {
    opened = await open();
    api = await testApi(opened.db, options);
    await use(api, opened);
  });
  afterAll(async () => {
    await api?.close();
    opened?.cleanup();
  });
}

/** Holds the clock (Date only) at `at` until vi.useRealTimers(). */
export function holdClock(at: Date): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}
