// What the public portal (no login) reads: the item list in force, annual plans with their approved tasks, draws
// (commitment and population digest at once; selection, teams and verification files once the window has closed)
// and published results, searchable by entity name or code (only those of draws whose window has closed, or that a
// leader decided to publish early). Never a tier of an entity, never an inspector's name.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from '../db/duckdb.ts';
import { sql, sqlFolder } from '../db/sql.ts';
import { bilingual, EngineError } from '../kernel/errors.ts';
import { declaredOnly } from '../kernel/schema.ts';
import { PublicDrawSummary, type PublicDrawDetail, type PublicItem, type PublicPlan, type PublicResult, type PublicTask, type ResultSearchPage } from './schemas.ts';
import type { Readable } from 'node:stream';
import { drawRecord, exportDraw, fullPackageIsPublic, publicRecord } from '../draw/export.ts';
import { publicAttestationsOf } from '../draw/attestations.ts';
import { DRAW_FILES, PUBLIC_FILES, publicManifestOf, selectedCsv, writeDrawFiles } from '../draw/files.ts';
import { zipDrawFiles } from '../draw/zip.ts';
import { getDraw, isPublished, listDraws, publicView, type DrawHeader, type DrawStatus } from '../draw/lifecycle.ts';
import { listPlans } from '../draw/plans.ts';
import { listTasks } from '../draw/tasks.ts';
import { shanghaiDate } from '../kernel/time.ts';
import { PublicSearchIndex, type MatchKind } from './search-index.ts';
import { withheldDraws, withheldDrawsSql } from '../draw/publication.ts';

const query = sqlFolder(import.meta.url);

export type { PublicDrawDetail, PublicDrawSummary, PublicItem, PublicPlan, PublicResult, PublicTask, ResultSearchPage };

/** Thrown when something is not (yet) public; the message says why and when it will be (API: 403). */
export class NotPublicError extends EngineError {
  constructor(code: string, message: string) {
    super('forbidden', code, bilingual(message));
  }
}

// ---- item list ----


export async function publicItems(q: Queryable, filter: { on: string; department?: string | null }): Promise<PublicItem[]> {
  const rows = await q.query<Record<string, string | number | null>>(query('items-in-force', { on: filter.on, dept: filter.department ?? null }));
  return rows.map((r) => ({
    code: r.code as string,
    version: r.version as number,
    departmentCode: r.department_code as string,
    departmentNameZh: r.department_name_zh as string,
    departmentNameEn: r.department_name_en as string,
    kind: r.kind as string,
    nameZh: r.name_zh as string,
    nameEn: r.name_en as string,
    legalBasis: r.legal_basis as string,
    objectType: r.object_type as string,
    content: r.content as string,
    method: r.method as string,
    defaultRatioBp: r.default_ratio_bp as number,
    frequencyPerYear: r.frequency_per_year as number,
    validFrom: r.valid_from as string,
    validTo: r.valid_to as string | null,
  }));
}

// ---- plans ----

/**
 * Annual plans with their tasks. A special task shows once a leader has approved it; ratios, counts and who
 * created what stay internal (ratios are per risk tier).
 */
export async function publicPlans(q: Queryable, filter: { year?: number | null } = {}): Promise<PublicPlan[]> {
  const plans = await listPlans(q, { year: filter.year ?? undefined });
  const tasks = await listTasks(q, { year: filter.year ?? undefined });
  return plans.map((p) => ({
    id: p.id,
    year: p.year,
    jurisdictionRegionCode: p.jurisdictionRegionCode,
    leadDepartment: p.leadDepartment,
    name: p.name,
    createdAt: p.createdAt,
    tasks: tasks
      .filter((t) => t.planId === p.id && t.status === 'ready')
      .map((t) => ({
        id: t.id,
        kind: t.kind,
        name: t.publicName,
        leadDepartment: t.leadDepartment,
        departments: t.departments,
        items: t.items.map((i) => ({ code: i.code, version: i.version, departmentCode: i.departmentCode, nameZh: i.nameZh, nameEn: i.nameEn, method: i.method })),
        scope: { regions: t.scope.regions, industries: t.scope.industries, entityTypes: t.scope.entityTypes, objectKinds: t.scope.objectKinds },
        windowStart: t.windowStart,
        windowEnd: t.windowEnd,
      })),
  }));
}

// ---- draws ----

/** The published files of a draw the portal serves once the window has closed. population.csv and selection.csv
 * are not among them: they carry every entity's stratum, which is its risk tier (SPEC 7: the tier is internal). */
