// `fairdraw score`: backtest, fit a new scorecard version on prior results, score and tier every active entity.
// `--list` shows the stored versions; `--explain ID` shows why an entity has its score.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { withDb } from '../db.ts';
import { rescoreEntities } from '../../risk/rescore.ts';
import { fitAndScore, explain, listModels, parseTierRule, type FitAndScoreResult, type Explanation, type ModelSummary } from '../../risk/index.ts';
import { checkDate } from '../../risk/features.ts';
import { TIERS } from '../../risk/tiers.ts';
import { dbCommand } from '../options.ts';
import { SEGMENT_BIAS_LIMIT, showsBias } from '../../risk/backtest.ts';

interface ScoreFlags {
  db?: string;
  json?: boolean;
  refresh?: boolean;
  actor?: string;
  asOf?: string;
  tiers?: string;
  backtest: boolean;
  testYear?: string;
  truth?: string;
  l2?: string;
  minHistory?: string;
  list?: boolean;
  explain?: string;
}

export function defaultActor(): string {
  try {
    return userInfo().username || process.env.USER || 'cli';
  } catch {
    return process.env.USER || 'cli';
  }
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const fixed = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '-' : x.toFixed(digits));

export function scoreCommand(program: Command): void {
  dbCommand(program, 'score', { json: 'print the result as JSON / 以 JSON 输出' })
    .description('拟合风险模型并为所有在营主体评分分级 / fit the risk scorecard on prior results, score and tier every active entity (a new model version)')
    .option('--actor <name>', 'who fits the model, recorded in risk_models.fitted_by and the audit log (default: the OS user)')
    .option('--as-of <date>', 'reference date YYYY-MM-DD (default: the latest complaint or result date)')
    .option('--tiers <rule>', 'tier cut-offs: shares:A=0.4,B=0.35,C=0.18,D=0.07 (default) or scores:B=0.1,C=0.2,D=0.35')
    .option('--no-backtest', 'skip the backtest that is otherwise stored with the version')
    .option('--test-year <year>', 'backtest test year (default: the latest year with results)')
    .option('--truth <file>', "the generator's truth.csv, for the backtest's rank correlation with the hidden propensity")
    .option('--l2 <lambda>', 'L2 penalty on the coefficients (default 1)')
    .option('--min-history <days>', 'train on a year only when the data reach this many days before it (default 365)')
    .option('--refresh', 're-apply the current model version to what changed since the last score (no new fit) / 按当前模型增量重算')
    .option('--list', 'list the stored model versions and stop / 列出模型版本')
    .option('--explain <objectId>', "explain one entity's current score and stop / 解释某主体的评分")
    .action(async (flags: ScoreFlags) => {
      await withDb(flags.db, async (db) => {
        if (flags.list) {
          const models = await listModels(db);
          process.stdout.write(flags.json ? `${JSON.stringify(models, null, 2)}\n` : readableModels(models));
          return;
        }
        if (flags.explain !== undefined) {
          const e = await explain(db, flags.explain);
          if (!e) throw new Error(`主体 ${flags.explain} 没有当前评分 / entity ${flags.explain} has no current score (not active, unknown, or 'fairdraw score' not run yet)`);
          process.stdout.write(flags.json ? `${JSON.stringify(e, null, 2)}\n` : readableExplanation(e));
          return;
        }
        if (flags.refresh) {
          const r = await rescoreEntities(db, { actor: flags.actor ?? defaultActor(), asOf: flags.asOf === undefined ? undefined : checkDate(flags.asOf, '--as-of') });
          process.stdout.write(
            flags.json
              ? `${JSON.stringify(r, null, 2)}\n`
              : `模型 v${r.version} 增量重算 rescored (${r.mode}${r.reason ? `: ${r.reason}` : ''}), as of ${r.asOf}: ${r.recomputed.toLocaleString('en-US')} recomputed, ${r.written.toLocaleString('en-US')} written, ${r.entities.toLocaleString('en-US')} scored; ${r.timingsMs.total} ms\n`,
          );
          return;
        }
        const result = await fitAndScore(db, {
          actor: flags.actor ?? defaultActor(),
          asOf: flags.asOf === undefined ? undefined : checkDate(flags.asOf, '--as-of'),
          rule: flags.tiers === undefined ? undefined : parseTierRule(flags.tiers),
          backtest: flags.backtest,
          testYear: flags.testYear === undefined ? undefined : wholeYear(flags.testYear),
          truthPath: flags.truth,
          l2: flags.l2 === undefined ? undefined : nonNegative('--l2', flags.l2),
          minHistoryDays: flags.minHistory === undefined ? undefined : nonNegative('--min-history', flags.minHistory),
        });
        process.stdout.write(flags.json ? `${JSON.stringify(jsonSummary(result), null, 2)}\n` : readableScore(result));
      });
    });
}

