// `fairdraw policy preview|set|list`: the sampling policy (per-tier ratios, frequency, burden window, yearly cap),
// previewed before saving, saved as a new version with author and reason, listed with its history.
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { withDb } from '../db.ts';
import { shanghaiTime } from '../../kernel/time.ts';
import { listPolicies, parseRatios, savePolicy, TIERS, PolicyInputError, type PolicyChange, type SamplingPolicy } from '../../policy/policy.ts';
import { previewPolicy, type PolicyPreview } from '../../policy/preview.ts';
import { dbCommand } from '../options.ts';

interface SettingFlags {
  ratios?: string;
  frequency?: string;
  burdenDays?: string;
  yearlyCap?: string;
  capMargin?: string;
  inspectorDays?: string;
  capacityDays?: string;
  tierFloor?: string;
}

function actorName(): string {
  try {
    return userInfo().username || process.env.USER || 'cli';
  } catch {
    return process.env.USER || 'cli';
  }
}

function number(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new PolicyInputError(flag, text, integer ? 'a whole number' : 'a number');
  }
  return n;
}

function changeFromFlags(flags: SettingFlags): PolicyChange {
  return {
    tierRatiosBp: flags.ratios === undefined ? undefined : parseRatios(flags.ratios),
    frequencyPerYear: number('--frequency', flags.frequency, true),
    burdenWindowDays: number('--burden-days', flags.burdenDays, true),
    yearlyCap: number('--yearly-cap', flags.yearlyCap, true),
    capAlertMargin: number('--cap-margin', flags.capMargin, true),
    inspectorDaysPerObject: number('--inspector-days', flags.inspectorDays, false),
    capacityDaysPerInspector: number('--capacity-days', flags.capacityDays, false),
    tierFloorBp: number('--tier-floor', flags.tierFloor, true),
  };
}

function settingOptions(command: Command): Command {
  return command
    .option('--ratios <list>', 'per-tier ratios in basis points per round, e.g. A=300,B=500,C=1000,D=3000 (any subset) / 分级抽查比例（基点）')
    .option('--frequency <n>', 'draw rounds a year / 每年抽查轮次')
    .option('--burden-days <n>', 'burden window in days after a draw or inspection (tier D and special tasks exempt) / 减负窗口天数')
    .option('--yearly-cap <n>', 'inspections per entity per calendar year, all departments / 每户每年检查次数上限')
    .option('--cap-margin <n>', 'warn about entities this close to the yearly cap / 接近上限提醒余量')
    .option('--inspector-days <x>', 'inspector-days one inspected object costs / 每户检查人日')
    .option('--capacity-days <x>', 'days a year one certified officer gives to random inspections / 每名执法人员每年可用人日')
    .option('--tier-floor <bp>', 'the least ratio any tier may have, in basis points (default 100): every entity keeps a known chance of being drawn / 各级最低抽查比例（基点）');
}

const pct = (bp: number) => `${(bp / 100).toFixed(2)}%`;
const int = (n: number) => n.toLocaleString('en-US');
const dec = (x: number | null, digits = 1) => (x === null ? '-' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c + ' '.repeat(widths[i] - width(c)) : ' '.repeat(widths[i] - width(c)) + c)).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function describeSettings(p: Pick<SamplingPolicy, 'tierRatiosBp' | 'frequencyPerYear' | 'burdenWindowDays' | 'yearlyCap' | 'capAlertMargin' | 'inspectorDaysPerObject' | 'capacityDaysPerInspector' | 'tierFloorBp'>): string {
  return (
    `${TIERS.map((t) => `${t}=${p.tierRatiosBp[t]}`).join(',')} bp (floor ${p.tierFloorBp}) x ${p.frequencyPerYear}/yr, ` +
    `burden ${p.burdenWindowDays} d, cap ${p.yearlyCap}/yr (warn within ${p.capAlertMargin}), ` +
    `${p.inspectorDaysPerObject} inspector-days/object, ${p.capacityDaysPerInspector} d/officer`
  );
}

