// The source file formats (docs/formats.md): for each KIND its columns with English names, Chinese header
// aliases, types, required flags and enum aliases. The one place import headers are defined.
import { RATIO_BP_MAX } from '../kernel/schema.ts';

export const KINDS = ['entities', 'inspectors', 'credit', 'complaints', 'results', 'items'] as const;
export type Kind = (typeof KINDS)[number];

/** Reference tables a cell can be checked against (loaded from the database when an import starts). */
export type RefTable = 'regions' | 'departments' | 'industries' | 'items' | 'outcome_codes' | 'specialties';

/** Canonical value -> the spellings accepted for it in files (English is matched case-insensitively). */
export type EnumValues = Record<string, readonly string[]>;

export type FieldType =
  | { type: 'id' } // an identifier: any non-empty text
  | { type: 'text' }
  | { type: 'uscc' } // GB 32100 code, upper-cased
  | { type: 'date' }
  | { type: 'timestamp' }
  | { type: 'bool' }
  | { type: 'decimal'; scale: number; precision: number }
  | { type: 'integer'; min: number; max: number }
  | { type: 'enum'; values: EnumValues }
  | { type: 'ref'; table: RefTable }
  | { type: 'list'; item: { type: 'ref'; table: RefTable } | { type: 'uscc' } | { type: 'id' }; sorted: boolean };

export interface FieldDef {
  /** The English header, also the staging column name. */
  name: string;
  /** Chinese header aliases; the first is the one the documentation shows. */
  zh: readonly string[];
  /** A value is required in every row (so the column must be present). */
  required: boolean;
  /** Part of the natural id. */
  key?: boolean;
  /** Target table column; undefined: same as `name`; null: not a column of the target table. */
  column?: string | null;
  /** What the cell holds, for the documentation and messages. */
  note?: string;
  spec: FieldType;
  /** The longest value accepted, in characters (default by type: maxCharsOf). */
  maxChars?: number;
}

/** Longest values by type: a code or date is short; free text is as long as its field says. */
const MAX_CHARS_BY_TYPE: Record<FieldType['type'], number> = {
  id: 64, text: 200, uscc: 32, date: 32, timestamp: 40, bool: 8, decimal: 32, integer: 20, enum: 40, ref: 60, list: 2000,
};

/** The longest value a column accepts, in characters; a longer cell is rejected before any other check. */
export const maxCharsOf = (field: FieldDef): number => field.maxChars ?? MAX_CHARS_BY_TYPE[field.spec.type];

export interface KindDef {
  kind: Kind;
  labelZh: string;
  labelEn: string;
  /** Target table. */
  table: string;
  fields: readonly FieldDef[];
}

// ---- enum values with their accepted spellings --------------------------------------------------------

export const ENTITY_TYPES: EnumValues = {
  enterprise: ['企业'],
  individual: ['个体工商户', '个体户'],
  cooperative: ['农民专业合作社', '合作社'],
};
export const ENTITY_STATUSES: EnumValues = {
  active: ['存续', '在业', '开业'],
  deregistered: ['注销'],
  revoked: ['吊销'],
};
export const INSPECTOR_KINDS: EnumValues = {
  officer: ['执法人员', '执法检查人员'],
  expert: ['专家'],
  third_party: ['第三方', '第三方机构', 'third party', 'third-party'],
};
export const CREDIT_RECORD_TYPES: EnumValues = {
  classification: ['信用分类', '信用风险分类'],
  penalty: ['行政处罚'],
  abnormal_listing: ['列入经营异常名录', '列入异常名录'],
  abnormal_removal: ['移出经营异常名录', '移出异常名录'],
};
export const CREDIT_CLASSES: EnumValues = { A: [], B: [], C: [], D: [] };
export const COMPLAINT_CATEGORIES: EnumValues = {
  complaint: ['投诉'],
  report: ['举报'],
  consultation: ['咨询'],
};
/** How an inspected object was selected: a random draw, a targeted (special or campaign) inspection, a complaint check. */
export const SELECTIONS: EnumValues = {
  random: ['随机抽取', '双随机'],
  targeted: ['定向检查', '专项检查'],
  complaint: ['投诉举报核查', '投诉核查'],
};
export const ITEM_KINDS: EnumValues = { general: ['一般', '一般事项'], key: ['重点', '重点事项'] };
export const ITEM_METHODS: EnumValues = {
  onsite: ['实地核查', '现场检查', 'on-site'],
  documents: ['书面检查'],
  online: ['网络监测'],
};
export const ITEM_OBJECT_TYPES: EnumValues = {
  enterprise: ['企业'],
  individual: ['个体工商户'],
  cooperative: ['农民专业合作社'],
  entity: ['市场主体'],
  product: ['产品'],
  project: ['项目', '工程项目'],
  behaviour: ['行为', 'behavior'],
};

