// `fairdraw alerts`: regional risk alerts — complaint and finding rates per city and district x industry in the recent
// window against their own baseline, with the weekly series behind each alert.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { computeAlerts, TREND_MODES, type AlertOptions, type AlertReport, type RegionalAlert, type TrendMode } from '../../alerts/alerts.ts';
import { dbCommand } from '../options.ts';

interface AlertFlags {
  db?: string;
  json?: boolean;
  asOf?: string;
  windowWeeks?: string;
  baselineWeeks?: string;
  q?: string;
  minObserved?: string;
  minBaseline?: string;
  trend?: string;
}

function parseNumber(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new Error(`${flag}: ${JSON.stringify(text)} — expected ${integer ? 'a whole number' : 'a number'}`);
  return n;
}

const SEVERITY: Record<RegionalAlert['severity'], string> = { high: '高 high', medium: '中 medium', low: '低 low' };
const KIND: Record<RegionalAlert['kind'], string> = { complaints: '投诉 complaints', findings: '发现率 findings' };
const BARS = '▁▂▃▄▅▆▇█';

/** The weekly series as a one-line chart; '|' marks where the window starts. */
export function sparkline(alert: RegionalAlert): string {
  const values = alert.series.map((w) => (alert.kind === 'findings' ? (w.visits ? w.count / w.visits : 0) : w.count));
  const max = Math.max(...values, 1e-9);
  let out = '';
  alert.series.forEach((w, i) => {
    if (w.period === 'window' && (i === 0 || alert.series[i - 1].period === 'baseline')) out += '|';
    out += BARS[Math.min(BARS.length - 1, Math.floor((values[i] / max) * (BARS.length - 1) + 0.5))];
  });
  return out;
}

export function readableAlerts(r: AlertReport): string {
  if (r.asOf === null) return '没有投诉或检查数据 / no complaints or inspection results in the database\n';
  let out = `区域风险预警 / regional risk alerts — 基准日 as of ${r.asOf}\n`;
  out += `  窗口 window ${r.window!.from}..${r.window!.to} (${r.window!.weeks} 周 weeks) vs 基线 baseline ${r.baseline!.from}..${r.baseline!.to} (${r.baseline!.weeks} 周 weeks)\n`;
  out += `  检验单元 cells tested: 投诉 complaints ${r.cells.complaints.tested} of ${r.cells.complaints.seen}, 发现率 findings ${r.cells.findings.tested} of ${r.cells.findings.seen}; q <= ${r.settings.q}, min ${r.settings.minObserved} observed\n`;
  out += `  全省投诉趋势 province-wide complaint trend: x${r.complaintTrend.toFixed(3)} per week\n\n`;
  if (r.alerts.length === 0) {
    out += '无预警 / no alerts\n';
  } else {
    for (const a of r.alerts) {
      const region = a.level === 'district' ? `${a.cityName.zh}${a.regionName.zh}` : a.regionName.zh;
      out += `[${SEVERITY[a.severity]}] ${KIND[a.kind]}  ${region} ${a.regionCode} x ${a.industryCode} ${a.industryName.zh}\n`;
      out += `    ${a.regionName.en}, ${a.industryName.en}\n`;
      if (a.kind === 'findings') {
        out += `    发现 ${a.observed}/${a.windowVisits} 次检查 (${(a.windowRate! * 100).toFixed(1)}%) vs 基线 ${(a.baselineRate! * 100).toFixed(1)}% of ${a.baselineVisits}; `;
      } else {
        out += `    投诉 observed ${a.observed}, 预期 expected ${a.expected.toFixed(1)} (baseline ${a.baselineCount} in ${r.baseline!.weeks} wk, trend x${(a.trend ?? 1).toFixed(2)}); `;
      }
      out += `ratio ${Number.isFinite(a.ratio) ? a.ratio.toFixed(2) : 'inf'}x, p ${a.pValue.toExponential(1)}, q ${a.qValue.toExponential(1)}\n`;
      out += `    ${sparkline(a)}\n`;
    }
  }
  out += `\n${r.method}\n(${r.elapsedMs.total.toFixed(0)} ms: aggregate ${r.elapsedMs.aggregate.toFixed(0)} ms, tests ${r.elapsedMs.test.toFixed(0)} ms)\n`;
  return out;
}

export function alertsCommand(program: Command): void {
  dbCommand(program, 'alerts', { json: 'print the report as JSON / 以 JSON 输出' })
    .description('区域风险预警：地市、区县 x 行业的投诉与发现率异常上升 / regional risk alerts: complaint and finding rates by city and district x industry against their own baseline')
    .option('--as-of <date>', 'reference date YYYY-MM-DD (default: the latest complaint date)')
    .option('--window-weeks <n>', 'recent window in weeks (default 8)')
    .option('--baseline-weeks <n>', 'baseline weeks before the window (default 52)')
    .option('--q <fdr>', 'Benjamini-Hochberg false discovery rate (default 0.01)')
    .option('--min-observed <n>', 'least complaints or findings in the window (default 10)')
    .option('--min-baseline <n>', 'least complaints over the baseline (default 10)')
    .option('--trend <mode>', `adjust expected values by the rest of the industry, the province, or not: ${TREND_MODES.join(' | ')} (default industry)`)
    .action(async (flags: AlertFlags) => {
      if (flags.trend !== undefined && !TREND_MODES.includes(flags.trend as TrendMode)) {
        throw new Error(`--trend: ${JSON.stringify(flags.trend)} — one of ${TREND_MODES.join(', ')}`);
      }
      if (flags.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.asOf)) throw new Error(`--as-of: ${JSON.stringify(flags.asOf)} — a date YYYY-MM-DD`);
      const options: AlertOptions = {
        asOf: flags.asOf,
        windowWeeks: parseNumber('--window-weeks', flags.windowWeeks, true),
        baselineWeeks: parseNumber('--baseline-weeks', flags.baselineWeeks, true),
        q: parseNumber('--q', flags.q, false),
        minObserved: parseNumber('--min-observed', flags.minObserved, true),
        minBaseline: parseNumber('--min-baseline', flags.minBaseline, true),
        trend: flags.trend as TrendMode | undefined,
      };
      await withDb(
        flags.db,
        async (db) => {
          const report = await computeAlerts(db, options);
          process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : readableAlerts(report));
        },
        { readOnly: true },
      );
    });
}
