// Integration: the real `fairdraw serve` process on a real DuckDB file, reached over HTTP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { REPO_ROOT } from '../kernel/config.ts';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
    probe.on('error', fail);
  });
}

describe('fairdraw serve', () => {
  let server: ChildProcess;
  let dir: string;
  let base: string;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-serve-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [resolve(REPO_ROOT, 'engine/bin/fairdraw.js'), 'serve', '--no-demo', '--db', join(dir, 'serve.duckdb')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    while (!output.includes('is serving')) {
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(() => {
    server?.kill('SIGTERM');
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
    const { spawnSync } = await import('node:child_process');
    const cli = spawnSync(process.execPath, [resolve(REPO_ROOT, 'engine/bin/fairdraw.js'), 'policy', 'set', '--ratios', 'A=300', '--reason', 'test', '--db', join(dir, 'serve.duckdb')], { encoding: 'utf8' });
    expect(cli.status).not.toBe(0);
    expect(cli.stderr).toContain('Only one process may write');
  });
});
