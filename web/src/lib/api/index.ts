// The API client: one typed function per route the pages use, and the links they offer for download. Pages and
// components call these; only this module spells out a URL under /api.
import type {
  AlertReport,
  AssignmentPage,
  AssignmentSort,
  TeamStaffing,
  SortDirection,
  AssignmentState,
  AuditHeadsPage,
  AuditTrail,
  Backtest,
  ChainStatus,
  CoverageReport,
  Draw,
  DrawDetail,
  EarlyPublication,
  Invitation,
  DrawResult,
  Evidence,
  VisitSheet,
  EntityResults,
  DrawStatus,
  DeadlineReport,
  Inbox,
  ModelVersion,
  NewTask,
  NotebookEntry,
  NotebookRun,
  OutcomeCode,
  OutcomeFilters,
  OutcomeResultsPage,
  OutcomeResultsQuery,
  OutcomesReport,
  Plan,
  PolicyAnswer,
  PolicyPreview,
  PolicyVersion,
  PublicDraw,
  PublicDrawDetail,
  PublicItem,
  PublicPlan,
  Reference,
  ResultHistory,
  ResultKey,
  ResultSearchPage,
  SavedPolicy,
  Task,
  TaskDetail,
  TaskOptions,
  TaskRow,
  TierRatiosBp,
  VerifyAnswer,
  Attestation,
} from '$engine/api/types';
import { getJson, query, sendJson, uploadFile } from './request';

export { ApiError, getArrow, query, uploadFile } from './request';

const id = encodeURIComponent;

// ---- coverage, outcomes, alerts ----

export const getCoverage = (scope: { year: number; city: string | null }) => getJson<CoverageReport>(`/api/coverage${query(scope)}`);

export const getOutcomes = (filters: OutcomeFilters) => getJson<OutcomesReport>(`/api/outcomes${query(filters)}`);

export const getOutcomeResults = (q: OutcomeResultsQuery) => getJson<OutcomeResultsPage>(`/api/outcomes/results${query(q)}`);

export interface AlertSettings {
  windowWeeks?: number;
  q?: number;
  minObserved?: number;
}
export const getAlerts = (settings: AlertSettings = {}) => getJson<AlertReport>(`/api/alerts${query(settings)}`);

// ---- the 待我处理 inbox ----

export const getInbox = () => getJson<Inbox>('/api/inbox');

// ---- sampling policy and risk models ----

export const getPolicy = () => getJson<PolicyAnswer>('/api/policy');

/** What the ratios would give, nothing saved; without ratios, the policy in force. */
export const previewPolicy = (tierRatiosBp?: TierRatiosBp) => sendJson<PolicyPreview>('POST', '/api/policy/preview', tierRatiosBp ? { tierRatiosBp } : {});

export const savePolicy = (tierRatiosBp: TierRatiosBp, reason: string) => sendJson<SavedPolicy>('POST', '/api/policy', { tierRatiosBp, reason });

export const getPolicyVersions = () => getJson<{ versions: PolicyVersion[] }>('/api/policy/versions');

export const getModels = () => getJson<{ models: ModelVersion[] }>('/api/models');

export const getBacktest = (version: number) => getJson<Backtest>(`/api/models/${version}/backtest`);

// ---- plans, tasks, draws ----

export const getPlans = () => getJson<{ plans: Plan[] }>('/api/plans');

export const getTaskOptions = () => getJson<TaskOptions>('/api/task-options');

export const getTasks = () => getJson<{ tasks: TaskRow[] }>('/api/tasks');

export const getTask = (taskId: string) => getJson<TaskDetail>(`/api/tasks/${id(taskId)}`);

export const createTask = (task: NewTask) => sendJson<Task>('POST', '/api/tasks', task);

/** Who could staff the drafted task (nothing is saved): a draw refuses a pool smaller than one team. */
export const checkStaffing = (task: NewTask) => sendJson<{ teams: TeamStaffing[] }>('POST', '/api/tasks/staffing', task);

export const approveTask = (taskId: string) => sendJson<Task>('POST', `/api/tasks/${id(taskId)}/approve`);

