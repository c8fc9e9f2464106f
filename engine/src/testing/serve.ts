// Test and bench helper: the real `fairdraw serve` in its own process on a free loopback port, for tests and benches
// that reach the API over HTTP (server.test.ts, the browser tests' harness, `npm run bench -- api|pages`).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../kernel/config.ts';

export interface ServedDatabase {
  baseUrl: string;
  dbPath: string;
  /** The server process's id (its memory can be read from /proc). */
  pid: number;
  /** What the server has written to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on (the OS picks it; the probe closes before the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
    probe.on('error', reject);
  });
}

/** `fairdraw serve --no-demo` on `dbPath` on a free port, once it answers /api/health (within 120 s). */
export async function serveDatabase(dbPath: string, options: { nodeArgs?: string[] } = {}): Promise<ServedDatabase> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), resolve(REPO_ROOT, 'engine/bin/fairdraw.js'), 'serve', '--db', dbPath, '--no-demo'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let waitedMs = 0; ; waitedMs += 200) {
    if (child.exitCode !== null) throw new Error(`fairdraw serve on ${dbPath} exited (${child.exitCode}):\n${output}`);
    if (waitedMs > 120_000) {
      await stop();
      throw new Error(`fairdraw serve on ${dbPath} did not answer within 120 s:\n${output}`);
    }
    if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) break;
    await sleep(200);
  }
  return { baseUrl, dbPath, pid: child.pid!, output: () => output, stop };
}
