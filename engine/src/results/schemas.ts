// The shapes of inspection results, declared once: the engine's types (Static<>) and the API's schemas. A result is
// addressed by (draw, selected object, checklist item); each change is a version with its before and after.
import { DateTime, described, IsoDate, Nullable, StringEnum, Type, type Static } from '../kernel/schema.ts';

export const FINDINGS_MAX_LENGTH = 4000;
export const REASON_MIN_LENGTH = 2;

const keyProperties = {
  drawId: Type.String({ minLength: 1, maxLength: 64, description: '抽取编号 draw id, e.g. D2026-0001' }),
  objectId: Type.String({ minLength: 1, maxLength: 64, description: '检查对象编号（主体为统一社会信用代码） object id (USCC for entities)' }),
  itemCode: Type.String({ minLength: 1, maxLength: 32, description: '抽查事项编码 item code, e.g. SAMR-001' }),
};
/** One result's address: the draw, the selected object (USCC for entities) and the checklist item. */
export const ResultKey = Type.Object(keyProperties);
export type ResultKey = Static<typeof ResultKey>;

export const FindingsReview = StringEnum(['pending', 'approved', 'withheld']);
export type FindingsReview = Static<typeof FindingsReview>;
const findingsReview = Nullable(FindingsReview, { description: '文字说明审核状态 review of the free text: null when there is none' });

export const ResultChange = StringEnum(['enter', 'correct', 'review', 'publish']);
export type ResultChange = Static<typeof ResultChange>;

const NullableIsoTime = Nullable(Type.String({ format: 'date-time' }));

/** The content of a result that history records before and after each change (times as ISO strings). */
export const ResultState = Type.Object({
  outcomeCode: Type.String(),
  findings: Nullable(Type.String()),
  findingsReview,
  findingsPublic: Nullable(Type.String()),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: NullableIsoTime,
  inspectedOn: IsoDate,
  dueOn: IsoDate,
  publishedBy: Nullable(Type.String()),
  publishedAt: NullableIsoTime,
});
export type ResultState = Static<typeof ResultState>;

export const DrawResult = Type.Object(
  {
    id: Type.String(),
    ...keyProperties,
    itemVersion: Type.Integer(),
    departmentCode: Type.String({ description: '检查部门 the inspecting department' }),
    outcomeCode: Type.String(),
    findings: Nullable(Type.String()),
    findingsReview,
    findingsPublic: Nullable(Type.String()),
    reviewedBy: Nullable(Type.String()),
    reviewedAt: Nullable(DateTime),
    inspectedOn: IsoDate,
    dueOn: described(IsoDate, '公开期限：检查日后第 20 个工作日 publication due date: inspection date + 20 working days'),
    version: Type.Integer(),
    enteredBy: Type.String(),
    enteredAt: DateTime,
    updatedBy: Type.String(),
    updatedAt: DateTime,
    publishedBy: Nullable(Type.String()),
    publishedAt: Nullable(DateTime),
  },
  { description: '一条检查结果（当前版本） One result, current version' },
);
export type DrawResult = Static<typeof DrawResult>;

