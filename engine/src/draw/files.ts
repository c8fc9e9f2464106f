// The files of a draw: fd1's six published files (docs/fd1.md §6), which are fd2's auditor package with the fd2
// manifest (docs/fd2.md §4), and fd2's public package (manifest and selected.csv, §5). Written from a DrawRecord, read
// back, and population.csv streamed (from DuckDB's COPY or from row batches) because it can hold 18 M rows.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import type { Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { formatShanghai } from '../kernel/time.ts';
import {
  checkProtocol,
  compareDrawOrder,
  comparePairs,
  compareUtf8,
  digestSalt,
  idProblem,
  inspectorKey,
  labelProblem,
  sha256Hex,
  type DigestMode,
  type DrawCaps,
  type Pair,
  type Protocol,
  type SelectedObject,
  type StratumQuota,
  type TeamAssignment,
} from './fd1.ts';
import { checkPopulationSql, sourceSql, type PopulationSource } from './select-sql.ts';

export const DRAW_FILES = ['manifest.json', 'population.csv', 'inspectors.csv', 'exclusions.csv', 'selection.csv', 'teams.csv'] as const;

export const HEADERS = {
  'population.csv': 'stratum,id',
  'inspectors.csv': 'department,inspector_id',
  'exclusions.csv': 'object_id,inspector_id',
  'selection.csv': 'stratum,id,key,rank',
  'teams.csv': 'object_id,department,inspector_id',
} as const;