/** A partner department answers its invitation into a joint task (its own operators, or an admin). */
export const answerInvitation = (taskId: string, department: string, decision: 'accept' | 'decline') =>
  sendJson<Invitation>('POST', `/api/tasks/${id(taskId)}/invitations/${id(department)}`, { decision });

/** The lead department takes a partner department (its items and team) out of the task before the draw. */
export const withdrawDepartment = (taskId: string, department: string) => sendJson<Task>('POST', `/api/tasks/${id(taskId)}/departments/${id(department)}/withdraw`);

/** A leader's recorded decision to publish a draw's results before its window closes. */
export const publishEarly = (drawId: string, reason: string) => sendJson<EarlyPublication>('POST', `/api/draws/${id(drawId)}/publish-early`, { reason });

/** Freezes the task's population and pools, publishes the commitment and declares the beacon (fd2 §1): a new draw. */
export const commitDraw = (taskId: string, beacon: { beaconSource: string; beaconDue: string }) => sendJson<Draw>('POST', `/api/tasks/${id(taskId)}/draws`, beacon);

export const enterBeacon = (drawId: string, beacon: string) => sendJson<Draw>('POST', `/api/draws/${id(drawId)}/beacon`, { beacon });

export const runDraw = (drawId: string) => sendJson<Draw>('POST', `/api/draws/${id(drawId)}/run`, {});

export const voidDraw = (drawId: string, reason: string) => sendJson<Draw>('POST', `/api/draws/${id(drawId)}/void`, { reason });

export const getDraws = (filter: { status?: DrawStatus } = {}) => getJson<{ draws: Draw[] }>(`/api/draws${query(filter)}`);

/** The draw with one page of its selection (teams and unstaffed departments per object). */
export const getDraw = (drawId: string, page: { limit: number; offset: number }) => getJson<DrawDetail>(`/api/draws/${id(drawId)}${query(page)}`);

export const verifyDraw = (drawId: string) => getJson<VerifyAnswer>(`/api/draws/${id(drawId)}/verify`);

/** Auditors' attestations of a draw (docs/fd2.md §6), each with the verifier's report. */
export const getAttestations = (drawId: string) => getJson<{ attestations: Attestation[] }>(`/api/draws/${id(drawId)}/attestations`);

/** An auditor has the server build and verify the draw's auditor package, and records the attestation. */
export const attestDraw = (drawId: string) => sendJson<Attestation>('POST', `/api/draws/${id(drawId)}/attestations`, { source: 'dashboard' });

/** An auditor uploads the zip of a CLI export (`fairdraw draw export ID DIR --auditor`); the server verifies it again. */
export const uploadAttestation = (drawId: string, file: File) => {
  const form = new FormData();
  form.append('file', file);
  return uploadFile<Attestation>(`/api/draws/${id(drawId)}/attestations/upload`, form);
};

/** The zip of a draw's public package, or of its auditor package (auditors and admins only: secret, strata, keys). */
export const drawExportHref = (drawId: string, pkg: 'public' | 'auditor' = 'public') => `/api/draws/${id(drawId)}/export?package=${pkg}`;

// ---- results ----

export interface AssignmentFilter {
  department?: string;
  drawId?: string;
  dueSoonDays?: number;
}

export const getAssignments = (filter: AssignmentFilter & { state?: AssignmentState | ''; limit: number; offset: number; sort?: AssignmentSort; direction?: SortDirection }) =>
  getJson<AssignmentPage>(`/api/results/assignments${query(filter)}`);

export const getDeadlines = (filter: AssignmentFilter) => getJson<DeadlineReport>(`/api/results/deadlines${query(filter)}`);

export const getOutcomeCodes = () => getJson<{ codes: OutcomeCode[] }>('/api/results/outcome-codes');

const resultPath = (key: ResultKey) => `/api/results/${id(key.drawId)}/${id(key.objectId)}/${id(key.itemCode)}`;

export const enterResult = (entry: ResultKey & { outcomeCode: string; inspectedOn: string; findings: string | null }) => sendJson<DrawResult>('POST', '/api/results', entry);