export const HistoryEntry = Type.Object({
  version: Type.Integer(),
  change: ResultChange,
  changedBy: Type.String(),
  changedAt: DateTime,
  reason: Nullable(Type.String()),
  before: Nullable(ResultState),
  after: ResultState,
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const ResultHistory = Type.Object(
  { result: DrawResult, history: Type.Array(HistoryEntry) },
  { description: '结果及其全部版本 The result and every version of it (who, when, why, before, after)' },
);
export type ResultHistory = Static<typeof ResultHistory>;

const entryProperties = {
  outcomeCode: Type.String({ minLength: 1, maxLength: 32, description: '标准结果代码 standard outcome code, e.g. NO_PROBLEM, FIXED' }),
  /** Free-text findings (internal until an operator approves them for release). */
  findings: Type.Optional(Nullable(Type.String({ maxLength: FINDINGS_MAX_LENGTH }), { description: '文字说明，审核后才公开 free text, public only after review' })),
  inspectedOn: described(IsoDate, '检查日期，须在检查窗口内且不晚于今天 inspection date: within the window, not in the future'),
};
export const ResultEntry = Type.Object(entryProperties);
export type ResultEntry = Static<typeof ResultEntry>;

/** A new result as the API takes it: its address and its content. */
export const ResultEntryBody = Type.Object({ ...keyProperties, ...entryProperties }, { additionalProperties: false });

export const ResultCorrection = Type.Object(
  {
    outcomeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** New free text; null or '' removes it. Changed text needs a new review before release. */
    findings: Type.Optional(
      Nullable(Type.String({ maxLength: FINDINGS_MAX_LENGTH }), { description: '新文字说明，null 或空串为删除；改动后须重新审核 new free text (null or empty removes it); needs a new review' }),
    ),
    inspectedOn: Type.Optional(IsoDate),
    /** Why the result is corrected: kept in the history. */
    reason: Type.String({ minLength: REASON_MIN_LENGTH, maxLength: 500, description: '更正理由 why' }),
  },
  { minProperties: 2, additionalProperties: false },
);
export type ResultCorrection = Static<typeof ResultCorrection>;

export const FindingsDecision = Type.Object(
  {
    decision: StringEnum(['approved', 'withheld']),
    /** The text to release when approving (e.g. trade secrets removed); default: the findings as entered. */
    publicText: Type.Optional(
      Nullable(Type.String({ maxLength: FINDINGS_MAX_LENGTH }), { description: '公开文本（如删去商业秘密），默认原文 the text to release, default the text as entered' }),
    ),
    /** Why, kept in the history. */
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type FindingsDecision = Static<typeof FindingsDecision>;

// ---- assignments and deadlines ----

export const ASSIGNMENT_STATES = ['not_entered', 'entered', 'published'] as const;
export const AssignmentState = StringEnum(ASSIGNMENT_STATES);
export type AssignmentState = Static<typeof AssignmentState>;

/** Columns the assignment list can be ordered by on the server (the pages sort a paged list this way, not page by page). */
export const ASSIGNMENT_SORTS = ['objectName', 'itemCode', 'departmentCode', 'state', 'outcomeCode', 'inspectedOn', 'drawId'] as const;
export const AssignmentSort = StringEnum(ASSIGNMENT_SORTS, { description: '排序列 the column to order by' });
export type AssignmentSort = Static<typeof AssignmentSort>;
export const SortDirection = StringEnum(['ascending', 'descending'] as const, { description: '升序或降序 ascending or descending', default: 'ascending' });
export type SortDirection = Static<typeof SortDirection>;

export const DeadlineState = StringEnum(['published_on_time', 'published_late', 'overdue', 'due_soon', 'open']);
export type DeadlineState = Static<typeof DeadlineState>;

/** A selected object and item a department inspects, with where its result stands. */
export const Assignment = Type.Object({
  ...keyProperties,
  taskId: Type.String(),
  taskName: Type.String(),
  windowStart: IsoDate,
  windowEnd: IsoDate,
  objectName: Type.String(),
  entityType: Nullable(Type.String()),
  regionCode: Type.String(),
  itemVersion: Type.Integer(),
  itemNameZh: Type.String(),
  itemNameEn: Type.String(),
  departmentCode: Type.String(),
  /** The team's inspectors of this department (ids only). */
  inspectorIds: Type.Array(Type.String(), { description: '本部门检查组成员编号 the team inspectors of this department (ids)' }),
  state: AssignmentState,
  outcomeCode: Nullable(Type.String()),
  inspectedOn: Nullable(Type.String({ format: 'date' })),
  findingsReview,
  version: Nullable(Type.Integer()),
  publishedAt: Nullable(DateTime),
  /** Entered: inspection date + 20 working days; not entered: the latest it can be (window end + 20 working days). */
  dueOn: described(IsoDate, '公开期限；未录入时为最迟期限（窗口结束日后第 20 个工作日） due date; before entry the latest it can be (window end + 20 working days)'),
  dueIsLatest: Type.Boolean(),
  deadline: DeadlineState,
  workingDaysLeft: Type.Integer({ description: '距期限的工作日，负数为逾期 working days to the due date; negative: overdue' }),
});
export type Assignment = Static<typeof Assignment>;

export const AssignmentPage = Type.Object({ total: Type.Integer(), today: IsoDate, assignments: Type.Array(Assignment) });
export type AssignmentPage = Static<typeof AssignmentPage>;

export const DeadlineReport = Type.Object({
  today: IsoDate,
  dueSoonWorkingDays: Type.Integer(),
  counts: Type.Object({ overdue: Type.Integer(), dueSoon: Type.Integer(), open: Type.Integer(), publishedOnTime: Type.Integer(), publishedLate: Type.Integer() }),
  /** Not published and past due (entered, or not even entered after the latest possible due date), most overdue first. */
  overdue: Type.Array(Assignment),
  /** Not published, due within `dueSoonWorkingDays` working days, soonest first. */
  dueSoon: Type.Array(Assignment),
});
export type DeadlineReport = Static<typeof DeadlineReport>;

/** A photo, scan or document kept with a result (internal: never public). */
export const Evidence = Type.Object({
  id: Type.String({ description: '证据编号 <result id>|<n>' }),
  number: Type.Integer({ minimum: 1, description: '在该结果中的序号 its number within the result' }),
  sha256: Type.String({ description: '文件 SHA-256，亦记入审计链 SHA-256 of the file, also in the audit entry' }),
  filename: Type.String(),
  mediaType: Type.String({ description: '按文件内容识别的类型 the type read from the bytes' }),
  bytes: Type.Integer(),
  takenBy: Type.String({ description: '拍摄或扫描人 who took it' }),
  takenAt: DateTime,
  addedBy: Type.String(),
  addedAt: DateTime,
});
export type Evidence = Static<typeof Evidence>;

const VisitItem = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  departmentCode: Type.String(),
  departmentNameZh: Type.String(),
  departmentNameEn: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  legalBasis: Type.String({ description: '检查依据 legal basis' }),
  content: Type.String({ description: '检查内容：查什么 what to check' }),
  method: StringEnum(['onsite', 'documents', 'online']),
  outcomeCode: Nullable(Type.String({ description: '已录入的结果，未录入为 null the entered outcome, null when not entered' })),
  outcomeNameZh: Nullable(Type.String()),
  outcomeNameEn: Nullable(Type.String()),
  publishedAt: Nullable(DateTime),
});

/**
 * The visit sheet of one selected object (一次性完成对同一抽查对象的多个检查项目): the entity as the directory holds it,
 * its whole team, and every item of every participating department, with legal basis, method and what to check. Internal
 * (it names the inspectors); also the content of the notice of inspection (抽查告知书).
 */
export const VisitSheet = Type.Object({
  drawId: Type.String(),
  taskId: Type.String(),
  taskPublicName: Type.String({ description: '任务公开名称（告知书使用） the task\'s public name, used on the notice' }),
  joint: Type.Boolean({ description: '多部门联合检查 a joint visit of several departments' }),
  leadDepartmentCode: Type.String(),
  windowStart: IsoDate,
  windowEnd: IsoDate,
  object: Type.Object({
    id: Type.String(),
    name: Type.String(),
    entityType: Nullable(Type.String()),
    legalRepresentative: Nullable(Type.String()),
    regionCode: Type.String(),
    regionZh: Type.String({ description: '所在地（市、区） where it is (city, district)' }),
    regionEn: Type.String(),
    industryZh: Nullable(Type.String()),
    industryEn: Nullable(Type.String()),
  }),
  team: Type.Array(
    Type.Object({ inspectorId: Type.String(), name: Type.String(), departmentCode: Type.String(), kind: Type.String(), certificateNo: Nullable(Type.String()) }),
  ),
  items: Type.Array(VisitItem),
});
export type VisitSheet = Static<typeof VisitSheet>;

/** Every department's results for one entity over time (shared across departments, internal). */
export const EntityResults = Type.Object({
  object: Type.Object({
    id: Type.String(),
    name: Type.String(),
    status: Type.String(),
    regionZh: Type.String(),
    regionEn: Type.String(),
    departments: Type.Array(Type.String(), { description: '负责监管的部门 the departments responsible for it' }),
  }),
  results: Type.Array(
    Type.Object({
      inspectedOn: IsoDate,
      departmentCode: Type.String(),
      itemCode: Type.String(),
      itemNameZh: Nullable(Type.String()),
      itemNameEn: Nullable(Type.String()),
      outcomeCode: Type.String(),
      outcomeNameZh: Nullable(Type.String()),
      outcomeNameEn: Nullable(Type.String()),
      isFinding: Nullable(Type.Boolean()),
      findings: Nullable(Type.String()),
      taskRef: Nullable(Type.String()),
      source: StringEnum(['import', 'entry']),
      recognisedFor: Type.Array(Type.String(), { description: '该结果可互认的其他部门事项 items of other departments this result counts for' }),
    }),
  ),
});
export type EntityResults = Static<typeof EntityResults>;
