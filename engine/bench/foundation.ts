// `npm run bench [-- foundation] [--entities 1000000,18000000] [--keep DIR]`: wall time and peak memory of
// generating a synthetic province and importing it into a fresh database, each stage in its own process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../src/kernel/config.ts';

const CLI = resolve(REPO_ROOT, 'engine/bin/fairdraw.js');
const KINDS = ['entities', 'inspectors', 'credit', 'complaints', 'results'] as const;

interface StageFigures {
  stage: string;
  rows: number;
  elapsedMs: number;
  peakRssMb: number;
}

/** Runs one CLI command with --json; its summary carries elapsedMs and peakRssMb measured inside the process. */
function runStage(stage: string, args: string[]): StageFigures & Record<string, unknown> {
  const started = Date.now();
  const child = spawnSync(process.execPath, [CLI, ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`${stage} failed (exit ${child.status}): ${child.stderr || child.stdout}`);
  const summary = JSON.parse(child.stdout);
  const rows = summary.entities ?? (summary.accepted ?? 0) + (summary.updated ?? 0) + (summary.unchanged ?? 0);
  return { stage, rows, elapsedMs: Date.now() - started, peakRssMb: summary.peakRssMb, ...summary };
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]): Promise<void> {
  const sizes = (option(args, '--entities') ?? '1000000,18000000').split(',').map(Number);
  const keep = option(args, '--keep');
  for (const entities of sizes) {
    const dir = keep ? resolve(keep, String(entities)) : mkdtempSync(join(tmpdir(), `fairdraw-bench-${entities}-`));
    const db = join(dir, 'bench.duckdb');
    const figures: StageFigures[] = [];
    try {
      figures.push(runStage('generate', ['generate', '--entities', String(entities), '--seed', '7', '--out', dir]));
      for (const kind of KINDS) {
        const parquet = join(dir, `${kind}.parquet`);
        const file = existsSync(parquet) ? parquet : join(dir, `${kind}.csv`);
        figures.push(runStage(`import ${kind}`, ['import', kind, file, '--db', db]));
      }
      // A second import of the entities proves idempotence at scale: every row unchanged.
      const again = runStage('re-import entities', ['import', 'entities', join(dir, existsSync(join(dir, 'entities.parquet')) ? 'entities.parquet' : 'entities.csv'), '--db', db]);
      figures.push(again);
      if (again.unchanged !== entities) throw new Error(`re-import reported ${again.unchanged} unchanged of ${entities}`);
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
    console.log(`\nfoundation benchmark: ${entities.toLocaleString('en-US')} entities`);
    console.table(
      figures.map((f) => ({
        stage: f.stage,
        rows: f.rows,
        'wall s': (f.elapsedMs / 1000).toFixed(1),
        'rows/s': Math.round(f.rows / (f.elapsedMs / 1000)),
        'peak RSS MB': f.peakRssMb,
      })),
    );
    const total = figures.filter((f) => f.stage !== 're-import entities').reduce((s, f) => s + f.elapsedMs, 0);
    console.log(`generate + import: ${(total / 1000).toFixed(1)} s; peak RSS of any stage: ${Math.max(...figures.map((f) => f.peakRssMb))} MB`);
  }
}
