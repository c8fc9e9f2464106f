// Every CLI command, registered in the order `fairdraw --help` lists them.
import type { Command } from 'commander';
import { benchCommand } from './bench.ts';
import { userCommand } from './user.ts';

export function registerCommands(program: Command): void {
  for (const add of [benchCommand, userCommand]) add(program);
}
