// The shapes of plans, tasks and draws, declared once: the engine's types (Static<>) and the API's schemas (validation,
// serialization, OpenAPI). Instants are Dates here and ISO times on the wire; the manifest keeps its own field names.
import { DateTime, IsoDate, Nullable, RatioBp, RecordOf, StringEnum, Type, type Static } from '../kernel/schema.ts';

export const TASK_KINDS = ['general', 'key', 'special'] as const;
export const TaskKind = StringEnum(TASK_KINDS, { description: '一般 general / 重点 key / 专项 special' });
export type TaskKind = Static<typeof TaskKind>;

export const STRATA_MODES = ['tier', 'tier_city', 'none'] as const;
export const StrataMode = StringEnum(STRATA_MODES);
export type StrataMode = Static<typeof StrataMode>;

export const TASK_STATUSES = ['awaiting_approval', 'ready'] as const;
export const TaskStatus = StringEnum(TASK_STATUSES, { description: 'awaiting_approval：专项任务待领导审批 special task awaiting a leader; ready' });
export type TaskStatus = Static<typeof TaskStatus>;

export const DRAW_STATUSES = ['committed', 'beaconed', 'drawn', 'voided'] as const;
export const DrawStatus = StringEnum(DRAW_STATUSES);
export type DrawStatus = Static<typeof DrawStatus>;

/** Where a task stands for lists: awaiting approval, ready to commit, or the status of its live draw. */
export const STAGES = ['awaiting_approval', 'ready', 'committed', 'beaconed', 'drawn'] as const;
export const Stage = StringEnum(STAGES, { description: '待审批、待抽取，或当前抽取的状态 awaiting approval, ready, or the live draw\'s status' });
export type Stage = Static<typeof Stage>;

const YEAR = { minimum: 2000, maximum: 2100 } as const;
export const Year = Type.Integer(YEAR);
export const DepartmentCode = Type.String({ minLength: 1, maxLength: 32 });

// ---- plans ----

export const Plan = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  jurisdictionRegionCode: Type.String({ description: '辖区行政区划代码 jurisdiction (GB/T 2260)' }),
  leadDepartment: Type.String(),
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: DateTime,
});
export type Plan = Static<typeof Plan>;

/** A new plan as a caller asks for it (the creator is the caller). */
export const PlanBody = Type.Object(
  {
    year: Year,
    jurisdictionRegionCode: Type.String({ pattern: '^\\d{6}$', description: '辖区行政区划代码 GB/T 2260, e.g. 440300' }),
    leadDepartment: DepartmentCode,
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type PlanBody = Static<typeof PlanBody>;

// ---- tasks ----

const teamEntryProperties = {
  department: Type.String({ description: '部门代码，或 部门:expert（专家和第三方） department code, or CODE:expert for experts and third parties' }),
  count: Type.Integer({ minimum: 1, maximum: 20 }),
  /** A larger per-inspector cap than the protocol's default (section 5). */
  cap: Type.Optional(Type.Integer({ minimum: 1, description: '每名人员最多检查对象数（默认按协议计算） a larger per-inspector cap than the protocol default' })),
};
export const TeamEntry = Type.Object(teamEntryProperties);
export type TeamEntry = Static<typeof TeamEntry>;

const scopeProperties = {
  /** GB/T 2260 codes at any level (province, city, district); empty: the plan's jurisdiction. */
  regions: Type.Array(Type.String(), { description: '行政区划代码（默认计划辖区） GB/T 2260 codes (default: the plan\'s jurisdiction)' }),
  /** GB/T 4754 sections; empty: all. */
  industries: Type.Array(Type.String(), { description: '行业门类 A..T（空为全部） GB/T 4754 sections (empty: all)' }),
  /** enterprise | individual | cooperative; empty: all. */
  entityTypes: Type.Array(Type.String(), { description: 'enterprise / individual / cooperative（空为全部 empty: all）' }),
  /** entity | product | project | behaviour; default entity. */
  objectKinds: Type.Array(Type.String(), { description: 'entity / product / project / behaviour（默认 entity）' }),
  /** Objects responsible to every one of these departments (谁审批、谁监管); default: the task's departments. */
  departments: Type.Array(Type.String(), { description: '对象须由这些部门共同监管（默认参与部门） objects responsible to every one of these departments' }),
};
/** Which objects a task draws from. */
export const TaskScope = Type.Object(scopeProperties);
export type TaskScope = Static<typeof TaskScope>;

export const TaskItemRef = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  departmentCode: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  specialty: Type.String(),
  method: Type.String(),
  defaultRatioBp: RatioBp,
});
export type TaskItemRef = Static<typeof TaskItemRef>;

