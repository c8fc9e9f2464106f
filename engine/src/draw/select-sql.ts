// fd1/fd2 object selection (protocol §4) inside DuckDB, for populations of millions: every row is hashed once,
// only keys under a per-stratum threshold are kept and ranked, and the result equals selectObjects() exactly.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queryable } from '../db/duckdb.ts';
import { sql, type Sql } from '../db/sql.ts';
import { checkProtocol, checkStrata, compareUtf8, labelProblem, quotaEntry, type Protocol, type Selection, type StratumQuota, type StratumSpec } from './fd1.ts';

/** The eligible population: a table (or view) name, or a query, with columns (stratum, id). */
export interface PopulationSource {
  populationTable?: string;
  populationSql?: Sql;
}

export interface SqlSelectOptions extends PopulationSource {
  /** fd1 when not given: the key prefix. */
  protocol?: Protocol;
  seed: string;
  taskId: string;
  strata: StratumSpec[];
  /**
   * The caller vouches that these exact rows already passed checkPopulationSql (e.g. populationDigestSql at
   * commit, on a frozen population): the draw then only counts them per stratum, saving two full scans.
   */
  populationChecked?: boolean;
  /** Tests only: scales the first thresholds down so the widening path runs. */
  thresholdScale?: number;
  /** Tests only: rank on (prefix, key) as when two candidates' key prefixes collide. */
  wideOrder?: boolean;
}

export interface SelectionTableResult {
  strata: StratumQuota[];
  /** Rows in the result table. */
  selected: number;
  /** How many times a stratum's threshold had to be raised (0 in practice). */
  widenings: number;
}

/**
 * An id breaking the id rule (fd1.ts idProblem): empty, or holding a control character, space, comma, quote or "|"
 * (the RE2 class is SQL text, not a parameter, so DuckDB compiles it once).
 */
const BAD_ID = sql`(id IS NULL OR id = '' OR regexp_matches(id, '[\\x00-\\x20\\x7f,"|]'))`;

/** One row per stratum: eligible count, ids breaking the id rule, null strata or ids. */
const POPULATION_STATS_SQL = (src: Sql) => sql`
  SELECT stratum, count(*) AS eligible, count(*) FILTER (WHERE ${BAD_ID}) AS bad_ids
  FROM ${src} GROUP BY stratum`;

/**
 * How many 64-bit id hashes equal their predecessor once sorted: 0 unless an id repeats (or, rarely, two
 * ids' hashes collide). One row. Sorting integers costs a third of count(DISTINCT) at 18 M rows.
 */
const ID_HASH_REPEATS_SQL = (src: Sql) => sql`
  SELECT count(*) AS repeats FROM (SELECT h = lag(h) OVER (ORDER BY h) AS repeated FROM (SELECT hash(id) AS h FROM ${src})) WHERE repeated`;
/** The first id on more than one row, with its strata (only run when a hash repeats above). */
const DUPLICATE_ID_SQL = (src: Sql) => sql`
  SELECT id, list(stratum ORDER BY stratum COLLATE "binary") AS strata
  FROM ${src} GROUP BY id HAVING count(*) > 1 ORDER BY id COLLATE "binary" LIMIT 1`;

/**
 * Candidates: every population row of the drawn strata is hashed once, and the rows whose key is under
 * their stratum's threshold are kept, with the key's first 16 hex digits as an integer. One row per
 * candidate. `drawn` holds (stratum, threshold, quota).
 */
const CANDIDATES_SQL = (src: Sql, drawn: Sql, protocol: Protocol, seed: string, taskId: string) => sql`
  SELECT stratum, id, key, ('0x' || left(key, 16))::UBIGINT AS key_prefix FROM (
    SELECT p.stratum, p.id, sha256(${protocol} || '|' || ${seed} || '|' || ${taskId} || '|' || p.stratum || '|' || p.id) AS key, d.threshold
    FROM ${src} p JOIN ${drawn} d ON p.stratum = d.stratum
  ) WHERE key < threshold`;

