// The options many commands share, declared once: who makes a change (--by), the database (--db), JSON output (--json).
import type { Command } from 'commander';
import { DB_OPTION } from './db.ts';

export const BY_OPTION = ['--by <name>', '操作人（记入审计日志） / who makes the change, recorded in the audit log (default: cli:$USER)'] as const;

/** Who a CLI change is recorded as: --by, else the operating-system user. */
export function cliActor(by?: string): string {
  return by?.trim() || (process.env.USER ? `cli:${process.env.USER}` : 'cli');
}

/**
 * `parent name` with the shared options: --by when it changes data, --db, and --json saying what it prints (default
 * 'print JSON'; `json: false` for a command without JSON output).
 */
export function dbCommand(parent: Command, name: string, shared: { by?: boolean; json?: string | false } = {}): Command {
  const command = parent.command(name);
  if (shared.by) command.option(...BY_OPTION);
  command.option(...DB_OPTION);
  if (shared.json !== false) command.option('--json', shared.json ?? 'print JSON');
  return command;
}