/**
 * The regional alert a special task was raised from, as the alerts page showed it: its statistics stay with the task
 * internally (the task page, the audit log) and never reach a public list.
 */
export const AlertEvidence = Type.Object(
  {
    alertId: Type.String({ minLength: 1, maxLength: 80, description: 'kind:regionCode:industryCode' }),
    kind: StringEnum(['complaints', 'findings']),
    regionCode: Type.String({ pattern: '^\\d{6}$' }),
    industryCode: Type.String({ minLength: 1, maxLength: 2 }),
    asOf: IsoDate,
    windowFrom: IsoDate,
    windowTo: IsoDate,
    observed: Type.Integer({ minimum: 0 }),
    expected: Type.Number({ minimum: 0 }),
    ratio: Nullable(Type.Number()),
    qValue: Type.Number({ minimum: 0, maximum: 1 }),
    severity: StringEnum(['high', 'medium', 'low']),
  },
  { additionalProperties: false, description: '发起专项抽查的区域风险预警（仅内部） the regional alert a special task was raised from (internal only)' },
);
export type AlertEvidence = Static<typeof AlertEvidence>;

const numbersByStratum = (value: typeof RatioBp | ReturnType<typeof Type.Integer>, description: string) => Nullable(RecordOf(value), { description });
const stratumNumbersText = '按分层（A..D 或 等级|地市，如 D|440300） per stratum (tier A..D, or tier|city such as D|440300)';

const taskProperties = {
  id: Type.String(),
  planId: Type.String(),
  kind: TaskKind,
  name: Type.String(),
  /** What public plan lists, the portal and published results call the task (never the alert's wording). */
  publicName: Type.String({ description: '公开名称：公示计划、门户和公示结果只显示它 the name public lists, the portal and published results show' }),
  alertEvidence: Nullable(AlertEvidence),
  leadDepartment: Type.String(),
  departments: Type.Array(Type.String(), { description: '参与部门，牵头部门在前；多个即联合抽查 participating departments, lead first; several: a joint task' }),
  items: Type.Array(TaskItemRef),
  scope: TaskScope,
  strataMode: StrataMode,
  /** Basis points per stratum ("D|440300") or per tier ("D"); missing tiers: the sampling policy. */
  ratiosBp: numbersByStratum(RatioBp, stratumNumbersText),
  /** Fixed count per stratum or per tier instead of ratios; strata not listed draw none. */
  counts: numbersByStratum(Type.Integer(), stratumNumbersText),
  teamSpec: Type.Array(TeamEntry),
  windowStart: IsoDate,
  windowEnd: IsoDate,
  /** fd2 §1: the least gap between commitment and the declared beacon time. */
  minBeaconGapMinutes: Type.Integer({ minimum: 1, description: '承诺与信标时间的最小间隔（分钟，默认 60） least minutes between commitment and beacon due (default 60)' }),
  status: TaskStatus,
  createdBy: Type.String(),
  createdAt: DateTime,
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(DateTime),
  /** The plan's jurisdiction: inspector pools come from within it. */
  jurisdictionRegionCode: Type.String(),
};
export const Task = Type.Object(taskProperties);
export type Task = Static<typeof Task>;

/** An item as a task names it: "SAMR-001", "SAMR-001@2" or {code, version}; without a version, the one in force on the window's first day. */
const ItemChoice = Type.Union([
  Type.String({ minLength: 1, maxLength: 40, description: 'CODE 或 CODE@VERSION' }),
  Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
]);