// ---- the six kinds -------------------------------------------------------------------------------------

const ref = (table: RefTable) => ({ type: 'ref', table }) as const;
const enumOf = (values: EnumValues) => ({ type: 'enum', values }) as const;
const DATE = { type: 'date' } as const;
const TEXT = { type: 'text' } as const;
const ID = { type: 'id' } as const;
const USCC = { type: 'uscc' } as const;

export const FORMATS: Record<Kind, KindDef> = {
  entities: {
    kind: 'entities',
    labelZh: '市场主体名录',
    labelEn: 'market entities',
    table: 'objects',
    fields: [
      { name: 'uscc', zh: ['统一社会信用代码', '信用代码'], required: true, key: true, column: 'id', spec: USCC },
      { name: 'name', zh: ['名称', '企业名称', '主体名称'], required: true, spec: TEXT },
      { name: 'entity_type', zh: ['主体类型', '市场主体类型'], required: true, spec: enumOf(ENTITY_TYPES) },
      { name: 'legal_representative', zh: ['法定代表人', '经营者', '法定代表人（负责人、经营者）'], required: false, spec: TEXT },
      { name: 'region_code', zh: ['行政区划代码', '所在地区划', '区划代码'], required: true, spec: ref('regions') },
      { name: 'industry_code', zh: ['行业门类'], required: true, spec: ref('industries') },
      { name: 'established_on', zh: ['成立日期'], required: true, spec: DATE },
      { name: 'status', zh: ['登记状态'], required: true, spec: enumOf(ENTITY_STATUSES) },
      {
        name: 'responsible_departments',
        zh: ['监管部门'],
        required: true,
        spec: { type: 'list', item: ref('departments'), sorted: true },
      },
    ],
  },
  inspectors: {
    kind: 'inspectors',
    labelZh: '执法检查人员名录',
    labelEn: 'inspectors',
    table: 'inspectors',
    fields: [
      { name: 'inspector_id', zh: ['执法人员编号', '人员编号'], required: true, key: true, column: 'id', spec: ID },
      { name: 'name', zh: ['姓名'], required: true, spec: TEXT },
      { name: 'department_code', zh: ['所属部门'], required: true, spec: ref('departments') },
      { name: 'region_code', zh: ['行政区划代码', '所在地区划', '区划代码'], required: true, spec: ref('regions') },
      { name: 'kind', zh: ['人员类别'], required: true, spec: enumOf(INSPECTOR_KINDS) },
      { name: 'qualifications', zh: ['执法资质'], required: false, spec: { type: 'list', item: ID, sorted: true } },
      { name: 'specialties', zh: ['业务专长'], required: false, spec: { type: 'list', item: ref('specialties'), sorted: true } },
      { name: 'certificate_no', zh: ['执法证号'], required: false, note: 'required for officers', spec: ID },
      { name: 'certificate_valid_from', zh: ['证件有效期起'], required: false, spec: DATE },
      { name: 'certificate_valid_to', zh: ['证件有效期止'], required: false, spec: DATE },
      { name: 'active', zh: ['在岗'], required: true, spec: { type: 'bool' } },
      {
        name: 'conflicts_declared',
        zh: ['申报回避对象'],
        required: false,
        column: null,
        spec: { type: 'list', item: USCC, sorted: true },
      },
      {
        name: 'conflicts_reported',
        zh: ['对象申请回避'],
        required: false,
        column: null,
        spec: { type: 'list', item: USCC, sorted: true },
      },
    ],
  },
  credit: {
    kind: 'credit',
    labelZh: '信用记录',
    labelEn: 'credit records',
    table: 'credit_records',
    fields: [
      { name: 'record_id', zh: ['记录编号'], required: true, key: true, spec: ID },
      { name: 'uscc', zh: ['统一社会信用代码', '信用代码'], required: true, column: 'object_id', spec: USCC },
      { name: 'record_type', zh: ['记录类型'], required: true, spec: enumOf(CREDIT_RECORD_TYPES) },
      { name: 'record_date', zh: ['记录日期'], required: true, spec: DATE },
      { name: 'credit_class', zh: ['信用等级'], required: false, note: 'required for classification, empty otherwise', spec: enumOf(CREDIT_CLASSES) },
      {
        name: 'amount_yuan',
        zh: ['罚没金额', '罚没金额（元）'],
        required: false,
        note: 'penalties only',
        spec: { type: 'decimal', precision: 14, scale: 2 },
      },
      { name: 'authority', zh: ['决定机关'], required: false, spec: ref('departments') },
      { name: 'description', zh: ['内容'], required: false, spec: TEXT, maxChars: 2000 },
    ],
  },
  complaints: {
    kind: 'complaints',
    labelZh: '12345投诉举报',
    labelEn: '12345 complaints',
    table: 'complaints',
    fields: [
      { name: 'complaint_id', zh: ['工单编号'], required: true, key: true, spec: ID },
      { name: 'received_at', zh: ['受理时间'], required: true, spec: { type: 'timestamp' } },
      { name: 'uscc', zh: ['被投诉主体代码', '统一社会信用代码'], required: false, column: 'object_id', spec: USCC },
      { name: 'region_code', zh: ['行政区划代码', '所在地区划', '区划代码'], required: true, spec: ref('regions') },
      { name: 'category', zh: ['诉求类型'], required: true, spec: enumOf(COMPLAINT_CATEGORIES) },
      { name: 'topic', zh: ['诉求内容分类'], required: true, spec: TEXT },
      { name: 'substantiated', zh: ['是否属实'], required: false, spec: { type: 'bool' } },
    ],
  },
  results: {
    kind: 'results',
    labelZh: '检查结果',
    labelEn: 'inspection results',
    table: 'inspection_results',
    fields: [
      { name: 'result_id', zh: ['结果编号'], required: true, key: true, spec: ID },
      { name: 'uscc', zh: ['统一社会信用代码', '信用代码'], required: true, column: 'object_id', spec: USCC },
      { name: 'inspected_on', zh: ['检查日期'], required: true, spec: DATE },
      { name: 'department_code', zh: ['检查部门'], required: true, spec: ref('departments') },
      { name: 'item_code', zh: ['抽查事项编码', '事项编码'], required: true, spec: ref('items') },
      { name: 'outcome_code', zh: ['检查结果'], required: true, spec: ref('outcome_codes') },
      { name: 'findings', zh: ['问题描述'], required: false, spec: TEXT, maxChars: 2000 },
      { name: 'inspector_ids', zh: ['检查人员'], required: false, spec: { type: 'list', item: ID, sorted: false } },
      { name: 'task_ref', zh: ['任务编号'], required: false, spec: ID },
      { name: 'selection', zh: ['抽取方式'], required: false, note: 'how the object was selected', spec: enumOf(SELECTIONS) },
      { name: 'stratum', zh: ['抽取分层'], required: false, note: 'random draws: the stratum the object was drawn in', spec: ID },
      {
        name: 'stratum_eligible',
        zh: ['分层对象数'],
        required: false,
        note: 'random draws: eligible objects in the stratum',
        spec: { type: 'integer', min: 1, max: 1_000_000_000 },
      },
      {
        name: 'stratum_quota',
        zh: ['分层抽取数'],
        required: false,
        note: 'random draws: objects drawn in the stratum (quota / eligible is the selection probability)',
        spec: { type: 'integer', min: 1, max: 1_000_000_000 },
      },
    ],
  },
  items: {
    kind: 'items',
    labelZh: '抽查事项清单',
    labelEn: 'inspection items',
    table: 'items',
    fields: [
      { name: 'code', zh: ['事项编码', '抽查事项编码'], required: true, key: true, spec: ID },
      { name: 'version', zh: ['版本'], required: true, key: true, spec: { type: 'integer', min: 1, max: 1_000_000 } },
      { name: 'department_code', zh: ['部门'], required: true, spec: ref('departments') },
      { name: 'kind', zh: ['事项类别'], required: true, spec: enumOf(ITEM_KINDS) },
      { name: 'name_zh', zh: ['事项名称'], required: true, spec: TEXT },
      { name: 'name_en', zh: ['英文名称'], required: true, spec: TEXT },
      { name: 'legal_basis', zh: ['法律依据'], required: true, spec: TEXT, maxChars: 1000 },
      { name: 'object_type', zh: ['检查对象'], required: true, spec: enumOf(ITEM_OBJECT_TYPES) },
      { name: 'content', zh: ['检查内容'], required: true, spec: TEXT, maxChars: 2000 },
      { name: 'method', zh: ['检查方式'], required: true, spec: enumOf(ITEM_METHODS) },
      { name: 'default_ratio_bp', zh: ['抽查比例(基点)', '抽查比例'], required: true, spec: { type: 'integer', min: 0, max: RATIO_BP_MAX } },
      { name: 'frequency_per_year', zh: ['抽查频次'], required: true, spec: { type: 'integer', min: 0, max: 366 } },
      { name: 'specialty', zh: ['所需专长'], required: true, spec: ref('specialties') },
      { name: 'valid_from', zh: ['生效日期'], required: true, spec: DATE },
      { name: 'valid_to', zh: ['失效日期'], required: false, spec: DATE },
    ],
  },
};