export interface ManifestStratum {
  stratum: string;
  eligible: number;
  ratio_bp?: number;
  count?: number;
  quota: number;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** The audit chain's head just after the commitment and just after the draw were recorded (fd2 §4, §7). */
export interface AuditHeads {
  commit?: AuditHead;
  draw?: AuditHead;
}

/**
 * manifest.json, fields in this order: fd1's (docs/fd1.md §6), or fd2's auditor manifest (docs/fd2.md §4), whose
 * extra fields are marked fd2. Times are ISO 8601 in Asia/Shanghai (+08:00).
 */
export interface DrawManifest {
  protocol: Protocol;
  package?: 'auditor';
  task_id: string;
  commitment: string;
  secret: string;
  beacon_source?: string;
  beacon_due?: string;
  beacon: string;
  seed: string;
  digest?: DigestMode;
  population_digest: string;
  strata: ManifestStratum[];
  teams: DrawCaps[];
  committed_at: string;
  beacon_recorded_at?: string;
  drawn_at: string;
  audit_heads?: AuditHeads;
}

/** What fd2 adds to a draw's record: the beacon declared at commit, the timeline, the digest mode, the audit heads. */
export interface Fd2Fields {
  digest: DigestMode;
  beaconSource: string;
  beaconDue: Date | string;
  beaconRecordedAt: Date | string;
  auditHeads: AuditHeads;
}

/** Everything a draw publishes. `population` is for small draws; large ones stream population.csv separately. */
export interface DrawRecord {
  protocol: Protocol;
  /** Required for fd2. */
  fd2?: Fd2Fields;
  taskId: string;
  commitment: string;
  secret: string;
  beacon: string;
  seed: string;
  populationDigest: string;
  /** As the task listed them. */
  strata: StratumQuota[];
  /** Team specification with pool sizes and caps, in listed department order. */
  caps: DrawCaps[];
  committedAt: Date | string;
  drawnAt: Date | string;
  pools: Record<string, string[]>;
  exclusions: Array<[string, string]>;
  selection: SelectedObject[];
  teams: TeamAssignment[];
  population?: Iterable<Pair>;
}

/** The files read back into memory (small draws: tests, API previews). */
export interface DrawFiles {
  manifest: DrawManifest;
  population: Pair[];
  pools: Record<string, string[]>;
  exclusions: Array<[string, string]>;
  selection: SelectedObject[];
  teams: TeamAssignment[];
}

/** A stratum as the manifests list it. */
export function manifestStratum(s: StratumQuota): ManifestStratum {
  return { stratum: s.stratum, eligible: s.eligible, ...(s.ratioBp !== undefined ? { ratio_bp: s.ratioBp } : { count: s.count }), quota: s.quota };
}

export function manifestOf(record: DrawRecord): DrawManifest {
  const strata = record.strata.map(manifestStratum);
  const teams = record.caps.map(({ department, count, pool, cap }) => ({ department, count, pool, cap }));
  if (record.protocol === 'fd1') {
    return {
      protocol: 'fd1',
      task_id: record.taskId,
      commitment: record.commitment,
      secret: record.secret,
      beacon: record.beacon,
      seed: record.seed,
      population_digest: record.populationDigest,
      strata,
      teams,
      committed_at: formatShanghai(record.committedAt),
      drawn_at: formatShanghai(record.drawnAt),
    };
  }
  const fd2 = fd2FieldsOf(record);
  return {
    protocol: 'fd2',
    package: 'auditor',
    task_id: record.taskId,
    commitment: record.commitment,
    secret: record.secret,
    beacon_source: fd2.beaconSource,
    beacon_due: formatShanghai(fd2.beaconDue),
    beacon: record.beacon,
    seed: record.seed,
    digest: fd2.digest,
    population_digest: record.populationDigest,
    strata,
    teams,
    committed_at: formatShanghai(record.committedAt),
    beacon_recorded_at: formatShanghai(fd2.beaconRecordedAt),
    drawn_at: formatShanghai(record.drawnAt),
    audit_heads: fd2.auditHeads,
  };
}

function fd2FieldsOf(record: Pick<DrawRecord, 'protocol' | 'fd2'>): Fd2Fields {
  if (!record.fd2) throw new Error('draw record: an fd2 draw needs its beacon declaration, timeline, digest mode and audit heads');
  return record.fd2;
}

/** The salt of the record's population digest: the secret for an fd2 draw with confidential strata. */
export function recordDigestSalt(record: Pick<DrawRecord, 'protocol' | 'fd2' | 'secret'>): string {
  return digestSalt(record.protocol === 'fd2' ? fd2FieldsOf(record).digest : 'plain', record.secret);
}

/** fd2 §5: the public manifest, fields in this order; null for what has not happened yet. */
export interface PublicManifest {
  protocol: 'fd2';
  package: 'public';
  task_id: string;
  commitment: string;
  beacon_source: string;
  beacon_due: string;
  beacon: string;
  digest: DigestMode;
  population_digest: string;
  totals?: { eligible: number; quota: number };
  strata: ManifestStratum[];
  teams: DrawCaps[];
  committed_at: string;
  beacon_recorded_at: string | null;
  drawn_at: string | null;
  audit_heads: AuditHeads;
  selected: number | null;
}

/** What a public package is made of: never the secret, the seed, keys, ranks or a confidential stratum. */
export interface PublicRecord {
  taskId: string;
  commitment: string;
  beaconSource: string;
  beaconDue: Date | string;
  beacon: string | null;
  /** 'salted' exactly when the strata are confidential (decided once, at commit). */
  digest: DigestMode;
  populationDigest: string;
  strata: StratumQuota[];
  caps: DrawCaps[];
  committedAt: Date | string;
  beaconRecordedAt: Date | string | null;
  drawnAt: Date | string | null;
  auditHeads: AuditHeads;
  /** The selected ids once the inspection window has closed, else null. */
  selectedIds: string[] | null;
}

export const PUBLIC_FILES = ['manifest.json', 'selected.csv'] as const;

export function publicManifestOf(record: PublicRecord): PublicManifest {
  const confidential = record.digest === 'salted';
  const sum = (pick: (s: StratumQuota) => number) => record.strata.reduce((n, s) => n + pick(s), 0);
  return {
    protocol: 'fd2',
    package: 'public',
    task_id: record.taskId,
    commitment: record.commitment,
    beacon_source: record.beaconSource,
    beacon_due: formatShanghai(record.beaconDue),
    beacon: record.beacon ?? '',
    digest: record.digest,
    population_digest: record.populationDigest,
    ...(confidential ? { totals: { eligible: sum((s) => s.eligible), quota: sum((s) => s.quota) } } : {}),
    strata: confidential ? [] : record.strata.map(manifestStratum),
    teams: record.caps.map(({ department, count, pool, cap }) => ({ department, count, pool, cap })),
    committed_at: formatShanghai(record.committedAt),
    beacon_recorded_at: record.beaconRecordedAt === null ? null : formatShanghai(record.beaconRecordedAt),
    drawn_at: record.drawnAt === null ? null : formatShanghai(record.drawnAt),
    audit_heads: record.auditHeads,
    selected: record.selectedIds === null ? null : record.selectedIds.length,
  };
}

/** selected.csv: header id, one id a line in UTF-8 byte order; no key, rank, stratum or draw order (fd2 §3). */
export function selectedCsv(ids: string[]): string {
  const sorted = [...ids].sort(compareUtf8);
  sorted.forEach((id, i) => field('selected.csv', i + 1, 'id', id, idProblem));
  return csv('id', sorted.map((id) => [id]));
}

/** Writes the public package into `dir`: manifest.json, and selected.csv once the window has closed. */
export function writePublicFiles(dir: string, record: PublicRecord): string[] {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(publicManifestOf(record), null, 2) + '\n');
  if (record.selectedIds === null) return ['manifest.json'];
  writeFileSync(join(dir, 'selected.csv'), selectedCsv(record.selectedIds));
  return [...PUBLIC_FILES];
}