/** A new task as a caller asks for it: what is left out gets the defaults of validateTaskSpec. */
export const TaskBody = Type.Object(
  {
    planId: Type.String({ minLength: 1, maxLength: 64, description: '计划编号 plan id, e.g. P2026-0001' }),
    kind: StringEnum(TASK_KINDS),
    name: Type.String({ minLength: 1, maxLength: 300, description: '任务名称；专项抽查写明缘由 the task name; a special task says why' }),
    /** Default: the name; for a special task, "<year>年<regions><industries>专项抽查". */
    publicName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '公开名称（默认：任务名称；专项任务为 年度+地区+行业+专项抽查） the public name (default: the name; special tasks: year, regions, industries)' })),
    /** The regional alert this special task answers; kept with the task, never public. */
    alert: Type.Optional(AlertEvidence),
    /** Default: the plan's lead department. */
    leadDepartment: Type.Optional(DepartmentCode),
    /** Default: the items' departments, lead first. */
    departments: Type.Optional(Type.Array(DepartmentCode, { minItems: 1, maxItems: 20 })),
    items: Type.Array(ItemChoice, { minItems: 1, maxItems: 100 }),
    scope: Type.Optional(
      Type.Object(
        {
          regions: Type.Optional(scopeProperties.regions),
          industries: Type.Optional(scopeProperties.industries),
          // The engine takes any strings here (the CLI reads them from files) and checks them itself: typed as strings.
          entityTypes: Type.Optional(Type.Unsafe<string[]>(Type.Array(StringEnum(['enterprise', 'individual', 'cooperative'])))),
          objectKinds: Type.Optional(Type.Unsafe<string[]>(Type.Array(StringEnum(['entity', 'product', 'project', 'behaviour'])))),
          departments: Type.Optional(scopeProperties.departments),
        },
        { additionalProperties: false },
      ),
    ),
    /** Default 'tier'. */
    strataMode: Type.Optional(StrataMode),
    ratiosBp: Type.Optional(RecordOf(RatioBp, { description: '比例（基点，300 = 3%） ratios in basis points per tier or stratum' })),
    counts: Type.Optional(RecordOf(Type.Integer({ minimum: 0 }), { description: '固定数量 fixed counts per tier or stratum' })),
    /** Default: two officers of the lead department, one of every other participating department. */
    teamSpec: Type.Optional(Type.Array(Type.Object(teamEntryProperties, { additionalProperties: false }), { minItems: 1, maxItems: 40 })),
    windowStart: IsoDate,
    windowEnd: IsoDate,
    /** Default 60. */
    minBeaconGapMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 * 24 * 30, description: '承诺与信标时间的最小间隔（分钟） least minutes between commitment and beacon due' })),
  },
  { additionalProperties: false },
);
export type TaskBody = Static<typeof TaskBody>;

/** A task specification: the body plus who creates it. */
export type TaskSpec = TaskBody & { createdBy: string };

/** One entry of the one checklist: every item of every participating department, in task order. */
export const ChecklistEntry = Type.Object({
  department: Type.String(),
  code: Type.String(),
  version: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  method: Type.String(),
});
export type ChecklistEntry = Static<typeof ChecklistEntry>;
const Checklist = Type.Array(ChecklistEntry, { description: '一张检查清单：所有参与部门的全部事项 the one checklist: every item of every participating department' });

// ---- draws ----

/** The rules a draw's population was built with; stored with the draw so it can be rebuilt. */
export const EligibilityRules = Type.Object(
  {
    /** The burden window is counted back from the inspection window's first day. */
    referenceDate: IsoDate,
    /** Inspection load (draws and results) counted as of this Shanghai date, the commit day. */
    loadAsOf: IsoDate,
    burdenWindowDays: Type.Integer(),
    /** Special tasks are exempt from the burden window (tier D always is); nobody from the yearly cap. */
    burdenExempt: Type.Boolean(),
    yearlyCap: Type.Integer(),
    /** sampling_policies.version; 0 is the documented default, never saved. */
    policyVersion: Type.Integer(),
    strataMode: StrataMode,
    scope: TaskScope,
    /**
     * Recognition (结果互认) as declared when the population was frozen: each checklist item with an item of another
     * department whose recent result counts for it. An object whose every item is so covered within the burden window
     * is skipped, tier D included (any visit already keeps tiers A-C out through the burden window); special tasks
     * recognise nothing. Absent on draws from before it existed.
     */
    recognition: Type.Optional(Type.Array(Type.Object({ item: Type.String(), equivalent: Type.String() }))),
    /** How many items the checklist has: recognition must cover each of them. */
    checklistSize: Type.Optional(Type.Integer()),
    /**
     * Set when the population lives outside DuckDB: a population set of a ClickHouse cluster (engine/src/cluster),
     * frozen there at commit. The set's making then decides eligibility, not the rules above.
     */
    population: Type.Optional(Type.Object({ engine: Type.Literal('clickhouse'), set: Type.String() })),
  },
  { description: '冻结总体时的资格规则 the eligibility rules the population was frozen with' },
);
export type EligibilityRules = Static<typeof EligibilityRules>;

