import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../kernel/config.ts';
import { openDatabase } from '../../open.ts';
import { verifyLogin } from '../../auth/users.ts';
import { userCommand } from './user.ts';
import { sql } from '../../db/sql.ts';

const CLI = resolve(REPO_ROOT, 'engine/bin/fairdraw.js');

/** Runs the real CLI in a child process with `input` on standard input (not a terminal). */
function runCli(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, TZ: 'Asia/Shanghai', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('fairdraw user', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-user-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('user add reads the password from standard input; a weak one is refused', async () => {
    const good = join(dir, 'good.duckdb');
    const weak = join(dir, 'weak.duckdb');
    const [added, refused] = await Promise.all([
      runCli(['user', 'add', 'Zhang.San', '--role', 'operator', '--department', 'SAMR', '--db', good], 'piped in password 42\nsecond line is ignored\n'),
      runCli(['user', 'add', 'li.si', '--role', 'admin', '--db', weak], 'short\n'),
    ]);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(added.stdout).toContain('created user zhang.san (role operator, department SAMR)');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/password: .*at least 10 characters/);

    const db = await openDatabase({ path: good });
    try {
      expect(await verifyLogin(db, 'zhang.san', 'piped in password 42')).toEqual({ ok: true, principal: { username: 'zhang.san', role: 'operator', department: 'SAMR' } });
      const audit = await db.one<{ actor: string; payload: string }>(sql`SELECT actor, payload::VARCHAR AS payload FROM audit_log WHERE action = 'user.create'`);
      expect(audit!.actor).toMatch(/^cli/);
      expect(audit!.payload).not.toContain('piped');
    } finally {
      db.close();
    }
  });

  it('user list, disable and enable work on the same database', async () => {
    const dbPath = join(dir, 'good.duckdb');
    const run = async (...args: string[]) => {
      const program = new Command('fairdraw').exitOverride();
      userCommand(program);
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
      await program.parseAsync(['user', ...args, '--db', dbPath], { from: 'user' });
      vi.restoreAllMocks();
      return printed.join('\n');
    };
    expect(await run('disable', 'ZHANG.SAN')).toContain('zhang.san: 已停用 disabled');
    expect(JSON.parse(await run('list', '--json'))).toMatchObject([{ username: 'zhang.san', role: 'operator', department: 'SAMR', disabled: true }]);
    expect(await run('enable', 'zhang.san')).toContain('enabled');
    expect(await run('list')).toMatch(/zhang\.san\s+operator\s+SAMR\s+active/);
    await expect(run('disable', 'nobody')).rejects.toThrow(/no such account/);
  });
});