function field(file: string, row: number, name: string, value: string, problem: (v: unknown) => string | undefined): string {
  const why = problem(value);
  if (why) throw new Error(`${file} row ${row}: ${name} ${JSON.stringify(value)} ${why}`);
  return value;
}

function csv(header: string, rows: string[][]): string {
  return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** Checks that the record is one consistent fd1 draw before anything is published. */
function checkRecord(record: DrawRecord): void {
  checkProtocol(record.protocol);
  if (record.protocol === 'fd2' && record.beacon === '') throw new Error('draw record: fd2 has no draw without a beacon');
  if (sha256Hex(record.secret) !== record.commitment) throw new Error('draw record: H(secret) does not equal the commitment');
  if (record.seed !== `${record.secret}|${record.beacon}`) throw new Error('draw record: seed is not secret + "|" + beacon');
  const quotas = new Map(record.strata.map((s) => [s.stratum, s.quota]));
  const picked = new Map<string, number>();
  for (const s of record.selection) picked.set(s.stratum, (picked.get(s.stratum) ?? 0) + 1);
  for (const [stratum, quota] of quotas) {
    if ((picked.get(stratum) ?? 0) !== quota) throw new Error(`draw record: stratum ${stratum} has ${picked.get(stratum) ?? 0} picks, quota ${quota}`);
  }
  for (const stratum of picked.keys()) if (!quotas.has(stratum)) throw new Error(`draw record: selection has stratum ${stratum}, not in strata`);
  for (const c of record.caps) {
    const size = record.pools[c.department]?.length ?? 0;
    if (size !== c.pool) throw new Error(`draw record: department ${c.department} pool has ${size} inspectors, caps say ${c.pool}`);
  }
}

/** selection.csv rows: by stratum (byte order), then rank. */
function selectionRows(selection: SelectedObject[]): string[][] {
  return [...selection]
    .sort((a, b) => compareUtf8(a.stratum, b.stratum) || a.rank - b.rank)
    .map((s, i) => [field('selection.csv', i + 1, 'stratum', s.stratum, labelProblem), field('selection.csv', i + 1, 'id', s.id, idProblem), s.key, String(s.rank)]);
}

/** teams.csv rows: in draw order, then listed department order, then ikey order (fd1 §6). */
function teamRows(record: TeamsInput): string[][] {
  const drawPosition = new Map([...record.selection].sort(compareDrawOrder).map((s, i) => [s.id, i]));
  const departmentPosition = new Map(record.caps.map((c, i) => [c.department, i]));
  const keyed = record.teams.map((t) => {
    const draw = drawPosition.get(t.objectId);
    const department = departmentPosition.get(t.department);
    if (draw === undefined) throw new Error(`teams: object ${t.objectId} is not in the selection`);
    if (department === undefined) throw new Error(`teams: department ${t.department} is not in the team specification`);
    return { t, draw, department, ikey: inspectorKey(record.seed, record.taskId, t.objectId, t.inspectorId, record.protocol) };
  });
  keyed.sort((a, b) => a.draw - b.draw || a.department - b.department || (a.ikey < b.ikey ? -1 : a.ikey > b.ikey ? 1 : 0));
  return keyed.map(({ t }, i) => [
    field('teams.csv', i + 1, 'object_id', t.objectId, idProblem),
    field('teams.csv', i + 1, 'department', t.department, labelProblem),
    field('teams.csv', i + 1, 'inspector_id', t.inspectorId, idProblem),
  ]);
}

/** inspectors.csv rows: the pools of the team's departments, sorted by department then inspector id. */
function inspectorRows(record: DrawRecord): string[][] {
  const rows: Pair[] = record.caps.flatMap((c) => (record.pools[c.department] ?? []).map((id) => ({ stratum: c.department, id })));
  rows.sort(comparePairs);
  return rows.map((r, i) => [field('inspectors.csv', i + 1, 'department', r.stratum, labelProblem), field('inspectors.csv', i + 1, 'inspector_id', r.id, idProblem)]);
}

/** exclusions.csv rows: each pair once, sorted by object id then inspector id. */
function exclusionRows(exclusions: Array<[string, string]>): string[][] {
  const unique = new Map(exclusions.map(([o, i]) => [`${o}\n${i}`, { stratum: o, id: i }]));
  return [...unique.values()]
    .sort(comparePairs)
    .map((r, i) => [field('exclusions.csv', i + 1, 'object_id', r.stratum, idProblem), field('exclusions.csv', i + 1, 'inspector_id', r.id, idProblem)]);
}

/** What teams.csv is written from. */
export type TeamsInput = Pick<DrawRecord, 'protocol' | 'seed' | 'taskId' | 'selection' | 'caps' | 'teams'>;

/** The text of selection.csv. */
export const selectionCsv = (selection: SelectedObject[]): string => csv(HEADERS['selection.csv'], selectionRows(selection));

/** The text of teams.csv. */
export const teamsCsv = (record: TeamsInput): string => csv(HEADERS['teams.csv'], teamRows(record));

/**
 * Writes the draw's files into `dir`. population.csv is written only when `record.population` is
 * given; for large draws write it with copyPopulationCsv or writePopulationCsv.
 */
export async function writeDrawFiles(dir: string, record: DrawRecord): Promise<void> {
  checkRecord(record);
  mkdirSync(dir, { recursive: true });
  if (record.population) {
    const rows = [...record.population].sort(comparePairs);
    const { digest } = await writePopulationCsv(join(dir, 'population.csv'), [rows], recordDigestSalt(record));
    if (digest !== record.populationDigest) throw new Error(`draw record: population digest ${digest} differs from the recorded ${record.populationDigest}`);
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestOf(record), null, 2) + '\n');
  writeFileSync(join(dir, 'inspectors.csv'), csv(HEADERS['inspectors.csv'], inspectorRows(record)));
  writeFileSync(join(dir, 'exclusions.csv'), csv(HEADERS['exclusions.csv'], exclusionRows(record.exclusions)));
  writeFileSync(join(dir, 'selection.csv'), selectionCsv(record.selection));
  writeFileSync(join(dir, 'teams.csv'), teamsCsv(record));
}

