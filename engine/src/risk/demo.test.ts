// The risk tiers on the demo generator's data (a small province, generator and importer as the demo uses them).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince } from '../../../data/generator/generate.ts';
import { importFile } from '../ingest/import.ts';
import { openDatabase } from '../open.ts';
import type { Db } from '../db/duckdb.ts';
import { backtest, type BacktestResult } from './backtest.ts';

describe('risk tiers on generated demo data', () => {
  let dir: string;
  let db: Db;
  let result: BacktestResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-risk-demo-'));
    await generateProvince({ entities: 30_000, seed: '1', outDir: dir, threads: 1 });
    db = await openDatabase({ path: join(dir, 'demo.duckdb'), memoryLimit: '1GB', threads: 1 });
    for (const kind of ['entities', 'credit', 'complaints', 'results']) {
      const report = await importFile(db, { kind, file: join(dir, `${kind}.csv`) });
      expect(report.rejectedTotal).toBe(0);
    }
    result = await backtest(db, { truthPath: join(dir, 'truth.csv') });
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has hit rates that rise from tier A to tier D', () => {
    const { A, B, C, D } = result.hitRateByTier;
    expect(A!).toBeLessThan(B!);
    expect(B!).toBeLessThan(C!);
    expect(C!).toBeLessThan(D!);
    expect(D! / A!).toBeGreaterThan(2.5);
    // random draws only, each weighted by 1 / its selection probability
    expect(result.weighting).toBe('inverse-probability');
    for (const tier of ['A', 'B', 'C', 'D'] as const) expect(result.tiers[tier].inspected).toBeGreaterThan(50);
  });

  it('targets better than random and tracks the hidden propensity', () => {
    expect(result.liftAt['0.1']!).toBeGreaterThan(1.5);
    expect(result.auc!).toBeGreaterThan(0.6);
    expect(result.truthSpearman!).toBeGreaterThan(0.25);
  });
});