/**
 * The selection, one row per pick: the quota smallest keys per stratum ranked, and the draw order across
 * strata. For candidates whose key prefixes are all distinct (the rule: a tie has odds near 1e-8) ranks
 * and order are computed on narrow (stratum, prefix) rows and joined back by prefix, which orders exactly
 * as the key: sorting without the text columns is several times faster.
 */
const NARROW_RESULT_SQL = (candidates: Sql, drawn: Sql) => sql`
  WITH ranked AS (
    SELECT c.key_prefix, d.quota, row_number() OVER (PARTITION BY c.stratum ORDER BY c.key_prefix) AS rank
    FROM ${candidates} c JOIN ${drawn} d ON c.stratum = d.stratum
    QUALIFY rank <= quota
  ), ordered AS (
    SELECT key_prefix, rank, row_number() OVER (ORDER BY key_prefix) AS draw_order FROM ranked
  )
  SELECT c.stratum, c.id, c.key, o.rank, o.draw_order FROM ordered o JOIN ${candidates} c ON c.key_prefix = o.key_prefix`;

/** The same selection when two candidates share a key prefix: (prefix, key) orders exactly as the key. */
const WIDE_RESULT_SQL = (candidates: Sql, drawn: Sql) => sql`
  SELECT stratum, id, key, rank, row_number() OVER (ORDER BY key_prefix, key) AS draw_order FROM (
    SELECT c.stratum, c.id, c.key, c.key_prefix, d.quota, row_number() OVER (PARTITION BY c.stratum ORDER BY c.key_prefix, c.key) AS rank
    FROM ${candidates} c JOIN ${drawn} d ON c.stratum = d.stratum
    QUALIFY rank <= quota
  )`;

/** Candidates and distinct key prefixes among them (one row). */
const PREFIX_COUNT_SQL = (candidates: Sql) => sql`SELECT count(*) AS n, count(DISTINCT key_prefix) AS prefixes FROM ${candidates}`;

const KEY_SPACE = 2 ** 48; // thresholds use the first 12 hex digits of a key

export function sourceSql(source: PopulationSource): Sql {
  if ((source.populationTable === undefined) === (source.populationSql === undefined)) {
    throw new Error('give exactly one of populationTable and populationSql');
  }
  return source.populationTable !== undefined ? sql.id(source.populationTable) : sql`(${source.populationSql!})`;
}

function tempName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/**
 * Checks the population the way fd1.ts does (labels, ids, no duplicate or id in two strata, every
 * stratum known) and returns its size per stratum.
 */
export async function checkPopulationSql(q: Queryable, source: PopulationSource, known?: Set<string>): Promise<Map<string, number>> {
  const src = sourceSql(source);
  const stats = await q.query<{ stratum: string | null; eligible: number; bad_ids: number }>(POPULATION_STATS_SQL(src));
  const sizes = new Map<string, number>();
  for (const row of stats) {
    const example = async (where: Sql) => (await q.one<{ id: string | null }>(sql`SELECT id FROM ${src} WHERE ${where} LIMIT 1`))?.id;
    if (row.stratum === null) throw new Error(`population: id ${JSON.stringify(await example(sql`stratum IS NULL`))} has no stratum`);
    const problem = labelProblem(row.stratum);
    if (problem) throw new Error(`population: stratum ${JSON.stringify(row.stratum)} ${problem}`);
    if (known && !known.has(row.stratum)) {
      throw new Error(`population: stratum ${row.stratum} (e.g. id ${await example(sql`stratum = ${row.stratum}`)}) has no ratio or count in the task's strata`);
    }
    if (row.bad_ids > 0) {
      const bad = await example(sql`stratum = ${row.stratum} AND ${BAD_ID}`);
      throw new Error(
        `population: id ${JSON.stringify(bad)} in stratum ${row.stratum} must be non-empty, without spaces, control characters, a comma, a double quote or "|"`,
      );
    }
    sizes.set(row.stratum, row.eligible);
  }
  if ((await q.one<{ repeats: number }>(ID_HASH_REPEATS_SQL(src)))!.repeats > 0) {
    const dup = await q.one<{ id: string; strata: string[] }>(DUPLICATE_ID_SQL(src));
    if (dup) {
      const distinct = [...new Set(dup.strata)];
      throw new Error(
        distinct.length === 1
          ? `population: duplicate pair (${distinct[0]}, ${dup.id}); each id appears once (fd1 §2)`
          : `population: id ${dup.id} is in two strata, ${distinct[0]} and ${distinct[1]}; an id belongs to one stratum (fd1 §2)`,
      );
    }
  }
  return sizes;
}

