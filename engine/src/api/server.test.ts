// Integration: the real `fairdraw serve` process on a real DuckDB file, reached over HTTP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../kernel/config.ts';
import { serveDatabase, type ServedDatabase } from '../testing/serve.ts';

describe('fairdraw serve', () => {
  let server: ServedDatabase;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-serve-'));
    server = await serveDatabase(join(dir, 'serve.duckdb'));
    base = server.baseUrl;
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /api/health with its status only', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document listing the health route', async () => {
    const doc = await (await fetch(`${base}/api/docs/json`)).json();
    expect(Object.keys(doc.paths)).toContain('/api/health');
  });

  it('refuses a second writer on the same file with a message naming what to do', async () => {
    const cli = spawnSync(process.execPath, [resolve(REPO_ROOT, 'engine/bin/fairdraw.js'), 'policy', 'set', '--ratios', 'A=300', '--reason', 'test', '--db', join(dir, 'serve.duckdb')], { encoding: 'utf8' });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain('Only one process may write');
  });
});
