// The tasks pages' API shapes (/api/plans, /api/tasks, /api/draws), the task form's model (pre-filled from the
// alerts page's special-draw link) and the request body it sends.

import type { Json } from '../../../../../engine/src/api/json.ts';
import type * as Tasks from '../../../../../engine/src/draw/tasks.ts';
import type * as Plans from '../../../../../engine/src/draw/plans.ts';
import type { TaskKind } from '../../../../../engine/src/draw/tasks.ts';
import type { DrawStatus } from '../../../../../engine/src/draw/lifecycle.ts';

export type { TaskKind, TaskStatus, StrataMode } from '../../../../../engine/src/draw/tasks.ts';
export type { DrawStatus } from '../../../../../engine/src/draw/lifecycle.ts';
export type Stage = 'awaiting_approval' | 'ready' | 'committed' | 'beaconed' | 'drawn';
export const TIERS = ['A', 'B', 'C', 'D'] as const;
export const KINDS: TaskKind[] = ['general', 'key', 'special'];
export const STAGES: Stage[] = ['awaiting_approval', 'ready', 'committed', 'beaconed', 'drawn'];
export const ENTITY_TYPES = ['enterprise', 'individual', 'cooperative'] as const;

export type Plan = Json<Plans.Plan>;
export type TeamEntry = Tasks.TeamEntry;

export type Task = Json<Tasks.Task>;

export interface TaskRow extends Task {
  stage: Stage;
  liveDraw: { id: string; status: DrawStatus } | null;
  draws: number;
}

export interface Stratum {
  stratum: string;
  eligible: number;
  ratioBp?: number;
  count?: number;
  quota?: number;
}

export interface Draw {
  id: string;
  taskId: string;
  taskName: string;
  taskKind: TaskKind;
  departments: string[];
  protocol: string;
  status: DrawStatus;
  commitment: string;
  populationDigest: string;
  populationSize: number;
  beacon: string | null;
  grindProof: boolean | null;
  committedAt: string;
  beaconedAt: string | null;
  drawnAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  voidedBy: string | null;
  committedBy: string;
  beaconedBy: string | null;
  drawnBy: string | null;
  policyVersion: number | null;
  teamSpec: TeamEntry[];
  strata: Stratum[];
  caps: Array<{ department: string; count: number; pool: number; cap: number }> | null;
  windowStart: string;
  windowEnd: string;
  counts: { selected: number; teamMembers: number; unstaffedObjects: number; exclusions: number; pool: number };
}

export interface ChecklistItem {
  department: string;
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  method: string;
}

/** GET /api/tasks/:id: the task with its checklist and every draw (the list only counts them). */
export interface TaskDetail extends Omit<TaskRow, 'draws'> {
  checklist: ChecklistItem[];
  ratiosInEffect: Record<string, number> | null;
  policyVersion: number;
  draws: Draw[];
}

export interface TeamMember {
  department: string;
  inspectorId: string;
  inspectorName: string | null;
  inspectorKind: string | null;
  position: number;
}

export interface SelectionRow {
  drawOrder: number;
  stratum: string;
  rank: number;
  objectId: string;
  name: string | null;
  entityType: string | null;
  regionCode: string | null;
  regionNameZh: string | null;
  industryCode: string | null;
  team: TeamMember[];
  unstaffed: Array<{ department: string; reason: string }>;
}

export interface DrawDetail extends Draw {
  checklist: ChecklistItem[];
  selection: { total: number; limit: number; offset: number; rows: SelectionRow[] };
  unstaffed: Array<{ objectId: string; objectName: string | null; department: string; reason: string }>;
}

export interface VerifyCheck {
  id: string;
  title: string;
  status: 'ok' | 'mismatch' | 'warning' | 'skipped';
  detail: string;
  file?: string;
  line?: number;
  content?: string;
}

export interface VerifyAnswer {
  drawId?: string;
  verified: boolean;
  message: string;
  firstMismatch?: VerifyCheck;
  checks: VerifyCheck[];
  warnings: string[];
  engine: 'js' | 'duckdb';
  elapsedMs: number;
  checkedAt: string;
}

export interface TaskOptions {
  departments: Array<{ code: string; nameZh: string; nameEn: string }>;
  regions: Array<{ code: string; nameZh: string; nameEn: string; level: string; parentCode: string | null }>;
  industries: Array<{ code: string; nameZh: string; nameEn: string }>;
}

export interface PublicItem {
  code: string;
  version: number;
  departmentCode: string;
  departmentNameZh?: string;
  departmentNameEn?: string;
  kind: 'general' | 'key';
  nameZh: string;
  nameEn: string;
  objectType: string;
  method: string;
  defaultRatioBp?: number;
}

/** What /tasks/new reads from its query string (the alerts page's special-draw link). */
export interface Prefill {
  kind: TaskKind | null;
  regions: string[];
  industries: string[];
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
    ratioBp: Number.isInteger(ratio) && ratio > 0 && ratio <= 10000 ? ratio : null,
    reason: search.get('reason')?.trim() || null,
  };
}

/** A special task's name from an alert's reason: its Chinese half (the reason reads "中文 / English"). */
export function specialTaskName(reason: string): string {
  const zh = reason.split(' / ')[0].trim();
  return `专项抽查：${zh}`.slice(0, 300);
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

/** Today in Asia/Shanghai, 'YYYY-MM-DD'. */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

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
