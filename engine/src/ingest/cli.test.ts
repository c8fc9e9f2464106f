// `fairdraw import` as a user runs it: the readable report, --json, and the exit status.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { DATA_DIR, REPO_ROOT } from '../kernel/config.ts';
import { tempDb } from '../testing/db.ts';
import { loadReference } from '../reference/load.ts';
import { importCommand } from '../cli/commands/import.ts';

const CLI = resolve(REPO_ROOT, 'engine/bin/fairdraw.js');
const FIXTURES = resolve(DATA_DIR, 'fixtures/import');

let t: Awaited<ReturnType<typeof tempDb>>;
let bad: string;
beforeAll(async () => {
  t = await tempDb();
  await t.db.transaction((tx) => loadReference(tx));
  t.db.close(); // the command opens the file itself
  bad = join(t.dir, 'bad.csv');
  writeFileSync(bad, readFileSync(join(FIXTURES, 'entities.csv'), 'utf8').replace('2019-11-02', '2024-02-30'));
});
afterAll(() => t.cleanup());
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs the command in this process, capturing what it prints and the exit status it sets. */
async function run(...args: string[]): Promise<{ status: number; stdout: string; error?: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const program = new Command('fairdraw').exitOverride();
  importCommand(program);
  try {
    await program.parseAsync(['import', ...args, '--db', t.path], { from: 'user' });
    return { status: Number(process.exitCode ?? 0), stdout };
  } catch (err) {
    return { status: 1, stdout, error: (err as Error).message };
  } finally {
    process.exitCode = undefined;
  }
}

describe('fairdraw import', () => {
  it('prints the counts in Chinese and English; --json gives the report; re-running finds every row unchanged', async () => {
    const first = await run('entities', join(FIXTURES, 'entities.csv'));
    expect(first).toMatchObject({ status: 0 });
    expect(first.stdout).toContain('  新增 accepted      8\n  更新 updated       0\n  未变 unchanged     0\n  拒绝 rejected      0\n');
    expect(first.stdout).toContain('导入完成 / Import complete.');
    const second = await run('entities', join(FIXTURES, 'entities.csv'), '--json');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ kind: 'entities', rows: 8, accepted: 0, updated: 0, unchanged: 8, rejected: [], rejectedTotal: 0, written: true });
  });

  it('lists rejected rows and sets exit status 2', async () => {
    const text = await run('entities', bad);
    expect(text.status).toBe(2);
    expect(text.stdout).toContain('       3  established_on  "2024-02-30"  日期不存在：2024年2月只有29天 / not a calendar date: February 2024 has 29 days');
    expect(text.stdout).toContain('未写入任何数据：1 行被拒绝。请修正后重新导入，或使用 --skip-invalid 只导入有效行。');
    const skipped = await run('entities', bad, '--skip-invalid', '--json');
    expect(skipped.status).toBe(2);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ written: true, unchanged: 7, rejectedRows: 1 });
  });

  it('refuses an unknown kind or encoding before touching the database', async () => {
    expect(await run('firms', bad)).toMatchObject({ status: 1, error: expect.stringContaining("unknown import kind 'firms'") });
    expect(await run('entities', bad, '--encoding', 'big5')).toMatchObject({
      status: 1,
      error: "未知的编码“big5” / unknown encoding 'big5': expected one of utf8, gbk, gb18030",
    });
  });

  it('refuses a file of another kind, naming the kind it fits', async () => {
    const wrong = await run('entities', join(FIXTURES, 'results.csv'));
    expect(wrong.status).toBe(1);
    expect(wrong.error).toContain(`${join(FIXTURES, 'results.csv')}: 表头与“检查结果”（results）相符，而不是“市场主体名录”（entities）`);
  });

  it('the installed command prints the JSON report and exits 2 for rejected rows', () => {
    const rejected = spawnSync(process.execPath, [CLI, 'import', 'entities', bad, '--json', '--db', t.path], { encoding: 'utf8' });
    expect(rejected.status).toBe(2);
    expect(JSON.parse(rejected.stdout).rejected).toEqual([
      { line: 3, field: 'established_on', value: '2024-02-30', reason: 'not a calendar date: February 2024 has 29 days', reasonZh: '日期不存在：2024年2月只有29天' },
    ]);
  });
});
