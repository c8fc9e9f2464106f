// The API's shapes as the pages receive them: every type here is the Json<> of a TypeBox declaration the routes
// validate, serialize and document with (engine/src/*/schemas.ts), so a shape changed there changes here or fails
// `npm run check`. The pages import from this module only, and only types (a type-only import pulls no engine code
// into the browser bundle).
import type { Json } from './json.ts';
import type * as DrawShapes from '../draw/schemas.ts';
import type * as PolicyShapes from '../policy/schemas.ts';
import type * as RiskShapes from '../risk/schemas.ts';
import type * as AlertShapes from '../alerts/schemas.ts';
import type * as ResultShapes from '../results/schemas.ts';
import type * as PortalShapes from '../publish/schemas.ts';
import type * as CoverageShapes from '../coverage/schemas.ts';
import type * as NotebookShapes from '../notebooks/schemas.ts';
import type * as ReferenceShapes from '../reference/names.ts';
import type * as AuditShapes from '../audit/trail.ts';
import type * as AuthShapes from '../auth/schemas.ts';
import type * as ImportShapes from '../ingest/schemas.ts';
import type * as InboxShapes from '../inbox/schemas.ts';
import type { ErrorAnswer as ErrorShape } from './schemas.ts';

export type { Json };
export type { CodeName as NamedCode, Name, RatioBp, Tier } from '../kernel/schema.ts';

/** Every refused request (4xx): a stable code to key on, the message in both languages, and the code's parameters. */
export type ErrorAnswer = ErrorShape;

// ---- plans, tasks, draws (/api/plans, /api/tasks, /api/draws, /api/task-options) ----
export type { DrawStatus, Stage, StrataMode, TaskKind, TaskStatus } from '../draw/schemas.ts';
/** The files a draw publishes: the full package's manifest.json (fd1 §8, fd2 §4), as the portal's verifier reads it. */
export type { DrawManifest } from '../draw/files.ts';
export type Plan = Json<DrawShapes.Plan>;
export type TeamEntry = DrawShapes.TeamEntry;
export type Task = Json<DrawShapes.Task>;
/** The alert a special task answers, kept with it internally. */
export type AlertEvidence = DrawShapes.AlertEvidence;
export type TaskRow = Json<DrawShapes.TaskRow>;
export type TaskDetail = Json<DrawShapes.TaskDetail>;
/** A partner department's invitation into a joint task, and a leader's early publication of a draw's results. */
export type Invitation = Json<DrawShapes.Invitation>;
export type EarlyPublication = Json<DrawShapes.EarlyPublication>;
/** What POST /api/tasks takes (ratiosBp: per tier or stratum, each a RatioBp); the author is the session's. */
export type NewTask = DrawShapes.TaskBody;
/** POST /api/tasks/staffing: one team entry's inspector pool for a drafted task, for all its items and each alone. */
export type TeamStaffing = DrawShapes.TeamStaffing;
export type ChecklistItem = DrawShapes.ChecklistEntry;
export type Stratum = DrawShapes.Stratum;
export type Draw = Json<DrawShapes.Draw>;
/** GET /api/draws/:drawId: the draw with one page of its selection (teams named) and its unstaffed objects. */
export type DrawDetail = Json<DrawShapes.DrawPage>;
export type SelectionRow = DrawShapes.SelectionEntry;
export type TeamMember = SelectionRow['team'][number];
export type UnstaffedObject = DrawShapes.UnstaffedObject;
export type VerifyAnswer = Json<DrawShapes.VerifyAnswer>;
export type VerifyCheck = VerifyAnswer['checks'][number];
export type Attestation = Json<DrawShapes.Attestation>;
export type PublicAttestation = Json<DrawShapes.PublicAttestation>;
export type TaskOptions = ReferenceShapes.ReferenceNames;

// ---- sampling policy, models, scores (/api/policy, /api/models, /api/scores) ----
export type PolicySettings = PolicyShapes.PolicySettings;
export type TierRatiosBp = PolicyShapes.TierRatiosBp;
export type Policy = Json<PolicyShapes.SamplingPolicy>;
export type PolicyAnswer = Json<PolicyShapes.PolicyAnswer>;
export type PolicyVersion = Json<PolicyShapes.PolicyVersion>;
/** What POST /api/policy and /api/policy/preview take (tierRatiosBp: any subset of tiers, each a RatioBp). */
export type PolicyChange = PolicyShapes.PolicyChange;
export type SavedPolicy = Json<PolicyShapes.SavedPolicy>;
export type TierPreview = Json<PolicyShapes.TierPreview>;
export type PolicyPreview = Json<PolicyShapes.PolicyPreview>;
export type ModelVersion = Json<RiskShapes.ModelView>;
export type FitAnswer = Json<RiskShapes.FitAnswer>;
export type Backtest = Json<RiskShapes.ModelBacktest>;
export type TierOutcome = Backtest['tiers'][number];
export type TierCountRow = RiskShapes.TierCountRow;
export type ScoreRow = RiskShapes.ScoreRow;
export type ScorePage = RiskShapes.ScorePage;
export type TierCountTable = RiskShapes.TierCountTable;
export type ScoreExplanation = RiskShapes.ScoreExplanation;

