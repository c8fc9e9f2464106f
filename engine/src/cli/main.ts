// The fairdraw command line: one file per command in ./commands, each a thin layer over the engine.
import { Command } from 'commander';
import { registerCommands } from './commands/index.ts';

const program = new Command('fairdraw')
  .description('Fairdraw: risk-based, provably fair random inspections (双随机、一公开)')
  .showHelpAfterError();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`fairdraw: ${(err as Error).message}`);
  process.exitCode = process.exitCode || 1;
}