/** One stratum as the manifest publishes it (fd1 section 6): ratio_bp or count, and the quota once drawn. */
export const StratumRecord = Type.Object({
  stratum: Type.String(),
  eligible: Type.Integer(),
  ratio_bp: Type.Optional(RatioBp),
  count: Type.Optional(Type.Integer()),
  quota: Type.Optional(Type.Integer()),
});
export type StratumRecord = Static<typeof StratumRecord>;

/** One stratum as the API shows it. */
export const Stratum = Type.Object({
  stratum: Type.String(),
  eligible: Type.Integer({ description: '符合条件的对象数 eligible objects' }),
  ratioBp: Type.Optional(RatioBp),
  count: Type.Optional(Type.Integer()),
  quota: Type.Optional(Type.Integer({ description: '抽取数（抽取后） objects picked, once drawn' })),
});
export type Stratum = Static<typeof Stratum>;

/** One team-spec department as the manifest publishes it, once drawn. */
export const CapRecord = Type.Object({ department: Type.String(), count: Type.Integer(), pool: Type.Integer(), cap: Type.Integer() });
export type CapRecord = Static<typeof CapRecord>;

export const DrawCounts = Type.Object({
  selected: Type.Integer(),
  teamMembers: Type.Integer(),
  unstaffedObjects: Type.Integer(),
  exclusions: Type.Integer(),
  pool: Type.Integer(),
});

const drawProperties = {
  id: Type.String(),
  taskId: Type.String(),
  taskName: Type.String(),
  /** The task's public name: what the portal shows for the draw. */
  taskPublicName: Type.String(),
  taskKind: StringEnum(TASK_KINDS),
  departments: Type.Array(Type.String()),
  protocol: StringEnum(['fd1', 'fd2']),
  status: DrawStatus,
  /** fd2: the public event named at commit, and when its value exists; null for fd1 draws. */
  beaconSource: Nullable(Type.String(), { description: '承诺时指定的信标来源 the beacon event named at commitment (fd2)' }),
  beaconDue: Nullable(DateTime, { description: '信标时间：须晚于承诺 when the beacon value exists, after the commitment (fd2)' }),
  /** 'salted' when the strata are confidential (fd2 §2). */
  digest: StringEnum(['plain', 'salted'], { description: '总体摘要：plain，或分层涉及风险等级时以 secret 加盐 salted' }),
  commitment: Type.String({ description: 'H(secret)，承诺时公开 published at commitment' }),
  populationDigest: Type.String({ description: '冻结名单的摘要 digest of the frozen population (fd1 section 2)' }),
  populationSize: Type.Integer(),
  /** Verbatim; '' for a rehearsal drawn without a beacon; null until entered. */
  beacon: Nullable(Type.String(), { description: '公开信标原文；空串为无信标演练 verbatim; "" for a rehearsal without beacon' }),
  /** False when drawn without a beacon (not grind-proof); null until drawn. */
  grindProof: Nullable(Type.Boolean()),
  committedAt: DateTime,
  beaconedAt: Nullable(DateTime),
  drawnAt: Nullable(DateTime),
  voidedAt: Nullable(DateTime),
  voidReason: Nullable(Type.String()),
  voidedBy: Nullable(Type.String()),
  /** The status a voided draw had when it was voided. */
  voidedFrom: Nullable(DrawStatus),
  committedBy: Type.String(),
  beaconedBy: Nullable(Type.String()),
  drawnBy: Nullable(Type.String()),
  policyVersion: Nullable(Type.Integer()),
  modelVersion: Nullable(Type.Integer()),
  teamSpec: Type.Array(TeamEntry),
  caps: Nullable(Type.Array(CapRecord)),
  windowStart: IsoDate,
  windowEnd: IsoDate,
  counts: DrawCounts,
};

/** What a commit declares (fd2 §1): the beacon's public event and when its value exists. */
export const CommitBody = Type.Object(
  {
    beaconSource: Type.String({ minLength: 1, maxLength: 300, description: '信标来源，如“上证综合指数收盘价” the public event whose value will be the beacon, e.g. "SSE Composite Index close"' }),
    beaconDue: Type.String({
      minLength: 16,
      maxLength: 40,
      description: '信标产生时间，带时区，须晚于承诺至少任务规定的间隔（默认 1 小时） when that value exists, with its offset, e.g. 2026-03-02T15:00+08:00; at least the task\'s minimum gap (default 1 hour) after the commitment',
    }),
  },
  { additionalProperties: false },
);
export type CommitBody = Static<typeof CommitBody>;

