// `fairdraw demo`: builds the demo year on a fresh database and prints the demo accounts' passwords once.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolveDbPath } from '../../kernel/config.ts';
import { buildDemo, DEMO_DEFAULTS, type DemoSummary } from '../../demo/demo.ts';
import { dbCommand } from '../options.ts';

export function printAccounts(summary: DemoSummary): void {
  console.log('\nDemo accounts (passwords are shown only now; reset with `fairdraw user passwd NAME`):');
  for (const a of summary.accounts) console.log(`  ${a.username.padEnd(16)} ${a.role.padEnd(9)} ${(a.department ?? '').padEnd(6)} ${a.password}`);
}

export function demoCommand(program: Command): void {
  dbCommand(program, 'demo', { json: 'print the summary as JSON' })
    .description('build a complete demo year on a fresh database: data, scores, policy, plan, tasks, draws, results')
    .option('--entities <n>', 'market entities to generate', String(DEMO_DEFAULTS.entities))
    .option('--seed <n>', 'generator seed', String(DEMO_DEFAULTS.seed))
    .action(async (opts: { entities: string; seed: string; db?: string; json?: boolean }) => {
      const dbPath = resolveDbPath(opts.db);
      if (existsSync(dbPath)) throw new Error(`${dbPath} exists: the demo builds a fresh database (remove the file or pass --db NEW_PATH)`);
      const summary = await buildDemo({ dbPath, entities: Number(opts.entities), seed: Number(opts.seed), log: opts.json ? undefined : (line) => console.log(line) });
      if (opts.json) {
        console.log(JSON.stringify(summary, null, 2));
        return;
      }
      console.log(`demo built in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${summary.draws.length} draws`);
      printAccounts(summary);
    });
}
