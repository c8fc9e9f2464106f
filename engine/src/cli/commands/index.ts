// Every CLI command, registered in the order `fairdraw --help` lists them.
import type { Command } from 'commander';
import { serveCommand } from './serve.ts';
import { benchCommand } from './bench.ts';

export function registerCommands(program: Command): void {
}