/** Rows per stratum of an already checked population; a stratum outside the task is still refused. */
async function countPopulationSql(q: Queryable, src: Sql, known: Set<string>): Promise<Map<string, number>> {
  const rows = await q.query<{ stratum: string; eligible: number }>(sql`SELECT stratum, count(*) AS eligible FROM ${src} GROUP BY stratum`);
  for (const { stratum } of rows) {
    if (!known.has(stratum)) throw new Error(`population: stratum ${stratum} has no ratio or count in the task's strata`);
  }
  return new Map(rows.map((r) => [r.stratum, r.eligible]));
}

/** A 12-hex-digit threshold keeping about `fraction` of uniform keys, or 'g' (above every hex key) for all. */
function thresholdFor(fraction: number): string {
  if (fraction >= 1) return 'g';
  const t = Math.ceil(fraction * KEY_SPACE);
  return t >= KEY_SPACE ? 'g' : t.toString(16).padStart(12, '0');
}

/**
 * Runs the draw and leaves it in TEMP table `resultTable` (stratum, id, key, rank, draw_order), one row
 * per selected object, on this connection. Millions of picks stay in DuckDB; nothing is read back.
 */
export async function drawSelectionTable(q: Queryable, options: SqlSelectOptions & { resultTable: string }): Promise<SelectionTableResult> {
  checkStrata(options.strata);
  const protocol = checkProtocol(options.protocol ?? 'fd1');
  if (typeof options.seed !== 'string' || typeof options.taskId !== 'string') throw new Error('seed and taskId must be strings');
  const src = sourceSql(options);
  const result = sql.id(options.resultTable);
  const known = new Set(options.strata.map((s) => s.stratum));
  const sizes = options.populationChecked ? await countPopulationSql(q, src, known) : await checkPopulationSql(q, options, known);

  const strata: StratumQuota[] = options.strata.map((spec) => quotaEntry(spec, sizes.get(spec.stratum) ?? 0));
  const drawn = strata.filter((s) => s.quota > 0);

  const drawnTable = sql.id(tempName('fd1_drawn'));
  const candidates = sql.id(tempName('fd1_candidates'));
  // Expected candidates: quota + 6 sigma + 64, so a short stratum (and a second pass) has odds below 1e-9.
  const fraction = new Map(
    drawn.map((s) => [s.stratum, s.quota === s.eligible ? 1 : ((s.quota + 6 * Math.sqrt(s.quota) + 64) / s.eligible) * (options.thresholdScale ?? 1)]),
  );
  let widenings = 0;
  try {
    await q.exec(sql`CREATE TEMP TABLE ${drawnTable} (stratum VARCHAR, threshold VARCHAR, quota BIGINT)`);
    await q.exec(sql`CREATE TEMP TABLE ${candidates} (stratum VARCHAR, id VARCHAR, key VARCHAR, key_prefix UBIGINT)`);
    let pending = drawn;
    while (pending.length > 0) {
      await q.exec(sql`DELETE FROM ${drawnTable}`);
      for (const s of pending) await q.exec(sql`INSERT INTO ${drawnTable} VALUES (${s.stratum}, ${thresholdFor(fraction.get(s.stratum)!)}, ${s.quota})`);
      await q.exec(sql`DELETE FROM ${candidates} WHERE stratum IN (SELECT stratum FROM ${drawnTable})`);
      await q.exec(sql`INSERT INTO ${candidates} ${CANDIDATES_SQL(src, drawnTable, protocol, options.seed, options.taskId)}`);
      const found = new Map(
        (await q.query<{ stratum: string; n: number }>(sql`SELECT stratum, count(*) AS n FROM ${candidates} GROUP BY stratum`)).map((r) => [r.stratum, r.n]),
      );
      pending = pending.filter((s) => (found.get(s.stratum) ?? 0) < s.quota);
      for (const { stratum } of pending) {
        // Still exact, only slower: raise the threshold and hash that stratum again.
        fraction.set(stratum, Math.min(1, fraction.get(stratum)! * 4));
        widenings++;
      }
    }
    await q.exec(sql`DELETE FROM ${drawnTable}`);
    for (const s of drawn) await q.exec(sql`INSERT INTO ${drawnTable} VALUES (${s.stratum}, NULL, ${s.quota})`);
    const { n, prefixes } = (await q.one<{ n: number; prefixes: number }>(PREFIX_COUNT_SQL(candidates)))!;
    const resultSql = prefixes === n && !options.wideOrder ? NARROW_RESULT_SQL(candidates, drawnTable) : WIDE_RESULT_SQL(candidates, drawnTable);
    // OR REPLACE touches only a temporary table of that name, never a stored one.
    await q.exec(sql`CREATE OR REPLACE TEMP TABLE ${result} AS ${resultSql}`);
  } finally {
    for (const t of [drawnTable, candidates]) await q.exec(sql`DROP TABLE IF EXISTS ${t}`);
  }
  const selected = (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${result}`))!.n;
  return { strata, selected, widenings };
}

/** Same value as selectObjects(); reads every pick into JS, so meant for draws up to a few hundred thousand picks. */
export async function selectObjectsSql(q: Queryable, options: SqlSelectOptions): Promise<Selection> {
  const table = tempName('fd1_selection');
  try {
    const { strata } = await drawSelectionTable(q, { ...options, resultTable: table });
    const rows = await q.query<{ stratum: string; id: string; key: string; rank: number; draw_order: number }>(
      sql`SELECT stratum, id, key, rank, draw_order FROM ${sql.id(table)}`,
    );
    const selection = rows
      .map(({ stratum, id, key, rank }) => ({ stratum, id, key, rank }))
      .sort((a, b) => compareUtf8(a.stratum, b.stratum) || a.rank - b.rank);
    const drawOrder = rows.sort((a, b) => a.draw_order - b.draw_order).map((r) => r.id);
    return { strata, selection, drawOrder };
  } finally {
    await q.exec(sql`DROP TABLE IF EXISTS ${sql.id(table)}`);
  }
}

/** The population rows as "stratum\tid\n", sorted by stratum then id in byte order: the digest's exact input. */
const DIGEST_ROWS_SQL = (src: Sql) => sql`SELECT stratum, id FROM ${src} ORDER BY stratum COLLATE "binary", id COLLATE "binary"`;

/**
 * The population digest (fd1 §2; fd2 §2 with the salt of digestSalt()) of a large population: DuckDB sorts and
 * writes the exact digest input to a temporary file, which is hashed as a stream. Measured far faster than
 * streaming rows into JS (see engine/bench/draw.ts).
 */
export async function populationDigestSql(q: Queryable, source: PopulationSource, salt = ''): Promise<{ digest: string; rows: number }> {
  const sizes = await checkPopulationSql(q, source);
  const path = join(tmpdir(), `${tempName('fd1-digest')}.tsv`);
  try {
    await q.exec(sql`COPY (${DIGEST_ROWS_SQL(sourceSql(source))}) TO ${path} (HEADER false, DELIMITER '\t', QUOTE '')`);
    const digest = await hashFile(path, salt);
    return { digest, rows: [...sizes.values()].reduce((a, b) => a + b, 0) };
  } finally {
    rmSync(path, { force: true });
  }
}

function hashFile(path: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256').update(salt, 'utf8');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