export function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}

/** Reference tables a kind's cells are checked against. */
export function refTablesOf(def: KindDef): RefTable[] {
  const tables = new Set<RefTable>();
  for (const f of def.fields) {
    if (f.spec.type === 'ref') tables.add(f.spec.table);
    if (f.spec.type === 'list' && f.spec.item.type === 'ref') tables.add(f.spec.item.table);
  }
  return [...tables];
}

/** A field as users see it in messages: `uscc (统一社会信用代码)`. */
export function fieldLabel(f: FieldDef): string {
  return `${f.name} (${f.zh[0]})`;
}

// ---- header matching ------------------------------------------------------------------------------------

/**
 * Header cells compare without case, spaces, underscores, hyphens, full-width brackets or the asterisk that
 * templates put on required columns: "Entity Type", "entity_type" and "*主体类型" all match.
 */
export function normalizeHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/[\s_\-*＊]/g, '')
    .toLowerCase();
}

const headerIndex = new Map<Kind, Map<string, FieldDef>>();
function aliasesOf(kind: Kind): Map<string, FieldDef> {
  let map = headerIndex.get(kind);
  if (!map) {
    map = new Map();
    for (const f of FORMATS[kind].fields) for (const alias of [f.name, ...f.zh]) map.set(normalizeHeader(alias), f);
    headerIndex.set(kind, map);
  }
  return map;
}