/** A draw as stored, without its secret and rows: the lifecycle's answer. */
export const DrawHeader = Type.Object({
  ...drawProperties,
  eligibility: EligibilityRules,
  strata: Type.Array(StratumRecord),
});
export type DrawHeader = Static<typeof DrawHeader>;

/** A draw as the API lists it: the header with its strata in the API's names, without the eligibility rules. */
export const Draw = Type.Object({ ...drawProperties, strata: Type.Array(Stratum) });
export type Draw = Static<typeof Draw>;

const LiveDraw = Nullable(Type.Object({ id: Type.String(), status: DrawStatus }), { description: '当前（未作废的）抽取 the task\'s draw that is not voided, if any' });

/** A task in the list: with its stage, its live draw and how many draws it had. */
export const TaskRow = Type.Object({
  ...taskProperties,
  stage: Stage,
  liveDraw: LiveDraw,
  draws: Type.Integer({ description: '抽取次数（含作废） draws including voided ones' }),
});
export type TaskRow = Static<typeof TaskRow>;

export const INVITATION_STATUSES = ['pending', 'accepted', 'declined'] as const;
export const InvitationStatus = StringEnum(INVITATION_STATUSES, { description: '待答复 pending / 已接受 accepted / 已拒绝 declined' });
export type InvitationStatus = Static<typeof InvitationStatus>;

/** A partner department's invitation into a joint task: its items or team enter the task only once it accepts. */
export const Invitation = Type.Object({
  taskId: Type.String(),
  department: Type.String({ description: '受邀的参与部门 the partner department invited' }),
  status: InvitationStatus,
  invitedBy: Type.String(),
  invitedAt: DateTime,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(DateTime),
});
export type Invitation = Static<typeof Invitation>;

export const InvitationDecision = Type.Object({ decision: StringEnum(['accept', 'decline'] as const, { description: '接受 accept / 拒绝 decline' }) });
export type InvitationDecision = Static<typeof InvitationDecision>;

/** A leader's recorded decision to publish a draw's results before its inspection window closes. */
export const EarlyPublication = Type.Object({
  drawId: Type.String(),
  reason: Type.String(),
  decidedBy: Type.String(),
  decidedAt: DateTime,
});
export type EarlyPublication = Static<typeof EarlyPublication>;

export const EarlyPublicationBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500, description: '提前公开的理由 why the results are published before the window closes' }) });
export type EarlyPublicationBody = Static<typeof EarlyPublicationBody>;

/** A task's page: checklist, the ratios a commit would use now, its draws. */
/** Who could staff a drafted task: one team entry's pool for all its items together and for each item alone. */
export const TeamStaffing = Type.Object({
  department: Type.String({ description: '检查组部门标签 the team entry, e.g. SAMR or SAMR:expert' }),
  count: Type.Integer({ description: '每组所需人数 inspectors one team needs' }),
  pool: Type.Integer({ description: '同时具备全部事项专长的合格人员数（抽取时冻结的人员库） qualified for all the items together: the pool a draw would freeze' }),
  items: Type.Array(Type.Object({ code: Type.String(), specialty: Type.String(), pool: Type.Integer({ description: '仅按该事项专长的合格人员数 qualified for this item alone' }) })),
});
export type TeamStaffing = Static<typeof TeamStaffing>;

export const TaskDetail = Type.Object({
  ...taskProperties,
  checklist: Checklist,
  ratiosInEffect: Nullable(RecordOf(RatioBp), {
    description: '现在承诺时各等级使用的比例：任务自定，否则现行政策；固定数量时为 null ratios a commit would use now per tier: the task\'s, else the policy\'s; null with fixed counts',
  }),
  policyVersion: Type.Integer({ description: '现行抽查比例政策版本（0 为默认） the sampling policy in force (0: the documented default)' }),
  stage: Stage,
  liveDraw: LiveDraw,
  draws: Type.Array(Draw),
  invitations: Type.Array(Invitation, { description: '联合任务中参与部门的邀请 the partner departments\' invitations of a joint task' }),
  earlyPublications: Type.Array(EarlyPublication, { description: '领导提前公开结果的决定 leaders\' decisions to publish a draw\'s results before its window closes' }),
});
export type TaskDetail = Static<typeof TaskDetail>;