// ---- regional alerts (/api/alerts) ----
export type AlertReport = Json<AlertShapes.AlertAnswer>;
export type Alert = AlertReport['alerts'][number];
export type AlertWeek = Alert['series'][number];
export type Severity = Alert['severity'];

// ---- the 待我处理 inbox (/api/inbox) ----
export type Inbox = InboxShapes.Inbox;
export type InboxItem = InboxShapes.InboxItem;
export type InboxSource = InboxShapes.InboxSource;

// ---- results (/api/results) ----
export type { AssignmentSort, AssignmentState, DeadlineState, FindingsReview, SortDirection } from '../results/schemas.ts';
export type ResultKey = ResultShapes.ResultKey;
export type Assignment = Json<ResultShapes.Assignment>;
export type AssignmentPage = Json<ResultShapes.AssignmentPage>;
export type DeadlineReport = Json<ResultShapes.DeadlineReport>;
export type ResultState = ResultShapes.ResultState;
export type DrawResult = Json<ResultShapes.DrawResult>;
export type Evidence = Json<ResultShapes.Evidence>;
export type VisitSheet = Json<ResultShapes.VisitSheet>;
export type EntityResults = Json<ResultShapes.EntityResults>;
export type HistoryEntry = Json<ResultShapes.HistoryEntry>;
export type ResultHistory = Json<ResultShapes.ResultHistory>;
export type ResultEntry = ResultShapes.ResultEntry;
export type ResultCorrection = ResultShapes.ResultCorrection;
export type FindingsDecision = ResultShapes.FindingsDecision;
export type OutcomeCode = ReferenceShapes.OutcomeCode;

// ---- the public portal (/api/public/...) ----
export type PublicItem = PortalShapes.PublicItem;
export type PublicTask = PortalShapes.PublicTask;
export type PublicPlan = Json<PortalShapes.PublicPlan>;
export type PublicDraw = Json<PortalShapes.PublicDrawSummary>;
export type PublicDrawPage = Json<PortalShapes.PublicDrawPage>;
export type PublicDrawDetail = Json<PortalShapes.PublicDrawDetail>;
export type PublicResult = Json<PortalShapes.PublicResult>;
export type ResultSearchPage = Json<PortalShapes.ResultSearchPage>;
/** GET /api/public/reference (and /api/task-options): departments, regions, industries with their names. */
export type Reference = ReferenceShapes.ReferenceNames;
export type Region = ReferenceShapes.Region;

// ---- coverage and outcomes (/api/coverage, /api/outcomes) ----
export type CoverageReport = CoverageShapes.CoverageAnswer;
export type CoverageHeadline = CoverageShapes.CoverageHeadline;
export type TierCoverage = CoverageShapes.TierCoverage;
export type CityCoverage = CoverageShapes.CityCoverage;
export type DepartmentCoverage = CoverageShapes.DepartmentCoverage;
export type DeadlineCounts = CoverageShapes.DeadlineCounts;
export type Freshness = CoverageShapes.Freshness;
export type OutcomesReport = CoverageShapes.OutcomesAnswer;
export type OutcomeGroup = CoverageShapes.OutcomeGroup;
export type OutcomeResultRow = Json<CoverageShapes.OutcomeResultRow>;
export type OutcomeResultsPage = Json<CoverageShapes.OutcomeResultsPage>;
/** The filters of GET /api/outcomes (null or absent: all) and what the drill-down narrows them to. */
export type { OutcomeFilters, OutcomeResultsQuery } from '../coverage/outcomes.ts';

// ---- notebooks (/api/notebooks) ----
export type { CellError, CellRun, ChartCellRun, MarkdownCellRun, NotebookEntry, NotebookRun, ResultColumn, ResultRow, SqlCellRun } from '../notebooks/schemas.ts';

// ---- the audit log, accounts, imports ----
export type AuditTrail = Json<AuditShapes.AuditTrail>;
export type AuditEntry = Json<AuditShapes.AuditEntryView>;
export type ChainStatus = Json<AuditShapes.ChainVerdict>;
export type AuditHeadsPage = AuditShapes.PublishedHeadsPage;
export type { Role } from '../auth/schemas.ts';
export type Session = Json<AuthShapes.SessionAnswer>;
export type UserRecord = Json<AuthShapes.UserRecord>;
export type ImportReport = ImportShapes.ImportReport;