/** A correction: the fields that change, and why. */
export const correctResult = (key: ResultKey, change: { outcomeCode?: string; inspectedOn?: string; findings?: string | null; reason: string }) =>
  sendJson<DrawResult>('PUT', resultPath(key), change);

export const getResultHistory = (key: ResultKey) => getJson<ResultHistory>(`${resultPath(key)}/history`);

/** The decision on a result's free text: approved for publication (with the text the public sees) or withheld. */
export const reviewResult = (key: ResultKey, review: { decision: 'approved' | 'withheld'; publicText: string | null; note: string | null }) =>
  sendJson<DrawResult>('POST', `${resultPath(key)}/review`, review);

export const publishResult = (key: ResultKey) => sendJson<DrawResult>('POST', `${resultPath(key)}/publish`);

/** The visit sheet of a selected object: entity, team, every department's items. */
export const getVisitSheet = (drawId: string, objectId: string) => getJson<VisitSheet>(`/api/visits/${id(drawId)}/${id(objectId)}`);

/** Every department's results for one entity (shared across departments). */
export const getEntityResults = (objectId: string) => getJson<EntityResults>(`/api/entities/${id(objectId)}/results`);

export const getEvidence = (key: ResultKey) => getJson<{ evidence: Evidence[] }>(`${resultPath(key)}/evidence`);

/** Where one evidence file is read (an <img> or a link: the session cookie goes with it). */
export const evidenceUrl = (key: ResultKey, number: number) => `${resultPath(key)}/evidence/${number}`;

/** Attaches one file to a result; `takenAt` is when it was taken (a photo's own time). */
export function addEvidence(key: ResultKey, file: Blob, name: string, takenAt: string): Promise<Evidence> {
  const form = new FormData();
  form.append('file', file, name);
  return uploadFile<Evidence>(`${resultPath(key)}/evidence${query({ takenAt })}`, form);
}

/** Publishes every entered, unpublished result of a draw (of one department when given). */
export const publishDrawResults = (drawId: string, department: string | null) => sendJson<{ published: unknown[] }>('POST', '/api/results/publish', { drawId, department });

// ---- the public portal ----

export const getReference = () => getJson<Reference>('/api/public/reference');

export const getPublicItems = (department: string | null = null) => getJson<{ on: string; items: PublicItem[] }>(`/api/public/items${query({ department })}`);

export const getPublicPlans = () => getJson<{ plans: PublicPlan[] }>('/api/public/plans');

export const getPublicDraws = (limit: number) => getJson<{ total: number; draws: PublicDraw[] }>(`/api/public/draws${query({ limit })}`);

export const getAuditHeads = (limit: number, offset = 0) => getJson<AuditHeadsPage>(`/api/public/audit-heads${query({ limit, offset })}`);

export const getPublicDraw = (drawId: string) => getJson<PublicDrawDetail>(`/api/public/draws/${id(drawId)}`);

/** One of a published draw's verification files. */
export const publicDrawFileHref = (drawId: string, file: string) => `/api/public/draws/${id(drawId)}/files/${file}`;
/** An fd2 draw's public package as one zip, the folder `fairdraw draw verify DIR` takes. */
export const publicDrawZipHref = (drawId: string) => `/api/public/draws/${id(drawId)}/package.zip`;

export const searchPublicResults = (search: { q: string; limit: number; offset: number }) => getJson<ResultSearchPage>(`/api/public/results${query(search)}`);

// ---- audit ----

export const verifyAuditChain = () => getJson<ChainStatus>('/api/audit/verify');

export const getAuditTrail = (subject: string, limit: number) => getJson<AuditTrail>(`/api/audit${query({ subject, limit })}`);

// ---- notebooks ----

export const getNotebooks = () => getJson<{ notebooks: NotebookEntry[] }>('/api/notebooks');

/** Runs the notebook now, read-only: every cell's result, chart and time. */
export const runNotebook = (name: string) => getJson<NotebookRun>(`/api/notebooks/${id(name)}`);

/** The same run as one self-contained HTML file. */
/** The notebook as one HTML file in the reader's language. */
export const notebookHtmlHref = (name: string, lang: 'zh' | 'en') => `/api/notebooks/${id(name)}/html?lang=${lang}`;
