// The score and backtest commands, run in-process through commander (as main.ts runs them).
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { Command } from 'commander';
import { join } from 'node:path';
import { tempDb } from '../../testing/db.ts';
import { Db } from '../../db/duckdb.ts';
import { sql } from '../../db/sql.ts';
import { synthesizeProvince, writeSyntheticTruth } from '../../risk/synthetic.ts';
import { backtestCommand } from './backtest.ts';
import { scoreCommand } from './score.ts';

async function runCli(args: string[]): Promise<string> {
  const program = new Command('fairdraw').exitOverride();
  backtestCommand(program);
  scoreCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'fairdraw', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('fairdraw backtest and score', () => {
  let t: Awaited<ReturnType<typeof tempDb>>;
  beforeAll(async () => {
    t = await tempDb();
    await synthesizeProvince(t.db, { entities: 3000, seed: 'cli-test' });
    await writeSyntheticTruth(t.db, join(t.dir, 'truth.csv'));
    t.db.close();
  });
  afterAll(() => t.cleanup());

  it('prints the agreed backtest keys with --json', async () => {
    const result = JSON.parse(await runCli(['backtest', '--db', t.path, '--json', '--truth', join(t.dir, 'truth.csv')]));
    expect(typeof result.auc).toBe('number');
    expect(Object.keys(result.hitRateByTier)).toEqual(['A', 'B', 'C', 'D']);
    expect(Object.keys(result.liftAt)).toEqual(['0.05', '0.1', '0.2']);
    expect(typeof result.daysEarlier).toBe('number');
    expect(typeof result.truthSpearman).toBe('number');
    // the same run printed: the model's gain over the logistic regression beside it, with its interval
    const gain = result.baselines.logistic.gain;
    const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
    const printed = await runCli(['backtest', '--db', t.path]);
    expect(printed).toContain(
      `model − logistic AUC: ${signed(gain.difference)} (95% 区间 CI ${signed(gain.low)} to ${signed(gain.high)}, 配对自助法 paired bootstrap, 1,000 replicates on ${gain.rows.toLocaleString('en-US')} tested entities)`,
    );
  });

  it('fits and scores as the named actor with the given tier shares, then lists and explains', async () => {
    const result = JSON.parse(await runCli(['score', '--db', t.path, '--json', '--actor', 'cli-tester', '--tiers', 'shares:A=0.5,B=0.3,C=0.15,D=0.05']));
    expect(result.version).toBe(1);
    expect(result.cutoffs.rule).toEqual({ mode: 'shares', shares: { A: 0.5, B: 0.3, C: 0.15, D: 0.05 } });
    expect(result.backtest.hitRateByTier).toBeDefined();
    const db = await Db.open({ path: t.path, readOnly: true });
    let id: string;
    try {
      expect(await db.one(sql`SELECT version, fitted_by FROM risk_models`)).toEqual({ version: 1, fitted_by: 'cli-tester' });
      id = (await db.one<{ object_id: string }>(sql`SELECT object_id FROM risk_scores WHERE tier = 'D' LIMIT 1`))!.object_id;
    } finally {
      db.close();
    }
    const list = await runCli(['score', '--db', t.path, '--list']);
    expect(list).toMatch(/^\s+1\*\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+cli-tester\s+2025-12-31/m);
    const explained = await runCli(['score', '--db', t.path, '--explain', id]);
    expect(explained.split('\n')[0]).toMatch(new RegExp(`^${id}: 风险等级 tier D, 发现问题概率 probability of a finding \\d+\\.\\d%`));
  });

  it('re-applies the current version with --refresh: nothing changed since the score, nothing rewritten', async () => {
    const first = JSON.parse(await runCli(['score', '--db', t.path, '--json', '--refresh']));
    const second = JSON.parse(await runCli(['score', '--db', t.path, '--json', '--refresh']));
    expect(second).toMatchObject({ version: first.version, mode: 'incremental', recomputed: 0, written: 0, entities: first.entities });
  });

  it('names the flag and value it cannot use', async () => {
    await expect(runCli(['backtest', '--db', t.path, '--year', '20x5'])).rejects.toThrow(/year '20x5': expected a year like 2025/);
    await expect(runCli(['score', '--db', t.path, '--tiers', 'shares:A=0.5'])).rejects.toThrow(/share of tier B missing/);
  });
});
