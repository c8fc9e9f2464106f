// The API's answers and request bodies as a client sees them: the one module the pages in web/ take engine types from
// (`import type { Task } from '$engine/api/types'`; type-only, erased from the bundle). Dates arrive as ISO strings
// (Json<T>). Shapes the engine already declares are derived from it; the few only a route builds are declared here.
import type { Json } from './json.ts';
import type { alertReportJson } from './routes/risk.ts';
import type * as Alerts from '../alerts/alerts.ts';
import type * as Coverage from '../coverage/coverage.ts';
import type * as Outcomes from '../coverage/outcomes.ts';
import type { Freshness } from '../coverage/store.ts';
import type * as Lifecycle from '../draw/lifecycle.ts';
import type * as Plans from '../draw/plans.ts';
import type * as Tasks from '../draw/tasks.ts';
import type * as Verify from '../draw/verify/report.ts';
import type * as Library from '../notebooks/library.ts';
import type * as Notebooks from '../notebooks/run.ts';
import type * as Policies from '../policy/policy.ts';
import type * as Preview from '../policy/preview.ts';
import type * as Portal from '../publish/portal.ts';
import type * as Deadline from '../results/deadline.ts';
import type * as Results from '../results/results.ts';

export type Tier = Policies.Tier;
export type TierRatiosBp = Policies.TierRatiosBp;

// ---- names (GET /api/task-options, GET /api/public/reference) ----