export function readablePreview(p: PolicyPreview): string {
  let out = `抽查政策预览 / policy preview — 基准日 as of ${p.asOf}; ${p.basedOnVersion ? `基于版本 based on v${p.basedOnVersion}` : '基于默认政策 based on the default'}\n`;
  out += `  ${describeSettings(p.settings)}\n\n`;
  const header = ['等级 tier', '比例 ratio', '在营 active', '减负期内 in window', '已达上限 at cap', '可抽 N', '每轮 k', '每年 k/yr', '命中率 hit', '预计发现 findings', '人日 days', '3年未查 not 3y'];
  const rows = p.tiers.map((t) => [
    t.tier,
    pct(t.ratioBp),
    int(t.activeEntities),
    int(t.inBurdenWindow) + (t.tier === 'D' ? '*' : ''),
    int(t.atCap),
    int(t.eligible),
    int(t.k),
    int(t.kPerYear),
    t.hitRate === null ? '-' : `${(t.hitRate * 100).toFixed(1)}%`,
    dec(t.expectedFindingsPerYear),
    dec(t.inspectorDaysPerYear),
    int(t.notInspected3y),
  ]);
  const s = p.totals;
  rows.push(['合计 total', '', int(s.activeEntities), '', int(s.atCap), int(s.eligible), int(s.kPerRound), int(s.kPerYear), '', dec(s.expectedFindingsPerYear), dec(s.inspectorDaysNeeded), int(s.notInspected3y)]);
  out += table(header, rows);
  out += '  * D 级不受减负窗口限制 / tier D is exempt from the burden window\n\n';
  out +=
    `检查力量 / capacity: 需 ${dec(s.inspectorDaysNeeded)} 人日，可用 ${dec(s.capacityDays)} 人日` +
    (s.capacityUse === null ? '' : `（${(s.capacityUse * 100).toFixed(1)}%）`) +
    ` / ${dec(s.inspectorDaysNeeded)} of ${dec(s.capacityDays)} inspector-days: ${s.certifiedOfficers} certified officers x ${p.settings.capacityDaysPerInspector} d\n`;
  const src = p.hitRateSource;
  out += `命中率来源 / hit rates: ${src.kind === 'backtest' ? `风险模型 v${src.modelVersion} 回测 / backtest of risk model v${src.modelVersion}` : src.kind === 'observed' ? `历史检查 ${int(src.visits)} 次 / observed over ${int(src.visits)} prior visits` : '无 / none'}\n`;
  if (p.warnings.length) out += `\n提醒 / warnings:\n${p.warnings.map((w) => `  - ${w.message}\n`).join('')}`;
  if (p.nearCapEntities.length) {
    out += `\n已达或接近年度上限的主体 / entities at or near the yearly cap (${p.nearCapEntities.length}${p.nearCapEntities.length >= 50 ? '+' : ''}):\n`;
    out += table(
      ['主体 entity', '名称 name', '地区 region', '等级 tier', '本年次数 this year', '最近 last'],
      p.nearCapEntities.slice(0, 20).map((e) => [e.objectId, e.name, e.regionCode, e.tier ?? '-', String(e.inspectionsThisYear), e.lastDrawnOn]),
    );
  }
  out += `\n(${p.elapsedMs.toFixed(0)} ms)\n`;
  return out;
}

function readableList(policies: SamplingPolicy[]): string {
  if (policies.length === 0) return '尚未保存抽查政策，使用默认政策 / no policy saved yet: the default applies\n';
  return policies
    .map((p) => `v${p.version}  ${shanghaiTime(p.createdAt!)}  ${p.author}\n    ${describeSettings(p)}\n    理由 reason: ${p.reason}\n`)
    .join('');
}

export function policyCommand(program: Command): void {
  const policy = program.command('policy').description('抽查政策：分级比例、频次、减负窗口、年度上限 / sampling policy: per-tier ratios, frequency, burden window, yearly cap');

  settingOptions(
    dbCommand(policy, 'preview', { json: 'print the preview as JSON / 以 JSON 输出' })
      .description('预览政策效果（不保存） / preview a policy before saving: eligible N, k, expected findings, inspector-days vs capacity per tier'),
  )
    .option('--as-of <date>', 'reference date YYYY-MM-DD (default: the latest complaint or inspection date)')
    .action(async (flags: SettingFlags & { asOf?: string; json?: boolean; db?: string }) => {
      const change = changeFromFlags(flags);
      await withDb(flags.db, async (db) => {
        const preview = await previewPolicy(db, change, { asOf: flags.asOf });
        process.stdout.write(flags.json ? `${JSON.stringify(preview, null, 2)}\n` : readablePreview(preview));
      });
    });

  settingOptions(dbCommand(policy, 'set', { json: 'print the saved version as JSON / 以 JSON 输出' }).description('保存新的政策版本（保留历史） / save a new policy version: the changes merged onto the current one, history kept'))
    .requiredOption('--reason <text>', 'why the policy changes (kept with the version and in the audit log) / 调整理由')
    .option('--actor <name>', 'who changes it (default: the OS user) / 操作人')
    .action(async (flags: SettingFlags & { reason: string; actor?: string; json?: boolean; db?: string }) => {
      const change = changeFromFlags(flags);
      await withDb(flags.db, async (db) => {
        const saved = await savePolicy(db, change, { author: flags.actor ?? actorName(), reason: flags.reason });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(saved, null, 2)}\n`);
          return;
        }
        let out = `已保存抽查政策版本 v${saved.policy.version} / saved policy version ${saved.policy.version} (previous: ${saved.previousVersion || 'default'})\n`;
        out += `  ${describeSettings(saved.policy)}\n`;
        for (const [field, [before, after]] of Object.entries(saved.changes)) out += `  ${field}: ${before} -> ${after}\n`;
        if (saved.warnings.length) out += `提醒 / warnings:\n${saved.warnings.map((w) => `  - ${w.message}\n`).join('')}`;
        process.stdout.write(out);
      });
    });

  dbCommand(policy, 'list', { json: 'print the versions as JSON / 以 JSON 输出' })
    .description('列出全部政策版本 / list every saved policy version, oldest first')
    .action(async (flags: { json?: boolean; db?: string }) => {
      await withDb(flags.db, async (db) => {
        const policies = await listPolicies(db);
        process.stdout.write(flags.json ? `${JSON.stringify(policies, null, 2)}\n` : readableList(policies));
      });
    });
}
