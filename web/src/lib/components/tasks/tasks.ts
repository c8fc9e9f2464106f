// The tasks pages' rules: task kinds and draw stages, the task form's model (pre-filled from the alerts page's
// special-draw link), and who may operate a task's draws.
import type { Stage, TaskKind, TeamEntry, TeamStaffing } from '$engine/api/types';
import { i18n, t } from '$lib/i18n.svelte';

export const TIERS = ['A', 'B', 'C', 'D'] as const;
export const KINDS: TaskKind[] = ['general', 'key', 'special'];
export const STAGES: Stage[] = ['awaiting_approval', 'ready', 'committed', 'beaconed', 'drawn'];
export const ENTITY_TYPES = ['enterprise', 'individual', 'cooperative'] as const;

/** What /tasks/new reads from its query string (the alerts page's special-draw link). */
export interface Prefill {
  kind: TaskKind | null;
  regions: string[];
  industries: string[];
  items: string[];
  /** The alert the special task answers (its statistics go with the task). */
  alertId: string | null;
  ratioBp: number | null;
  reason: string | null;
}

export function readPrefill(search: URLSearchParams): Prefill {
  const kind = search.get('kind');
  const ratio = Number(search.get('ratioBp'));
  const list = (name: string) => search.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return {
    kind: kind && (KINDS as string[]).includes(kind) ? (kind as TaskKind) : null,
    regions: list('region'),
    industries: list('industry'),
    items: list('item'),
    alertId: search.get('alert')?.trim() || null,
    ratioBp: Number.isInteger(ratio) && ratio > 0 && ratio <= 10000 ? ratio : null,
    reason: search.get('reason')?.trim() || null,
  };
}

/** An alert's reason in one language: it reads "中文 / English". */
export function reasonIn(reason: string, lang: 'zh' | 'en'): string {
  const [zh, en] = reason.split(' / ');
  return (lang === 'en' && en ? en : zh).trim();
}

/** A special task's name from an alert's reason: its Chinese half (the reason reads "中文 / English"). */
export function specialTaskName(reason: string): string {
  const zh = reason.split(' / ')[0].trim();
  return `专项抽查：${zh}`.slice(0, 300);
}

/** A special task's plain public name: year, regions and industries, nothing of why ("2026年南山区住宿和餐饮业专项抽查"). */
export function plainPublicName(year: number, regions: string[], industries: string[], names: { regions: Array<{ code: string; nameZh: string }>; industries: Array<{ code: string; nameZh: string }> } | null): string {
  const zh = (list: Array<{ code: string; nameZh: string }> | undefined, codes: string[]) => codes.map((c) => list?.find((x) => x.code === c)?.nameZh ?? c).join('、');
  return `${year}年${zh(names?.regions, regions)}${zh(names?.industries, industries)}专项抽查`;
}

/** Per-tier ratios a form starts from: the policy's, raised to at least `floorBp` for a special draw. */
export function startingRatios(policy: Record<string, number> | null, floorBp: number | null): Record<string, number | null> {
  return Object.fromEntries(TIERS.map((tier) => {
    const base = policy?.[tier] ?? null;
    if (floorBp === null) return [tier, base];
    return [tier, base === null ? floorBp : Math.max(base, floorBp)];
  }));
}

/** Percent text ("3", "2.5") to basis points; null when empty, NaN when unreadable or out of 0..100. */
export function percentToBp(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined || String(text).trim() === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 100) return Number.NaN;
  return Math.round(value * 100);
}

export const bpToPercent = (bp: number | null | undefined) => (bp === null || bp === undefined ? '' : String(Number((bp / 100).toFixed(2))));

/** Codes from a free-text list: "440305, 440306" or "440305 440306". */
export const codeList = (text: string) => text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean);

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** May this account change this task (commit, beacon, run, void)? Admin, or an operator of one of its departments. */
export function canOperate(user: { role: string; department: string | null } | null, departments: string[]): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'operator' && departments.includes(user.department ?? ''));
}