export interface NamedCode {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface Region extends NamedCode {
  level: 'province' | 'city' | 'district';
  parentCode: string | null;
}

/** Departments, regions (GB/T 2260) and industries (GB/T 4754) with their names. */
export interface Reference {
  departments: NamedCode[];
  regions: Region[];
  industries: NamedCode[];
}
/** GET /api/task-options answers the same lists as the public reference. */
export type TaskOptions = Reference;

// ---- plans, tasks, draws (/api/plans, /api/tasks, /api/draws) ----

export type TaskKind = Tasks.TaskKind;
export type TaskStatus = Tasks.TaskStatus;
export type StrataMode = Tasks.StrataMode;
export type TeamEntry = Tasks.TeamEntry;
export type DrawStatus = Lifecycle.DrawStatus;
/** A task's place in the draw lifecycle: awaiting approval, ready to commit, or the status of its live draw. */
export type Stage = 'awaiting_approval' | 'ready' | 'committed' | 'beaconed' | 'drawn';

export type Plan = Json<Plans.Plan>;
export type Task = Json<Tasks.Task>;

/** POST /api/tasks: what a new task needs (the server takes its author from the session, the rest from the plan and the policy). */
export type NewTask = Omit<Tasks.TaskSpec, 'createdBy'>;

/** One row of GET /api/tasks: the task, its stage and live draw, and how many draws it has had. */
export interface TaskRow extends Task {
  stage: Stage;
  liveDraw: { id: string; status: DrawStatus } | null;
  draws: number;
}

/** One stratum of a draw: its eligible count, the ratio or fixed count asked for, and the quota once drawn. */
export interface Stratum {
  stratum: string;
  eligible: number;
  ratioBp?: number;
  count?: number;
  quota?: number;
}

export type Draw = Omit<Json<Lifecycle.DrawHeader>, 'eligibility' | 'strata'> & { strata: Stratum[] };

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

/** One selected object of a draw, in draw order, with its team and the departments that found nobody for it. */
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

export interface UnstaffedObject {
  objectId: string;
  objectName: string | null;
  department: string;
  reason: string;
}

/** GET /api/draws/:id: the draw, its checklist, one page of its selection and every unstaffed object. */
export interface DrawDetail extends Draw {
  checklist: ChecklistItem[];
  selection: { total: number; limit: number; offset: number; rows: SelectionRow[] };
  unstaffed: UnstaffedObject[];
}

export type VerifyCheck = Verify.VerifyCheck;

/** GET /api/draws/:id/verify: the independent verifier's verdict on the draw's published files. */
export interface VerifyAnswer extends Pick<Verify.VerifyReport, 'checks' | 'firstMismatch' | 'warnings' | 'engine' | 'elapsedMs'> {
  drawId?: string;
  verified: boolean;
  message: string;
  checkedAt: string;
}

// ---- policy and models (/api/policy, /api/models) ----

export type PolicySettings = Json<Policies.PolicySettings>;

export interface Policy extends PolicySettings {
  version: number;
  createdAt: string | null;
  author: string | null;
  reason: string | null;
}

/** GET /api/policy: the policy in force and the ratios practice calls usual per tier. */
export interface PolicyAnswer {
  policy: Policy;
  practiceRangeBp: Record<Tier, [number, number]>;
  warnings: string[];
}

export interface PolicyVersion extends Policy {
  changes: Array<{ field: string; before: number | null; after: number | null }>;
}

/** POST /api/policy: the new version, the one it follows, and what changed. */
export interface SavedPolicy {
  policy: Policy;
  previousVersion: number;
  changes: PolicyVersion['changes'];
  warnings: string[];
}

export type TierPreview = Json<Preview.TierPreview>;
export type PolicyPreview = Json<Preview.PolicyPreview>;

export interface ModelVersion {
  version: number;
  fittedAt: string;
  fittedBy: string;
  method: string;
  asOf: string;
  current: boolean;
  tierCounts?: Record<Tier, number>;
  metrics: {
    auc: number | null;
    hitRateByTier: Record<Tier, number | null> | null;
    liftAt: Record<string, number | null> | null;
    daysEarlier: number | null;
    truthSpearman: number | null;
    testYear: number | null;
    backtestSkipped?: string;
  };
}

export interface TierOutcome {
  tier: Tier;
  population: number;
  inspected: number;
  found: number;
  hitRate: number | null;
}

/** GET /api/models/:version/backtest: the model's lift curve and hit rate per tier on a year it never trained on. */
export interface Backtest {
  version: number;
  testYear: number | null;
  source: 'curve' | 'liftAt' | 'none';
  liftCurve: Array<{ share: number; found: number }>;
  auc: number | null;
  daysEarlier: number | null;
  tiers: TierOutcome[];
  test?: { entities: number; withFinding: number; hitRate: number; visits: number };
  backtestSkipped?: string;
}

// ---- coverage and outcomes (/api/coverage, /api/outcomes) ----

export type TierCoverage = Coverage.TierCoverage;
export type CityCoverage = Coverage.CityCoverage;
export type DepartmentCoverage = Coverage.DepartmentCoverage;
export type CoverageHeadline = Coverage.CoverageHeadline;
export type DeadlineCounts = Coverage.DeadlineCounts;
/** GET /api/coverage: the engine's report with its freshness. */
export type CoverageReport = Coverage.CoverageReport & Freshness;

export type OutcomeGroup = Outcomes.OutcomeGroup;
/** GET /api/outcomes: the engine's report with its freshness. */
export type OutcomesReport = Outcomes.OutcomesReport & Freshness;
/** Filters of GET /api/outcomes (null or absent: all). */
export type OutcomeFilters = Outcomes.OutcomeFilters;
/** GET /api/outcomes/results: the filters, what a drill-down narrows them to, and the page. */
export type OutcomeResultsQuery = Outcomes.OutcomeResultsQuery;

/** One published result of the outcomes drill-down (GET /api/outcomes/results), columns as the query names them. */
export interface OutcomeResultRow {
  result_id: string;
  draw_id: string;
  task_id: string;
  object_id: string;
  entity_name: string;
  city_code: string;
  city_name_zh: string | null;
  city_name_en: string | null;
  region_name_zh: string | null;
  industry_code: string | null;
  industry_name_zh: string | null;
  industry_name_en: string | null;
  tier: string | null;
  item_code: string;
  item_name_zh: string;
  item_name_en: string;
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  outcome_code: string;
  outcome_name_zh: string;
  outcome_name_en: string;
  is_finding: boolean;
  findings: string | null;
  inspected_on: string;
  published_at: string;
}

export interface OutcomeResultsPage {
  total: number;
  limit: number;
  offset: number;
  rows: OutcomeResultRow[];
}

// ---- the public portal (/api/public) ----

export type PublicItem = Json<Portal.PublicItem>;
export type PublicTask = Json<Portal.PublicTask>;
export type PublicPlan = Json<Portal.PublicPlan>;
export type PublicDraw = Json<Portal.PublicDrawSummary>;
export type PublicDrawDetail = Json<Portal.PublicDrawDetail>;
export type PublicResult = Json<Portal.PublicResult>;
export type ResultSearchPage = Json<Portal.ResultSearchPage>;

// ---- results (/api/results) ----

export type AssignmentState = Results.AssignmentState;
export type DeadlineState = Deadline.DeadlineState;
export type FindingsReview = Results.FindingsReview;
export type Assignment = Json<Results.Assignment>;
export type DeadlineReport = Json<Results.DeadlineReport>;
export type ResultState = Json<Results.ResultState>;
export type DrawResult = Json<Results.DrawResult>;
export type HistoryEntry = Json<Results.HistoryEntry>;
/** Which result: the draw, the drawn object and the checklist item. */
export type ResultKey = Results.ResultKey;

/** GET /api/results/assignments: one page of the department's assignments. */
export interface AssignmentPage {
  total: number;
  today: string;
  assignments: Assignment[];
}

/** GET /api/results/:drawId/:objectId/:itemCode/history: the result now and every version before it. */
export interface ResultHistory {
  result: DrawResult;
  history: HistoryEntry[];
}

export interface OutcomeCode extends NamedCode {
  isFinding: boolean;
}

// ---- alerts (/api/alerts) ----

/** GET /api/alerts: the engine's report as the route shapes it (ids, banded weeks), plus where the answer came from. */
export type AlertReport = Json<ReturnType<typeof alertReportJson>> & { cache: { hit: boolean; dataVersion: string; computedAt: string } };
export type Alert = AlertReport['alerts'][number];
export type AlertWeek = Alert['series'][number];
export type Severity = Alerts.Severity;
export type Name = Alerts.Name;

// ---- audit (/api/audit) ----

export interface AuditEntry {
  seq: number;
  recordedAt: string;
  actor: string;
  action: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** GET /api/audit?subject=: the trail of a task (its draws and results too) in chain order. */
export interface AuditTrail {
  subject: string | null;
  subjectKind: 'task' | 'draw' | 'other' | null;
  taskId: string | null;
  total: number;
  limit: number;
  offset: number;
  entries: AuditEntry[];
}

/** GET /api/audit/verify: the hash chain walked end to end, and the first broken entry if any. */
export interface ChainStatus {
  ok: boolean;
  entries: number;
  seq?: number;
  problem?: string;
  entry?: { seq: number; actor: string; action: string; subject: string | null; recordedAt?: string };
  checkedAt: string;
  elapsedMs: number;
}

// ---- notebooks (/api/notebooks: the engine's types, sent as they are) ----

export type NotebookEntry = Library.NotebookEntry;
export type NotebookRun = Notebooks.NotebookRun;
export type CellRun = Notebooks.CellRun;
export type CellError = Notebooks.CellError;
export type MarkdownCellRun = Notebooks.MarkdownCellRun;
export type SqlCellRun = Notebooks.SqlCellRun;
export type ChartCellRun = Notebooks.ChartCellRun;
export type ResultColumn = Notebooks.ResultColumn;
export type ResultRow = Notebooks.ResultRow;