export const DRAW_PAGE_ROWS_MAX = 1000;
export const UNSTAFFED_LIST_MAX = 1000;

export const TeamMember = Type.Object({
  department: Type.String(),
  inspectorId: Type.String(),
  inspectorName: Nullable(Type.String()),
  inspectorKind: Nullable(Type.String()),
  position: Type.Integer(),
});

/** One selected object with its name, place, team and unstaffed departments. */
export const SelectionEntry = Type.Object({
  drawOrder: Type.Integer({ description: '抽取顺序（全部分层按 key 升序） draw order: ascending key across strata' }),
  stratum: Type.String(),
  rank: Type.Integer({ description: '分层内名次 rank within the stratum' }),
  objectId: Type.String(),
  name: Nullable(Type.String()),
  entityType: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  regionNameZh: Nullable(Type.String()),
  industryCode: Nullable(Type.String()),
  team: Type.Array(TeamMember, { description: '检查组（内部：含姓名） the team (internal: with names)' }),
  unstaffed: Type.Array(Type.Object({ department: Type.String(), reason: Type.String() })),
});
export type SelectionEntry = Static<typeof SelectionEntry>;

export const SelectionPage = Type.Object({ total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), rows: Type.Array(SelectionEntry) });
export type SelectionPage = Static<typeof SelectionPage>;

export const UnstaffedObject = Type.Object({ objectId: Type.String(), objectName: Nullable(Type.String()), department: Type.String(), reason: Type.String() });
export type UnstaffedObject = Static<typeof UnstaffedObject>;

/** A draw's page: the header, its eligibility rules and checklist, one page of its selection, its unstaffed objects. */
export const DrawPage = Type.Object({
  ...Draw.properties,
  eligibility: EligibilityRules,
  checklist: Checklist,
  selection: SelectionPage,
  unstaffed: Type.Array(UnstaffedObject, { description: `未配齐检查人员的对象（最多 ${UNSTAFFED_LIST_MAX} 条） objects without a full team (at most ${UNSTAFFED_LIST_MAX})` }),
  mayDownloadAuditorPackage: Type.Boolean({ description: '调用者可下载审计包（含秘密值与分层） whether the caller may download the auditor package (secret, strata, keys)' }),
});
export type DrawPage = Static<typeof DrawPage>;

// ---- verification ----

export const VerifyCheck = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: StringEnum(['ok', 'mismatch', 'warning', 'skipped']),
  detail: Type.String(),
  file: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  content: Type.Optional(Type.String()),
});

/** The verifier's verdict as the API answers it: "fd1 verified", or the first mismatch in one sentence. */
export const VerifyAnswer = Type.Object({
  drawId: Type.Optional(Type.String()),
  verified: Type.Boolean(),
  message: Type.String({ description: '“fd1 verified”，或第一处不一致（文件、行、内容） "fd1 verified", or the first mismatch (file, line, content)' }),
  firstMismatch: Type.Optional(VerifyCheck),
  checks: Type.Array(VerifyCheck),
  warnings: Type.Array(Type.String()),
  engine: StringEnum(['js', 'duckdb']),
  elapsedMs: Type.Integer(),
  checkedAt: DateTime,
});
export type VerifyAnswer = Static<typeof VerifyAnswer>;

// ---- attestations (docs/fd2.md §6) ----

export const AttestationSource = StringEnum(['dashboard', 'upload'] as const);
export type AttestationSource = Static<typeof AttestationSource>;

/** What the public sees of an attestation: who by role and department, when, the package hash, the result. */
export const PublicAttestation = Type.Object({
  role: Type.String({ description: '角色 role (auditor)' }),
  department: Nullable(Type.String(), { description: '审计人员所在部门 the department the auditor works in' }),
  attestedAt: DateTime,
  packageSha256: Type.String({ description: 'docs/fd2.md §6 的包哈希 the package hash of docs/fd2.md §6' }),
  result: StringEnum(['pass', 'fail'] as const),
  source: AttestationSource,
});
export type PublicAttestation = Static<typeof PublicAttestation>;

/** An attestation as the dashboard shows it: the public fields, its id and the auditor, and the verifier's report. */
export const Attestation = Type.Object({
  id: Type.Integer(),
  drawId: Type.String(),
  username: Type.String(),
  ...PublicAttestation.properties,
  report: VerifyAnswer,
});
export type Attestation = Static<typeof Attestation>;
