// `fairdraw bench [NAME] [ARGS...]` (npm run bench -- NAME): runs engine/bench/NAME.ts, which prints its figures.
import type { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../kernel/config.ts';

const BENCH_DIR = resolve(REPO_ROOT, 'engine/bench');

export function benchCommand(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark and print its figures: foundation (default), risk, alerts, draw, api')
    .argument('[name]', 'benchmark name', 'foundation')
    .argument('[args...]', 'arguments for the benchmark, e.g. --entities 1000000')
    .allowUnknownOption()
    .action(async (name: string, args: string[]) => {
      const file = resolve(BENCH_DIR, `${name}.ts`);
      if (!existsSync(file)) {
        const known = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
        throw new Error(`no benchmark '${name}'; known: ${known.join(', ')}`);
      }
      const bench = (await import(pathToFileURL(file).href)) as { run(args: string[]): Promise<void> };
      await bench.run(args);
    });
}