export interface HeaderMatch {
  /** For each field (in KindDef order): the 0-based column index holding it, or -1 when the file has no such column. */
  columnOf: number[];
  /** Required fields the header lacks. */
  missing: FieldDef[];
  /** Header cells that name no field of this kind (kept for the report). */
  ignored: string[];
  /** Two columns naming the same field. */
  duplicates: Array<{ field: FieldDef; first: number; second: number }>;
  /** How many header cells name a field of this kind. */
  matched: number;
}

export function matchHeader(kind: Kind, header: readonly string[]): HeaderMatch {
  const def = FORMATS[kind];
  const aliases = aliasesOf(kind);
  const columnOf = def.fields.map(() => -1);
  const ignored: string[] = [];
  const duplicates: HeaderMatch['duplicates'] = [];
  let matched = 0;
  header.forEach((cell, column) => {
    const key = normalizeHeader(cell);
    if (key === '') return;
    const field = aliases.get(key);
    if (!field) {
      ignored.push(cell);
      return;
    }
    const at = def.fields.indexOf(field);
    if (columnOf[at] >= 0) {
      duplicates.push({ field, first: columnOf[at], second: column });
      return;
    }
    columnOf[at] = column;
    matched++;
  });
  const missing = def.fields.filter((f, i) => f.required && columnOf[i] < 0);
  return { columnOf, missing, ignored, duplicates, matched };
}

/**
 * The kind whose columns a header fits best, if it fits one completely: every required column present,
 * and more header cells matched than for any other complete fit.
 */
export function bestKindFor(header: readonly string[]): { kind: Kind; matched: number } | undefined {
  let best: { kind: Kind; matched: number } | undefined;
  for (const kind of KINDS) {
    const m = matchHeader(kind, header);
    if (m.missing.length > 0) continue;
    if (!best || m.matched > best.matched) best = { kind, matched: m.matched };
  }
  return best;
}
