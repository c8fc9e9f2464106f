// `fairdraw backtest`: train on the years before T, test on year T's results (AUC, hit rate per tier, lift,
// days earlier, and with --truth the rank correlation with the generator's hidden propensity).
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { backtest, parseTierRule } from '../../risk/index.ts';
import { nonNegative, readableBacktest, wholeYear } from './score.ts';
import { dbCommand } from '../options.ts';

interface BacktestFlags {
  db?: string;
  json?: boolean;
  year?: string;
  truth?: string;
  tiers?: string;
  l2?: string;
  minHistory?: string;
}

export function backtestCommand(program: Command): void {
  dbCommand(program, 'backtest', { json: 'print the result as JSON (keys auc, hitRateByTier, liftAt, daysEarlier, truthSpearman) / 以 JSON 输出' })
    .description('回测风险模型：用 T 年之前的数据训练，检验 T 年的检查结果 / backtest the risk model: train on the years before T, test on year T')
    .option('--year <T>', 'test year (default: the latest year with results)')
    .option('--truth <file>', "the generator's truth.csv (uscc, propensity): adds truthSpearman; never imported")
    .option('--tiers <rule>', 'tier cut-offs: shares:A=0.4,B=0.35,C=0.18,D=0.07 (default) or scores:B=0.1,C=0.2,D=0.35')
    .option('--l2 <lambda>', 'L2 penalty on the coefficients (default 1)')
    .option('--min-history <days>', 'train on a year only when the data reach this many days before it (default 365)')
    .action(async (flags: BacktestFlags) => {
      const l2 = flags.l2 === undefined ? undefined : nonNegative('--l2', flags.l2);
      const minHistoryDays = flags.minHistory === undefined ? undefined : nonNegative('--min-history', flags.minHistory);
      const result = await withDb(flags.db, (db) =>
        backtest(db, {
          testYear: flags.year === undefined ? undefined : wholeYear(flags.year),
          truthPath: flags.truth,
          rule: flags.tiers === undefined ? undefined : parseTierRule(flags.tiers),
          l2,
          minHistoryDays,
        }),
      );
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : readableBacktest(result));
    });
}
