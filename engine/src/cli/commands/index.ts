// Every CLI command, registered in the order `fairdraw --help` lists them.
import type { Command } from 'commander';
import { serveCommand } from './serve.ts';
import { demoCommand } from './demo.ts';
import { benchCommand } from './bench.ts';
import { generateCommand } from './generate.ts';
import { importCommand } from './import.ts';
import { userCommand } from './user.ts';
import { scoreCommand } from './score.ts';
import { backtestCommand } from './backtest.ts';
import { planCommand } from './plan.ts';
import { taskCommand } from './task.ts';
import { drawCommand } from './draw.ts';
import { auditCommand } from './audit.ts';
import { policyCommand } from './policy.ts';
import { alertsCommand } from './alerts.ts';
import { notebookCommand } from './notebook.ts';
import { clusterCommand } from './cluster.ts';
import { exportParquetCommand } from './export-parquet.ts';
import { backupCommand } from './backup.ts';

export function registerCommands(program: Command): void {
  for (const add of [serveCommand, demoCommand, benchCommand, generateCommand, importCommand, scoreCommand, backtestCommand, userCommand, planCommand, taskCommand, drawCommand, auditCommand, policyCommand, alertsCommand, notebookCommand, backupCommand, exportParquetCommand, clusterCommand]) add(program);
}
