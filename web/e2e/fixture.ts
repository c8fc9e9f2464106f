// What every browser-test file starts from: a private copy of the demo province served by the real server, and a
// headless Chromium, started before the file's tests and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, openBrowser, startFairdraw, type ApiClient, type Fairdraw, type Username } from './harness.ts';

export interface BrowserFixture {
  app: Fairdraw;
  browser: Browser;
  /** A JSON client signed in as `apiAs` (anonymous without it), to compare what a page shows with what the API answers. */
  api: ApiClient;
}

/** Call at the top of a describe block; the fields are there once its tests run. */
export function useFairdraw(options: { apiAs?: Username } = {}): BrowserFixture {
  const fixture = {} as BrowserFixture;
  beforeAll(async () => {
    fixture.app = await startFairdraw();
    fixture.browser = await openBrowser();
    fixture.api = await apiAs(fixture.app, options.apiAs);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.app?.stop();
  });
  return fixture;
}