/**
 * Streams population.csv from batches already sorted by stratum then id (e.g. DuckDB's
 * `ORDER BY stratum COLLATE "binary", id COLLATE "binary"`), checking the order and computing the
 * digest on the way. An id in two strata is not detected here: check the population first.
 */
export async function writePopulationCsv(path: string, batches: AsyncIterable<Pair[]> | Iterable<Pair[]>, salt = ''): Promise<{ rows: number; digest: string }> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.on('error', reject));
  failed.catch(() => undefined);
  const hash = createHash('sha256').update(salt, 'utf8');
  let previous: Pair | undefined;
  let rows = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    await write(HEADERS['population.csv'] + '\n');
    for await (const batch of batches) {
      const csvLines: string[] = [];
      const digestLines: string[] = [];
      for (const pair of batch) {
        rows++;
        field('population.csv', rows, 'stratum', pair.stratum, labelProblem);
        field('population.csv', rows, 'id', pair.id, idProblem);
        if (previous && comparePairs(previous, pair) >= 0) {
          throw new Error(`population.csv row ${rows}: (${pair.stratum}, ${pair.id}) is not after (${previous.stratum}, ${previous.id}); rows must arrive sorted by stratum then id, each pair once`);
        }
        previous = pair;
        csvLines.push(`${pair.stratum},${pair.id}\n`);
        digestLines.push(`${pair.stratum}\t${pair.id}\n`);
      }
      hash.update(digestLines.join(''), 'utf8');
      await write(csvLines.join(''));
    }
  } finally {
    out.end();
    await Promise.race([once(out, 'close'), failed]);
  }
  return { rows, digest: hash.digest('hex') };
}

/** The rows of population.csv, sorted by stratum then id in byte order. */
const POPULATION_CSV_SQL = (src: Sql) => sql`SELECT stratum, id FROM ${src} ORDER BY stratum COLLATE "binary", id COLLATE "binary"`;

/**
 * The fast way for large populations: checks the population, lets DuckDB sort and write
 * population.csv, then hashes the file body (with "," read as "\t") to get the digest.
 */