export const PORTAL_DRAW_FILES = ['manifest.json', 'inspectors.csv', 'exclusions.csv', 'teams.csv'] as const;
export const WITHHELD_DRAW_FILES = ['population.csv', 'selection.csv'] as const;
export type PortalDrawFile = (typeof PORTAL_DRAW_FILES)[number];

/** What the public may always see of a draw: commitment, digest, times, beacon, and whether it is published yet. */
function summaryOf(d: DrawHeader, now: Date): PublicDrawSummary {
  return declaredOnly(PublicDrawSummary, { ...d, taskName: d.taskPublicName, published: isPublished(d, now) });
}

/** Every draw, newest first: commitment and population digest from the moment of commitment. */
export async function publicDraws(q: Queryable, filter: { taskId?: string | null; status?: DrawStatus | null; year?: number | null; now: Date }): Promise<PublicDrawSummary[]> {
  const draws = await listDraws(q, { taskId: filter.taskId ?? undefined, status: filter.status ?? undefined });
  return draws
    .filter((d) => !filter.year || shanghaiDate(d.committedAt).startsWith(`${filter.year}-`))
    .map((d) => summaryOf(d, filter.now))
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

const byId = (a: { objectId: string }, b: { objectId: string }) => (a.objectId < b.objectId ? -1 : a.objectId > b.objectId ? 1 : 0);

/**
 * One draw as the public may see it at `now`. An fd2 draw shows its public package (fd2 §5) until its full package is
 * public (never, when its strata are confidential): totals instead of strata, the selected ids sorted, no secret, seed,
 * key, rank or team; otherwise publicView of the draw lifecycle, without anything tier-bearing.
 */
export async function publicDraw(q: Queryable, drawId: string, now: Date): Promise<PublicDrawDetail> {
  const detail = await getDraw(q, drawId);
  const out: PublicDrawDetail = { ...summaryOf(detail, now), attestations: await publicAttestationsOf(q, detail.id) };
  if (detail.protocol === 'fd2' && !fullPackageIsPublic(detail, now)) {
    const record = await publicRecord(q, detail, now);
    const manifest = publicManifestOf(record);
    if (manifest.totals) out.totals = manifest.totals;
    if (manifest.strata.length > 0) out.strata = manifest.strata.map(({ ratio_bp, ...s }) => ({ ...s, ...(ratio_bp !== undefined ? { ratioBp: ratio_bp } : {}) }));
    if (record.selectedIds) out.selection = [...record.selectedIds].sort().map((objectId) => ({ objectId }));
    out.files = record.selectedIds ? [...PUBLIC_FILES] : ['manifest.json'];
    return out;
  }
  const view = publicView(detail, now);
  if (!view.published) return out;
  out.secret = view.secret;
  out.seed = view.seed;
  out.strata = view.strata?.map((s) => ({
    stratum: s.stratum,
    eligible: s.eligible,
    ...(s.ratio_bp !== undefined ? { ratioBp: s.ratio_bp } : {}),
    ...(s.count !== undefined ? { count: s.count } : {}),
    ...(s.quota !== undefined ? { quota: s.quota } : {}),
  }));
  if (view.selection) {
    out.selection = view.selection.map((s) => ({ objectId: s.objectId })).sort(byId);
    out.teams = (view.teams ?? [])
      .map((t) => ({ objectId: t.objectId, department: t.department, inspectorId: t.inspectorId, position: t.position }))
      .sort((a, b) => byId(a, b) || a.position - b.position);
    out.unstaffed = (view.unstaffed ?? []).map((u) => ({ objectId: u.objectId, department: u.department, reason: u.reason })).sort(byId);
    // fd2 §3: a draw whose strata are not confidential publishes its six files once the window has closed.
    out.files = detail.protocol === 'fd2' ? [...DRAW_FILES] : [...PORTAL_DRAW_FILES];
  }
  return out;
}

/** The text of one published file of a drawn draw whose window has closed. */
export async function publicDrawFile(q: Queryable, drawId: string, file: string, now: Date): Promise<{ contentType: string; body: string }> {
  const draw = await getDraw(q, drawId, { rows: false });
  if (draw.protocol === 'fd2') {
    if (!fullPackageIsPublic(draw, now)) return publicPackageFile(q, draw, file, now);
    if (!(DRAW_FILES as readonly string[]).includes(file)) throw new NotPublicError('public.no_such_file', `没有这个文件 / no such file: ${file} (one of ${DRAW_FILES.join(', ')})`);
    const pkg = await publicPackageDir(q, draw.id, now);
    try {
      return { contentType: file.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8', body: readFileSync(join(pkg.dir, file), 'utf8') };
    } finally {
      pkg.cleanup();
    }
  }
  if ((WITHHELD_DRAW_FILES as readonly string[]).includes(file))
    throw new NotPublicError(
      'public.file_withheld',
      `${file} 列出每个主体所在的分层（即风险等级），风险等级仅供内部使用，门户不公开 / ${file} lists each entity's stratum, which is its risk tier: tiers are internal and the portal does not publish them`,
    );
  if (!(PORTAL_DRAW_FILES as readonly string[]).includes(file)) throw new NotPublicError('public.no_such_file', `没有这个文件 / no such file: ${file} (one of ${PORTAL_DRAW_FILES.join(', ')})`);
  const detail = await getDraw(q, drawId);
  if (!isPublished(detail, now))
    throw new NotPublicError('public.window_open', `抽取 ${drawId} 的检查窗口至 ${detail.windowEnd} 结束，结束前只公开承诺值和名单摘要 / until the window closes on ${detail.windowEnd} only the commitment and the population digest are public`);
  if (detail.drawnAt === null) throw new NotPublicError('public.not_drawn', `抽取 ${drawId} 未完成抽取（${detail.status}），没有文件 / draw ${drawId} was never run (${detail.status}): there are no files`);
  const record = await drawRecord(q, detail);
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-portal-'));
  try {
    await writeDrawFiles(dir, record);
    return { contentType: file.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8', body: readFileSync(join(dir, file), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A file of an fd2 draw's public package: the public manifest from the commitment on, selected.csv after the window. */
async function publicPackageFile(q: Queryable, draw: Awaited<ReturnType<typeof getDraw>>, file: string, now: Date): Promise<{ contentType: string; body: string }> {
  if (!(PUBLIC_FILES as readonly string[]).includes(file))
    throw new NotPublicError(
      'public.file_withheld',
      `抽取 ${draw.id} 的公众包只有 ${PUBLIC_FILES.join('、')}；其余文件含风险等级，仅在审计包中提供 / the public package of ${draw.id} holds ${PUBLIC_FILES.join(' and ')} only; the other files carry risk tiers and are in the auditor package`,
    );
  const record = await publicRecord(q, draw, now);
  if (file === 'manifest.json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(publicManifestOf(record), null, 2) + '\n' };
  if (record.selectedIds === null)
    throw new NotPublicError('public.window_open', `抽取 ${draw.id} 的检查窗口至 ${draw.windowEnd} 结束，结束后公开抽中名单 / the selected ids of ${draw.id} are published once its window closes on ${draw.windowEnd}`);
  return { contentType: 'text/csv; charset=utf-8', body: selectedCsv(record.selectedIds) };
}

/** An fd2 draw's public package (fd2 §3) written into a fresh temporary folder: what `draw export` gives anyone at `now`. */
async function publicPackageDir(q: Queryable, drawId: string, now: Date): Promise<{ dir: string; files: string[]; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-portal-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const exported = await exportDraw(q, drawId, dir, { package: 'public', now });
    return { dir, files: exported.files, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/**
 * An fd2 draw's public package as one zip, exactly the files `draw export` writes for anyone (so `fairdraw draw
 * verify` takes the unzipped folder): the public manifest (and selected.csv after the window), or the six files of a
 * draw whose strata are not confidential after its window. fd1 draws offer their files one by one.
 */
export async function publicDrawZip(q: Queryable, drawId: string, now: Date): Promise<{ filename: string; stream: Readable; cleanup(): void }> {
  const draw = await getDraw(q, drawId, { rows: false });
  if (draw.protocol !== 'fd2')
    throw new NotPublicError('public.no_zip', `fd1 抽取 ${drawId} 的文件逐个下载 / the files of the fd1 draw ${drawId} are downloaded one by one`);
  const pkg = await publicPackageDir(q, draw.id, now);
  const stream = zipDrawFiles(pkg.dir, draw.drawnAt ?? draw.committedAt, pkg.files);
  stream.once('end', pkg.cleanup);
  stream.once('error', pkg.cleanup);
  return { filename: `${draw.id}-${fullPackageIsPublic(draw, now) ? 'fd2' : 'fd2-public'}.zip`, stream, cleanup: pkg.cleanup };
}

// ---- results ----

export const SEARCH_MAX_LIMIT = 100;

export interface ResultSearch {
  /** Part of the entity's public (redacted) name, or its code (USCC) exactly; empty: every published result. */
  q?: string | null;
  department?: string | null;
  itemCode?: string | null;
  limit?: number;
  offset?: number;
}

/** A search at a moment: the draws whose results are withheld then (draw/publication.ts) and that day. */
export interface SearchMoment {
  today: string;
  withheldDraws: string[];
}

/** The moment of a search made now. */
export async function searchMoment(q: Queryable, now: Date = new Date()): Promise<SearchMoment> {
  return { today: shanghaiDate(now), withheldDraws: await withheldDraws(q, now) };
}

/** USCC shape (GB 32100: 18 characters, no I, O, Z, S, V): such a query looks up the code only. */
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/i;
const HAS_HAN = /\p{Script=Han}/u;

/**
 * How a query text matches (search-index.ts). Names are matched in their public, redacted form, so searching a person's
 * real name does not confirm which masked entry is theirs. Chinese text matches as typed; other text in any case, or
 * as an object's exact id.
 */
function matchKind(text: string | null): MatchKind {
  if (text === null) return 'all';
  if (USCC_SHAPE.test(text)) return 'code';
  return HAS_HAN.test(text) ? 'han' : 'other';
}

// One row per published result, as a search page shows it.
const PAGE_COLUMNS = sql`result_id, draw_id, task_id, task_name, object_id, entity_name, entity_type, region_code, region_name_zh, item_code,
  item_version, item_name_zh, item_name_en, department_code, department_name_zh, department_name_en, outcome_code, outcome_name_zh,
  outcome_name_en, is_finding, findings, inspected_on, published_at, updated_at`;

/**
 * Searches published results by entity name (its public, redacted form) or code; at most 100 per page. The index finds,
 * counts and orders the matches; the page's rows are then read by id. The API keeps one index up to date between
 * searches (keptSearchIndex); by default one is built for this search.
 */
export async function searchPublicResults(q: Queryable, search: ResultSearch, index?: PublicSearchIndex, at?: SearchMoment): Promise<ResultSearchPage> {
  const moment = at ?? (await searchMoment(q));
  const text = search.q?.trim() || null;
  const limit = Math.min(Math.max(search.limit ?? 20, 1), SEARCH_MAX_LIMIT);
  const offset = Math.max(search.offset ?? 0, 0);
  const found = (index ?? (await PublicSearchIndex.build(q))).search({
    kind: matchKind(text),
    text,
    department: search.department,
    itemCode: search.itemCode,
    withheldDraws: moment.withheldDraws,
    limit,
    offset,
  });
  // Read by id: DuckDB reads these few rows through the primary key's index when the ids are literals.
  const rows = found.pageIds.length
    ? await q.query<Record<string, unknown>>(
        sql`SELECT ${PAGE_COLUMNS} FROM public_results WHERE result_id IN (${sql.join(found.pageIds.map((id) => sql.literal(id)))})
         AND draw_id NOT IN (${withheldDrawsSql(moment.today)})`,
      )
    : [];
  const order = new Map(found.pageIds.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.result_id as string)! - order.get(b.result_id as string)!);
  return {
    total: found.total,
    limit,
    offset,
    byOutcome: found.byOutcome,
    findings: found.findings,
    results: rows.map((r) => ({
      resultId: r.result_id as string,
      drawId: r.draw_id as string,
      taskId: r.task_id as string,
      taskName: r.task_name as string,
      objectId: r.object_id as string,
      entityName: r.entity_name as string,
      entityType: r.entity_type as string | null,
      regionCode: r.region_code as string,
      regionNameZh: r.region_name_zh as string | null,
      itemCode: r.item_code as string,
      itemVersion: r.item_version as number,
      itemNameZh: r.item_name_zh as string,
      itemNameEn: r.item_name_en as string,
      departmentCode: r.department_code as string,
      departmentNameZh: r.department_name_zh as string,
      departmentNameEn: r.department_name_en as string,
      outcomeCode: r.outcome_code as string,
      outcomeNameZh: r.outcome_name_zh as string,
      outcomeNameEn: r.outcome_name_en as string,
      isFinding: r.is_finding as boolean,
      findings: r.findings as string | null,
      inspectedOn: r.inspected_on as string,
      publishedAt: r.published_at as Date,
      updatedAt: r.updated_at as Date,
    })),
  };
}