/** A region's or industry's name in the language shown, with its code after ("南山区 440305") or before ("H 住宿和餐饮业"); the bare code when unknown. */
export function codeName(list: Array<{ code: string; nameZh: string; nameEn: string }> | undefined, code: string, lang: 'zh' | 'en', codeAt: 'before' | 'after'): string {
  const entry = list?.find((x) => x.code === code);
  if (!entry) return code;
  const name = lang === 'zh' ? entry.nameZh : entry.nameEn;
  return codeAt === 'after' ? `${name} ${code}` : `${code} ${name}`;
}

/** A window's default end: 45 days after its start, but within the start's year. */
export function endOfWindow(start: string): string {
  const end = addDays(start, 45);
  return end.slice(0, 4) === start.slice(0, 4) ? end : `${start.slice(0, 4)}-12-31`;
}

/** Is region `code` inside `area` (a province 440000, a city 440300, or the district itself)? */
export function withinArea(code: string, area: string): boolean {
  if (area.endsWith('0000')) return code.slice(0, 2) === area.slice(0, 2);
  if (area.endsWith('00')) return code.slice(0, 4) === area.slice(0, 4);
  return code === area;
}

/** A plan of `year` whose jurisdiction holds every one of `regions`, else one of that year, else the first. */
export function choosePlan<P extends { year: number; jurisdictionRegionCode: string }>(plans: P[], year: number, regions: string[]): P | undefined {
  const ofYear = plans.filter((p) => p.year === year);
  return ofYear.find((p) => regions.every((r) => withinArea(r, p.jurisdictionRegionCode))) ?? ofYear[0] ?? plans[0];
}

/** The departments a task's chosen items belong to, the lead first: the one chosen, else the plan's lead, else the first. */
export function taskDepartments(itemDepartments: string[], chosenLead: string, planLead: string | undefined): { lead: string; departments: string[] } {
  const lead = itemDepartments.includes(chosenLead) ? chosenLead : planLead && itemDepartments.includes(planLead) ? planLead : (itemDepartments[0] ?? '');
  return { lead, departments: lead ? [lead, ...itemDepartments.filter((d) => d !== lead)] : [] };
}

/** Officers per team from a department: as set, else two of the lead and one of every other. */
export const officerCount = (officers: Record<string, number>, department: string, lead: string) => officers[department] ?? (department === lead ? 2 : 1);

/** The team spec a task is created with: officers of every department, then each department's experts (DEPT:expert). */
export function teamSpecOf(departments: string[], lead: string, officers: Record<string, number>, experts: Record<string, number>): TeamEntry[] {
  return [
    ...departments.map((d) => ({ department: d, count: officerCount(officers, d, lead) })),
    ...departments.filter((d) => (experts[d] ?? 0) > 0).map((d) => ({ department: `${d}:expert`, count: experts[d] })),
  ];
}

/** The per-tier ratios typed as percents, in basis points: undefined when all are blank, 'invalid' when one is unreadable. */
export function ratiosFromPercents(percents: Record<string, string | number | null>): Record<string, number> | undefined | 'invalid' {
  const out: Record<string, number> = {};
  for (const tier of TIERS) {
    const bp = percentToBp(percents[tier]);
    if (bp === null) continue;
    if (Number.isNaN(bp)) return 'invalid';
    out[tier] = bp;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The teams a drafted task could not staff, in words: the inspectors one team needs, those qualified for all the
 * department's items together, and each item's own count (the item with the fewest is the one to drop). Empty when
 * every team can be staffed.
 */
export function staffingProblems(teams: TeamStaffing[], department: (label: string) => string): string[] {
  return teams
    .filter((team) => team.pool < team.count)
    .map((team) =>
      t('tasks.form.poolTooSmall', {
        department: department(team.department),
        count: team.count,
        pool: team.pool,
        items: team.items.map((item) => t('tasks.form.poolItem', { code: item.code, pool: item.pool })).join(i18n.lang === 'zh' ? '；' : '; '),
      }),
    );
}