export async function copyPopulationCsv(q: Queryable, source: PopulationSource, path: string, salt = ''): Promise<{ rows: number; digest: string }> {
  await checkPopulationSql(q, source);
  mkdirSync(dirname(path), { recursive: true });
  await q.exec(sql`COPY (${POPULATION_CSV_SQL(sourceSql(source))}) TO ${path} (HEADER, DELIMITER ',', QUOTE '')`);
  return digestPopulationCsv(path, salt);
}

/** Digest and row count of a sorted population.csv: ids and strata hold no comma, so "," becomes "\t". */
export function digestPopulationCsv(path: string, salt = ''): Promise<{ rows: number; digest: string }> {
  const header = Buffer.from(HEADERS['population.csv'] + '\n');
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256').update(salt, 'utf8');
    let skipped = 0;
    let rows = 0;
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (data) => {
        let chunk = data as Buffer;
        if (skipped < header.length) {
          const take = Math.min(header.length - skipped, chunk.length);
          if (!chunk.subarray(0, take).equals(header.subarray(skipped, skipped + take))) {
            reject(new Error(`${path}: the first line must be "${HEADERS['population.csv']}"`));
          }
          skipped += take;
          chunk = chunk.subarray(take);
        }
        for (let i = chunk.indexOf(44); i !== -1; i = chunk.indexOf(44, i + 1)) {
          chunk[i] = 9;
          rows++;
        }
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ rows, digest: hash.digest('hex') }));
  });
}

// ---- reading ----------------------------------------------------------------------------------

function parseCsv(dir: string, file: keyof typeof HEADERS, columns: number): string[][] {
  const text = readFileSync(join(dir, file), 'utf8');
  if (!text.endsWith('\n')) throw new Error(`${file}: must end with a newline`);
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== HEADERS[file]) throw new Error(`${file} line 1: header must be "${HEADERS[file]}", found "${lines[0]}"`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== columns) throw new Error(`${file} line ${i + 2}: expected ${columns} fields, found ${cells.length}: "${line}"`);
    return cells;
  });
}

/** Reads a draw folder back into memory (small draws). Checks shape, not the draw itself: that is verify's job. */
export function readDrawFiles(dir: string): DrawFiles {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DrawManifest;
  checkProtocol(manifest.protocol);
  const pools: Record<string, string[]> = Object.fromEntries(manifest.teams.map((t) => [t.department, [] as string[]]));
  parseCsv(dir, 'inspectors.csv', 2).forEach(([department, id], i) => {
    if (!pools[department]) throw new Error(`inspectors.csv line ${i + 2}: department ${department} is not in manifest.json teams`);
    pools[department].push(id);
  });
  return {
    manifest,
    population: parseCsv(dir, 'population.csv', 2).map(([stratum, id]) => ({ stratum, id })),
    pools,
    exclusions: parseCsv(dir, 'exclusions.csv', 2).map(([o, i]) => [o, i] as [string, string]),
    selection: parseCsv(dir, 'selection.csv', 4).map(([stratum, id, key, rank], i) => {
      if (!/^[1-9][0-9]*$/.test(rank)) throw new Error(`selection.csv line ${i + 2}: rank "${rank}" must be a positive integer`);
      return { stratum, id, key, rank: Number(rank) };
    }),
    teams: parseCsv(dir, 'teams.csv', 3).map(([objectId, department, inspectorId]) => ({ objectId, department, inspectorId })),
  };
}

/** Streams population.csv in batches of up to `batchSize` pairs, checking the header and field count. */
export async function* readPopulationCsv(path: string, batchSize = 8192): AsyncGenerator<Pair[]> {
  let rest = '';
  let line = 0;
  let batch: Pair[] = [];
  const take = (text: string) => {
    line++;
    if (line === 1) {
      if (text !== HEADERS['population.csv']) throw new Error(`${path} line 1: header must be "${HEADERS['population.csv']}", found "${text}"`);
      return;
    }
    const comma = text.indexOf(',');
    if (comma < 0 || text.indexOf(',', comma + 1) >= 0) throw new Error(`${path} line ${line}: expected "stratum,id", found "${text}"`);
    batch.push({ stratum: text.slice(0, comma), id: text.slice(comma + 1) });
  };
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const text of lines) take(text);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (rest !== '') throw new Error(`${path} line ${line + 1}: the file must end with a newline`);
  if (batch.length > 0) yield batch;
}
