// What the public portal shows, declared once: the engine's types (Static<>) and the API's schemas. A response schema
// is also the whitelist: a field not declared here never leaves the server.
import { DateTime, IsoDate, Nullable, RatioBp, Type, type Static } from '../kernel/schema.ts';
import { Draw, PublicAttestation, TaskKind } from '../draw/schemas.ts';

export const PublicItem = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  departmentCode: Type.String(),
  departmentNameZh: Type.String(),
  departmentNameEn: Type.String(),
  kind: Type.String({ enum: ['general', 'key'], description: '一般 general / 重点 key' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
  legalBasis: Type.String(),
  objectType: Type.String(),
  content: Type.String(),
  method: Type.String({ enum: ['onsite', 'documents', 'online'] }),
  defaultRatioBp: RatioBp,
  frequencyPerYear: Type.Integer(),
  validFrom: IsoDate,
  validTo: Nullable(Type.String({ format: 'date' })),
});
export type PublicItem = Static<typeof PublicItem>;

/** A task as the public sees it: no ratios (they are per risk tier), no authors. */
export const PublicTask = Type.Object({
  id: Type.String(),
  kind: TaskKind,
  name: Type.String(),
  leadDepartment: Type.String(),
  departments: Type.Array(Type.String()),
  items: Type.Array(
    Type.Object({ code: Type.String(), version: Type.Integer(), departmentCode: Type.String(), nameZh: Type.String(), nameEn: Type.String(), method: Type.String() }),
  ),
  scope: Type.Object({
    regions: Type.Array(Type.String()),
    industries: Type.Array(Type.String()),
    entityTypes: Type.Array(Type.String()),
    objectKinds: Type.Array(Type.String()),
  }),
  windowStart: IsoDate,
  windowEnd: IsoDate,
});
export type PublicTask = Static<typeof PublicTask>;

export const PublicPlan = Type.Object({
  id: Type.String(),
  year: Type.Integer(),
  jurisdictionRegionCode: Type.String(),
  leadDepartment: Type.String(),
  name: Type.String(),
  createdAt: DateTime,
  tasks: Type.Array(PublicTask),
});
export type PublicPlan = Static<typeof PublicPlan>;

const d = Draw.properties;
const summaryProperties = {
  id: d.id,
  taskId: d.taskId,
  taskName: d.taskName,
  taskKind: d.taskKind,
  departments: d.departments,
  protocol: d.protocol,
  status: d.status,
  beaconSource: d.beaconSource,
  beaconDue: d.beaconDue,
  digest: d.digest,
  commitment: Type.String({ description: 'H(secret)，抽取前公开 published at commitment' }),
  populationDigest: Type.String({ description: '名单摘要 digest of the frozen population' }),
  populationSize: d.populationSize,
  beacon: Nullable(Type.String()),
  grindProof: d.grindProof,
  committedAt: d.committedAt,
  beaconedAt: d.beaconedAt,
  drawnAt: d.drawnAt,
  voidedAt: d.voidedAt,
  voidReason: d.voidReason,
  windowStart: d.windowStart,
  windowEnd: d.windowEnd,
  /** True once the inspection window has closed: the selection, teams and files are public from then on. */
  published: Type.Boolean({ description: '检查窗口已结束：抽中名单、检查组和文件已公开 the window has closed: selection, teams and files are public' }),
};
export const PublicDrawSummary = Type.Object(summaryProperties);
export type PublicDrawSummary = Static<typeof PublicDrawSummary>;

export const PublicDrawDetail = Type.Object({
  ...summaryProperties,
  secret: Type.Optional(Type.String({ description: '窗口结束后公开 published once the window has closed' })),
  seed: Type.Optional(Nullable(Type.String())),
  /** Per stratum: eligible count, ratio or count, quota. Aggregates only: which entity is in which stratum stays internal. */
  strata: Type.Optional(
    Type.Array(
      Type.Object({ stratum: Type.String(), eligible: Type.Integer(), ratioBp: Type.Optional(RatioBp), count: Type.Optional(Type.Integer()), quota: Type.Optional(Type.Integer()) }),
      { description: '各分层的合计（不含任何主体的分层归属） per-stratum totals only, never which entity is in which stratum' },
    ),
  ),
  /** Selected objects by id (no stratum, key or rank: those give away the entity's tier). */
  selection: Type.Optional(Type.Array(Type.Object({ objectId: Type.String() }))),
  /** Inspector ids only; names are never published. */
  teams: Type.Optional(
    Type.Array(Type.Object({ objectId: Type.String(), department: Type.String(), inspectorId: Type.String(), position: Type.Integer() }), {
      description: '检查人员仅列编号 inspectors by id only',
    }),
  ),
  unstaffed: Type.Optional(Type.Array(Type.Object({ objectId: Type.String(), department: Type.String(), reason: Type.String() }))),
  /** fd2 with confidential strata: eligible and quota summed over them (fd2 §5), instead of per-stratum figures. */
  totals: Type.Optional(Type.Object({ eligible: Type.Integer(), quota: Type.Integer() }, { description: '分层涉及风险等级时只公开合计 totals only when the strata are confidential' })),
  files: Type.Optional(Type.Array(Type.String())),
  /** Auditors' attestations (fd2 §6): role and department, never the auditor's name. */
  attestations: Type.Array(PublicAttestation, { description: '审计人员的核验记录（角色与部门，不含姓名） auditors\' attestations, by role and department' }),
});
export type PublicDrawDetail = Static<typeof PublicDrawDetail>;

export const PublicDrawPage = Type.Object({ total: Type.Integer(), draws: Type.Array(PublicDrawSummary) });
export type PublicDrawPage = Static<typeof PublicDrawPage>;

export const PublicResult = Type.Object({
  resultId: Type.String(),
  drawId: Type.String(),
  taskId: Type.String(),
  taskName: Type.String(),
  objectId: Type.String({ description: '统一社会信用代码 USCC' }),
  entityName: Type.String({ description: '个体工商户经营者姓名已遮蔽 individual businesses: the operator’s name masked' }),
  entityType: Nullable(Type.String()),
  regionCode: Type.String(),
  regionNameZh: Nullable(Type.String()),
  itemCode: Type.String(),
  itemVersion: Type.Integer(),
  itemNameZh: Type.String(),
  itemNameEn: Type.String(),
  departmentCode: Type.String(),
  departmentNameZh: Type.String(),
  departmentNameEn: Type.String(),
  outcomeCode: Type.String(),
  outcomeNameZh: Type.String(),
  outcomeNameEn: Type.String(),
  isFinding: Type.Boolean(),
  findings: Nullable(Type.String({ description: '经审核同意公开的文字说明 free text, only once an operator approved it' })),
  inspectedOn: IsoDate,
  publishedAt: DateTime,
  updatedAt: DateTime,
});
export type PublicResult = Static<typeof PublicResult>;

export const ResultSearchPage = Type.Object({
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  /** Over every match, not just this page. */
  findings: Type.Integer({ description: '发现问题的结果数（全部匹配） results with a finding, over all matches' }),
  /** Over every match, not just this page: results per outcome. */
  byOutcome: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), isFinding: Type.Boolean(), results: Type.Integer() })),
  results: Type.Array(PublicResult),
});
export type ResultSearchPage = Static<typeof ResultSearchPage>;
