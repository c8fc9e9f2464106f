import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateProvince } from '../../../data/generator/generate.ts';
import { CRASH_POINTS, crashDrill } from './crash.ts';

// One SIGKILL per phase of a demo build (long runs at random moments: npm run bench -- crash).
const ENTITIES = 2_000;

describe('a hard kill during first start, migration, import, scoring, draw run or result entry', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-crash-'));
    await generateProvince({ entities: ENTITIES, seed: 7, outDir: join(dir, 'province'), parquet: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CRASH_POINTS.map((point, run) => [point.phase, point, run] as const))('%s: the file opens, holds nothing half-written and takes a re-run', async (_phase, point, run) => {
    const outcome = await crashDrill(dir, point, { entities: ENTITIES, entitiesCsv: join(dir, 'province', 'entities.csv'), run });
    expect(outcome.killed).toBe(true);
    expect(outcome.problems).toEqual([]);
  });
});