export function wholeYear(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1900 || n > 2999) throw new Error(`year '${text}': expected a year like 2025`);
  return n;
}

export function nonNegative(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} '${text}': expected a number >= 0`);
  return n;
}

function jsonSummary(r: FitAndScoreResult) {
  return {
    version: r.score.version,
    asOf: r.score.asOf,
    entities: r.score.entities,
    tierCounts: r.score.tierCounts,
    cutoffs: r.score.cutoffs,
    training: r.model.training,
    coefficients: Object.fromEntries(r.model.params.features.map((f) => [f.column, f.coefficient])),
    intercept: r.model.params.intercept,
    dropped: r.model.params.dropped,
    backtest: r.backtest,
    backtestSkipped: r.backtestSkipped,
    timingsMs: { fit: r.fitMs, ...r.score.timingsMs },
  };
}

function readableScore(r: FitAndScoreResult): string {
  const s = r.score;
  const lines = [
    `风险模型 第 ${s.version} 版 / risk model version ${s.version} (${r.model.method}), 数据截至 as of ${s.asOf}`,
    `  训练 training: ${r.model.training.years.join(', ')} 年的检查结果 / results, ${r.model.training.rows.toLocaleString('en-US')} rows, ` +
      `发现问题率 finding rate ${pct(r.model.training.eventRate)}, in-sample AUC ${fixed(r.model.training.auc)}`,
    `  评分主体 entities scored: ${s.entities.toLocaleString('en-US')}`,
    '',
    '  等级 tier   主体数 entities   占比 share   分数下限 min score',
  ];
  for (const t of TIERS) {
    const min = t === 'A' ? 0 : s.cutoffs.thresholds[t];
    lines.push(`  ${t.padEnd(9)} ${s.tierCounts[t].toLocaleString('en-US').padStart(16)}   ${pct(s.cutoffs.actualShares[t]).padStart(10)}   ${fixed(min, 4).padStart(12)}`);
  }
  lines.push('', '  系数 coefficients (log-odds per WoE unit):');
  for (const f of r.model.params.features) lines.push(`    ${`${f.label.zh} ${f.label.en}`.padEnd(48)} ${fixed(f.coefficient)}`);
  if (r.backtest) lines.push('', readableBacktest(r.backtest).trimEnd());
  else if (r.backtestSkipped) lines.push('', `  回测未运行 backtest skipped: ${r.backtestSkipped}`);
  lines.push('', `  用时 time: fit ${(r.fitMs / 1000).toFixed(1)} s, score ${(s.timingsMs.score / 1000).toFixed(1)} s, tiers ${(s.timingsMs.tiers / 1000).toFixed(1)} s, write ${(s.timingsMs.write / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

export function readableBacktest(b: import('../../risk/backtest.ts').BacktestResult): string {
  const weighting =
    b.weighting === 'inverse-probability'
      ? `随机抽取，按入选概率倒数加权 random draws, each weighted by 1 / its selection probability; 不计 left out: 定向 targeted ${b.test.leftOut.targeted}, 投诉核查 complaint checks ${b.test.leftOut.complaint}, 概率未知 no known probability ${b.test.leftOut.unrecorded}`
      : '未记录抽取方式：每次检查都计入，不加权 no selection recorded: every visit counts, unweighted';
  const ranking = (label: string, r: { auc: number | null; liftAt: Record<string, number | null> }) =>
    `  ${label.padEnd(34)} AUC ${fixed(r.auc)}   提升度 lift 5% ${fixed(r.liftAt['0.05'], 2)}  10% ${fixed(r.liftAt['0.1'], 2)}  20% ${fixed(r.liftAt['0.2'], 2)}`;
  const interval = (o: { rate: number | null; low: number | null; high: number | null }) => `${pct(o.rate)} [${pct(o.low)}, ${pct(o.high)}]`;
  const lines = [
    `回测 backtest: 以 ${b.training.years.join(', ')} 年训练，检验 ${b.testYear} 年 / trained on ${b.training.years.join(', ')}, tested on ${b.testYear} (features as of ${b.asOf})`,
    `  检验 tested: ${weighting}`,
    `  检验主体 tested entities: ${b.test.entities.toLocaleString('en-US')} (发现问题 with a finding ${b.test.withFinding.toLocaleString('en-US')}, 加权 weighted ${pct(b.test.hitRate)})` +
      (b.test.excludedNewEntities ? `; ${b.test.excludedNewEntities.toLocaleString('en-US')} 个当年新设主体不计 / registered during ${b.testYear}, not counted` : ''),
    ranking('模型 model', b),
    ranking('逻辑回归(同特征) logistic regression', b.baselines.logistic),
    ...modelGain(b.baselines.logistic.gain),
    ranking(`最佳单特征 best single feature: ${b.baselines.bestFeature.column}`, b.baselines.bestFeature),
    '  校准 calibration  等级 tier   主体 population   检查 tested   预测 predicted   实际 observed [95%]',
  ];
  for (const t of TIERS) {
    const o = b.tiers[t];
    lines.push(`  ${''.padEnd(18)}${t.padEnd(9)} ${o.population.toLocaleString('en-US').padStart(15)}   ${o.inspected.toLocaleString('en-US').padStart(11)}   ${pct(o.predicted).padStart(14)}   ${interval(o.observed)}`);
  }
  lines.push(
    `  分组检查 segment checks: 平均分数百分位 mean score percentile, 实际发现率 observed, 偏差 bias [同时区间 simultaneous interval] (负：低估 negative: under-rated; ! 区间超出 ±${SEGMENT_BIAS_LIMIT * 100} the interval lies beyond ±${SEGMENT_BIAS_LIMIT * 100}; ? 仅点估计超出 the estimate alone)`,
  );
  for (const g of b.segments) {
    const flag = showsBias(g) ? ' !' : g.bias !== null && Math.abs(g.bias) > SEGMENT_BIAS_LIMIT ? ' ?' : '';
    const truth = g.truthBias !== undefined ? `; 真实 truth ${pct(g.truthPercentile ?? null)}, 偏差 bias ${signedPct(g.truthBias)}${Math.abs(g.truthBias) > SEGMENT_BIAS_LIMIT ? ' !' : ''}` : '';
    lines.push(
      `    ${g.label.zh} ${g.label.en}: ${g.population.toLocaleString('en-US')}, 百分位 ${pct(g.meanPercentile)}, 实际 ${interval(g.observed)}, 偏差 bias ${signedPct(g.bias)} [${signedPct(g.biasLow)}, ${signedPct(g.biasHigh)}]${flag}${truth}`,
    );
  }
  lines.push(`  按风险排序后问题平均提前发现 findings earlier with risk order: ${fixed(b.daysEarlier, 1)} 天 days`);
  if (b.truthSpearman !== undefined) lines.push(`  与真实倾向的秩相关 Spearman with the true propensity: ${fixed(b.truthSpearman)} (${(b.truthEntities ?? 0).toLocaleString('en-US')} entities)`);
  return `${lines.join('\n')}\n`;
}

/** The model's AUC gain over the logistic regression with its interval (none in a backtest stored before it was measured). */
function modelGain(gain: import('../../risk/backtest.ts').ModelGain | null | undefined): string[] {
  if (!gain) return [];
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
  return [
    `  模型−逻辑回归 AUC 差 model − logistic AUC: ${signed(gain.difference)} (95% 区间 CI ${signed(gain.low)} to ${signed(gain.high)}, ` +
      `配对自助法 paired bootstrap, ${gain.replicates.toLocaleString('en-US')} replicates on ${gain.rows.toLocaleString('en-US')} tested entities)`,
  ];
}

const signedPct = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(1)}`);

function readableModels(models: ModelSummary[]): string {
  if (models.length === 0) return '尚无风险模型 / no risk model yet: run `fairdraw score`\n';
  const lines = ['版本 version  拟合时间 fitted at         拟合人 by        数据截至 as of   AUC     D/A 命中率比 hit ratio'];
  for (const m of models) {
    const hit = m.metrics.hitRateByTier as Record<string, number | null> | undefined;
    const ratio = hit?.A && hit?.D ? (hit.D / hit.A).toFixed(1) : '-';
    lines.push(
      `${String(m.version).padStart(6)}${m.current ? '*' : ' '}     ${m.fittedAt.toISOString().slice(0, 19).replace('T', ' ')}  ${m.fittedBy.padEnd(14)}  ${m.asOf}      ${fixed(m.metrics.auc as number | undefined)}   ${ratio}`,
    );
  }
  lines.push('* 当前评分所用版本 / the version risk_scores holds');
  return `${lines.join('\n')}\n`;
}

function readableExplanation(e: Explanation): string {
  const lines = [
    `${e.objectId}: 风险等级 tier ${e.tier}, 发现问题概率 probability of a finding ${pct(e.score)} (模型 model v${e.modelVersion}, as of ${e.asOf})`,
    `  基准 base log-odds ${fixed(e.baseLogOdds, 2)} → ${fixed(e.logOdds, 2)}`,
    ...e.contributions.map((c) => `  ${c.text}`),
  ];
  return `${lines.join('\n')}\n`;
}
