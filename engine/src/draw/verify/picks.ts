// Recomputes protocol §2-4 from population.csv and compares with manifest.json and selection.csv:
// the population's shape, its digest, every stratum's eligible count, quota and exact picks.
// Three ways: all in memory for ordinary files; node:crypto on worker threads for millions of rows (the
// default there); or DuckDB's own sha256() over read_csv, on request.
import { createHash, hash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db } from '../../db/duckdb.ts';
import { sql, type Sql } from '../../db/sql.ts';
import type { Checks, Phases } from './report.ts';
import { FileProblem, ID, LABEL, digestSaltOf, readText, type Manifest, type ManifestStratum } from './read.ts';
import { scanPopulation, type PopulationScan } from './scan.ts';
import { scanPopulationParallel, type ParallelScan } from './parallel.ts';

export interface SelectionRow {
  line: number;
  text: string;
  stratum: string;
  id: string;
  key: string;
  rank: number;
  /** H(protocol + "|" + seed + "|" + task_id + "|" + stratum + "|" + id), recomputed here. */
  recomputedKey: string;
}

export interface PicksInput {
  dir: string;
  manifest: Manifest;
  lineOf: (field: string, within?: string) => { line: number; content: string } | undefined;
  checks: Checks;
  /** selection.csv rows when the file's format is sound; undefined otherwise (already reported). */
  selection: SelectionRow[] | undefined;
  /** JS work to run while DuckDB hashes the population (the team recomputation), so both cores stay busy. */
  whileHashing?: () => void;
  phases?: Phases;
}

const T_POPULATION = '总体名单 population';
const T_DIGEST = '总体摘要 population digest';
const T_SELECTION = '抽取名单 selection';
const stratumTitle = (s: string) => `分层 stratum ${s}`;

export const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export function objectKeyOf(protocol: string, seed: string, taskId: string, stratum: string, id: string): string {
  return hash('sha256', protocol + '|' + seed + '|' + taskId + '|' + stratum + '|' + id, 'hex');
}

/** objectKeyOf for one draw, with each stratum's prefix built once (hundreds of thousands of picks). */
export function objectKeyer(protocol: string, seed: string, taskId: string): (stratum: string, id: string) => string {
  const prefixes = new Map<string, string>();
  return (stratum, id) => {
    let prefix = prefixes.get(stratum);
    if (prefix === undefined) prefixes.set(stratum, (prefix = protocol + '|' + seed + '|' + taskId + '|' + stratum + '|'));
    return hash('sha256', prefix + id, 'hex');
  };
}

/** §3 with exact integers: 0 when N = 0 or bp = 0, else min(N, max(1, ceil(bp*N/10000))); or min(N, count). */
export function quotaOf(eligible: number, spec: ManifestStratum): number {
  if (spec.count !== undefined) return Math.min(eligible, spec.count);
  const bp = BigInt(spec.ratio_bp!);
  const n = BigInt(eligible);
  if (n === 0n || bp === 0n) return 0;
  const up = (bp * n + 9999n) / 10000n;
  return Number(up < 1n ? 1n : up > n ? n : up);
}

/** Checks the selection file on its own: known strata, each id once, rows by stratum then rank. */
function checkSelectionShape(input: PicksInput): boolean {
  const { checks, manifest, selection } = input;
  if (!selection) return false;
  const known = new Set(manifest.strata.map((s) => s.stratum));
  const seen = new Map<string, number>();
  let previous: SelectionRow | undefined;
  for (const row of selection) {
    const where = { file: 'selection.csv', line: row.line, content: row.text };
    if (!known.has(row.stratum)) {
      checks.mismatch('selection', T_SELECTION, `stratum ${row.stratum} is not in manifest.json strata`, where);
      return false;
    }
    const earlier = seen.get(row.id);
    if (earlier !== undefined) {
      checks.mismatch('selection', T_SELECTION, `id ${row.id} was already selected on line ${earlier}`, where);
      return false;
    }
    seen.set(row.id, row.line);
    // Ranks within a stratum are checked with its picks; here only the strata's order (ASCII labels: string order is byte order).
    if (previous && previous.stratum > row.stratum) {
      checks.mismatch('selection', T_SELECTION, `rows must be sorted by stratum (byte order), then rank; stratum ${row.stratum} comes after ${previous.stratum} (line ${previous.line})`, where);
      return false;
    }
    previous = row;
  }
  checks.ok('selection', T_SELECTION, `${selection.length} rows, sorted by stratum then rank, each id once`);
  return true;
}

/**
 * One stratum: eligible count and quota against the manifest, then the published rows against the
 * expected picks (the quota smallest keys, ranked), naming the first differing line.
 */
function checkStratum(
  input: PicksInput,
  spec: ManifestStratum,
  eligible: number,
  expected: Array<{ id: string; key: string }> | undefined,
  published: SelectionRow[] = [],
): void {
  const { checks, lineOf } = input;
  const within = `"stratum": ${JSON.stringify(spec.stratum)}`;
  const id = `stratum:${spec.stratum}`;
  if (eligible !== spec.eligible) {
    const at = lineOf('eligible', within);
    checks.mismatch(id, stratumTitle(spec.stratum), `population.csv has ${eligible} ids in this stratum, manifest.json says eligible ${spec.eligible}`, {
      file: 'manifest.json',
      ...at,
    });
    return;
  }
  const k = quotaOf(eligible, spec);
  if (k !== spec.quota) {
    const rule = spec.count !== undefined ? `min(${eligible}, count ${spec.count})` : `min(N, max(1, ceil(${spec.ratio_bp} * ${eligible} / 10000)))`;
    checks.mismatch(id, stratumTitle(spec.stratum), `quota must be ${rule} = ${k}, manifest.json says ${spec.quota}`, { file: 'manifest.json', ...lineOf('quota', within) });
    return;
  }
  if (!input.selection || !expected) {
    checks.skip(id, stratumTitle(spec.stratum), `eligible ${eligible} and quota ${k} agree; picks not checked (see above)`);
    return;
  }
  for (let i = 0; i < Math.max(published.length, expected.length); i++) {
    const want = expected[i] ? `${spec.stratum},${expected[i].id},${expected[i].key},${i + 1}` : undefined;
    const row = published[i];
    if (row && row.text === want) continue;
    if (!row) {
      const after = published.length > 0 ? published[published.length - 1].line : 1;
      checks.mismatch(id, stratumTitle(spec.stratum), `pick ${i + 1} of ${k} is missing after line ${after}: expected "${want}"`, { file: 'selection.csv', line: after });
      return;
    }
    let why: string;
    if (!want) why = `only ${k} ids are drawn in this stratum; this row is extra`;
    else if (row.key !== row.recomputedKey) why = `the key of ${row.id} is ${row.recomputedKey}; expected "${want}"`;
    else if (row.id !== expected[i].id) why = `expected "${want}" (the ${ordinal(i + 1)} smallest key)`;
    else why = `expected "${want}"`;
    checks.mismatch(id, stratumTitle(spec.stratum), why, { file: 'selection.csv', line: row.line, content: row.text });
    return;
  }
  checks.ok(id, stratumTitle(spec.stratum), k === 0 ? `eligible ${eligible}, quota 0, nothing drawn or published` : `eligible ${eligible}, quota ${k}, the ${k} smallest keys are exactly the published picks`);
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

function publishedByStratum(input: PicksInput): Map<string, SelectionRow[]> {
  const groups = new Map<string, SelectionRow[]>(input.manifest.strata.map((s) => [s.stratum, []]));
  for (const row of input.selection ?? []) groups.get(row.stratum)?.push(row);
  return groups;
}

// ---- the JS engine: everything in memory ------------------------------------------------------

export function checkPicksJs(input: PicksInput): void {
  const { checks, manifest } = input;
  const known = new Map(manifest.strata.map((s) => [s.stratum, s]));
  const text = readText(input.dir, 'population.csv');
  if (!text.endsWith('\n')) throw new FileProblem('population.csv', text.split('\n').length, undefined, 'the last line must end with "\\n"');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== 'stratum,id') throw new FileProblem('population.csv', 1, lines[0], 'the header must be "stratum,id"');
  const where = new Map<string, { stratum: string; line: number }>();
  const idsByStratum = new Map<string, string[]>(manifest.strata.map((s) => [s.stratum, []]));
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const at = { file: 'population.csv', line: i + 1, content: line };
    const cells = line.split(',');
    if (cells.length !== 2 || !LABEL.test(cells[0]) || !ID.test(cells[1])) {
      checks.mismatch('population', T_POPULATION, 'expected "stratum,id" (a label, then an id without spaces, control characters, commas, quotes or "|")', at);
      return;
    }
    const [stratum, id] = cells;
    const earlier = where.get(id);
    if (earlier) {
      const detail = earlier.stratum === stratum ? `repeats line ${earlier.line}` : `id ${id} is already in stratum ${earlier.stratum} on line ${earlier.line}`;
      checks.mismatch('population', T_POPULATION, `${detail}; an id appears once`, at);
      return;
    }
    if (!known.has(stratum)) {
      checks.mismatch('population', T_POPULATION, `stratum ${stratum} is not in manifest.json strata`, at);
      return;
    }
    where.set(id, { stratum, line: i + 1 });
    idsByStratum.get(stratum)!.push(id);
  }
  checks.ok('population', T_POPULATION, `${lines.length - 1} rows, each id once, every stratum in the manifest`);

  // "stratum\tid" lines in byte order: JS string order is byte order for ASCII, so only other text goes through bytes.
  const framed = lines.slice(1).map((l) => l.replace(',', '\t'));
  const ascii = framed.every((l) => /^[\x00-\x7f]*$/.test(l));
  if (ascii) framed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  else framed.sort(bytes);
  const digest = createHash('sha256').update(digestSaltOf(manifest), 'utf8');
  for (let i = 0; i < framed.length; i += 65536) digest.update(framed.slice(i, i + 65536).join('\n') + '\n', 'utf8');
  reportDigest(input, digest.digest('hex'));

  const selectionOk = checkSelectionShape(input);
  const published = publishedByStratum(input);
  for (const spec of manifest.strata) {
    const ids = idsByStratum.get(spec.stratum)!;
    const k = quotaOf(ids.length, spec);
    const keyed = ids.map((id) => ({ id, key: objectKeyOf(manifest.protocol, manifest.seed, manifest.task_id, spec.stratum, id) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    checkStratum(input, spec, ids.length, selectionOk ? keyed.slice(0, k) : undefined, published.get(spec.stratum));
  }
}

function reportDigest(input: PicksInput, digest: string): void {
  const { checks, manifest, lineOf } = input;
  if (digest === manifest.population_digest) {
    checks.ok('digest', T_DIGEST, `H(sorted "stratum\\tid\\n" rows) = ${digest}`);
  } else {
    const at = lineOf('population_digest');
    checks.mismatch('digest', T_DIGEST, `the rows of population.csv hash to ${digest}, manifest.json (line ${at?.line}) says ${manifest.population_digest}`, {
      file: 'population.csv',
    });
  }
}

// ---- the DuckDB engine: millions of rows ------------------------------------------------------

/** population.csv as rows (stratum, id), read exactly as written: no quoting, no type guessing. */
const POPULATION_CSV = (path: string) =>
  sql`read_csv(${path}, header = true, auto_detect = false, delim = ',', quote = '', escape = '', new_line = '\\n',
            columns = {'stratum': 'VARCHAR', 'id': 'VARCHAR'})`;

/** selection.csv as a table, one row per published pick. */
const READ_SELECTION_SQL = (path: string) => sql`
  CREATE TEMP TABLE v_selection AS
  SELECT stratum, id, key FROM read_csv(${path}, header = true, auto_detect = false, delim = ',', quote = '', escape = '',
                                        new_line = '\\n', columns = {'stratum': 'VARCHAR', 'id': 'VARCHAR', 'key': 'VARCHAR', 'rank': 'VARCHAR'})`;

/**
 * The population rows whose recomputed key is at or below their stratum's largest published key: one
 * pass over the file hashing every row, keeping about as many rows as were drawn. When the draw is
 * right these are exactly the published picks.
 */
const LOW_ROWS_SQL = (population: Sql, protocol: string, seed: string, task: string) => sql`
  CREATE TEMP TABLE v_low AS
  SELECT stratum, id, key FROM (
    SELECT p.stratum, p.id, sha256(${protocol} || '|' || ${seed} || '|' || ${task} || '|' || p.stratum || '|' || p.id) AS key, m.max_key
    FROM ${population} p JOIN (SELECT stratum, max(key) AS max_key FROM v_selection GROUP BY stratum) m ON m.stratum = p.stratum
  ) WHERE key <= max_key`;

/** Per stratum: the low rows, and how many of them are published picks with the same key. */
const PICK_FIGURES_SQL = sql`
  SELECT l.stratum, count(*) AS at_or_below, count(s.id) AS found
  FROM v_low l LEFT JOIN v_selection s ON s.stratum = l.stratum AND s.id = l.id AND s.key = l.key
  GROUP BY l.stratum`;

/** The expected picks of one stratum (only run to locate a mismatch): its k smallest keys. */
const STRATUM_TOP_SQL = (population: Sql, protocol: string, seed: string, task: string, stratum: string, k: number) => sql`
  SELECT id, key FROM (
    SELECT id, sha256(${protocol} || '|' || ${seed} || '|' || ${task} || '|' || stratum || '|' || id) AS key FROM ${population} WHERE stratum = ${stratum}
  ) ORDER BY key LIMIT ${k}`;

/** The digest's input for an unsorted file: rows sorted by stratum then id in byte order, as "stratum\tid". */
const SORTED_ROWS_SQL = (population: Sql) => sql`SELECT stratum, id FROM ${population} ORDER BY stratum COLLATE "binary", id COLLATE "binary"`;

function hashFile(path: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const digest = createHash('sha256').update(salt, 'utf8');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => digest.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(digest.digest('hex')));
  });
}

/** The digest of an unsorted population.csv: DuckDB sorts the rows in byte order into a file that is hashed. */
async function sortedDigest(db: Db, population: Sql, scratch: string, salt: string): Promise<string> {
  const tsv = join(scratch, 'sorted.tsv');
  await db.exec(sql`COPY (${SORTED_ROWS_SQL(population)}) TO ${tsv} (HEADER false, DELIMITER '\t', QUOTE '')`);
  return hashFile(tsv, salt);
}

/** Reports the population's shape, strata and repeated ids from a scan; false when it is not sound. */
function reportPopulation(input: PicksInput, scan: PopulationScan): boolean {
  const { checks, manifest } = input;
  if (scan.problem) {
    checks.mismatch('population', T_POPULATION, scan.problem.reason, { file: 'population.csv', line: scan.problem.line, content: scan.problem.content });
    return false;
  }
  const known = new Set(manifest.strata.map((s) => s.stratum));
  for (const [stratum, at] of scan.firstLine) {
    if (!known.has(stratum)) {
      checks.mismatch('population', T_POPULATION, `stratum ${stratum} is not in manifest.json strata`, { file: 'population.csv', ...at });
      return false;
    }
  }
  if (scan.repeated) {
    const { id, first, second } = scan.repeated;
    checks.mismatch('population', T_POPULATION, `id ${id} is also on line ${first.line}; an id appears once`, { file: 'population.csv', ...second });
    return false;
  }
  checks.ok('population', T_POPULATION, `${scan.rows} rows, each id once, every stratum in the manifest`);
  return true;
}

export async function checkPicksDuckdb(input: PicksInput): Promise<void> {
  const { checks, manifest, dir } = input;
  const db = await Db.open({ path: ':memory:', skipMigrate: true });
  const scratch = mkdtempSync(join(tmpdir(), 'fd1-verify-'));
  const population = POPULATION_CSV(join(dir, 'population.csv'));
  try {
    const time = <T,>(name: string, work: Promise<T>) => (input.phases ? input.phases.time(name, work) : work);
    // DuckDB hashes every row on its own threads from the start, while this thread scans the file and
    // recomputes the teams. (If the file is malformed the scan says where; DuckDB's error is then moot.)
    const duckdbWork = (async () => {
      if (!input.selection) return undefined;
      await db.exec(READ_SELECTION_SQL(join(dir, 'selection.csv')));
      await time('keys of every row (DuckDB)', db.exec(LOW_ROWS_SQL(population, manifest.protocol, manifest.seed, manifest.task_id)));
      const rows = await db.query<{ stratum: string; at_or_below: number; found: number }>(PICK_FIGURES_SQL);
      return new Map(rows.map((r) => [r.stratum, r]));
    })().then(
      (value) => ({ value, error: undefined }),
      (error: Error) => ({ value: undefined, error }),
    );
    // The scan runs on this thread (synchronously) while DuckDB's threads hash.
    const scanStarted = performance.now();
    const scan = await scanPopulation(join(dir, 'population.csv'), undefined, digestSaltOf(manifest));
    if (input.phases) input.phases.ms['scan population (shape, order, repeated ids, digest)'] = Math.round(performance.now() - scanStarted);
    input.whileHashing?.();
    const duckdb = await duckdbWork;
    if (!reportPopulation(input, scan)) return;
    // Any row order verifies; only the published order lets the digest come straight from the scan.
    reportDigest(input, scan.digest ?? (await sortedDigest(db, population, scratch, digestSaltOf(manifest))));

    const selectionOk = checkSelectionShape(input);
    if (!selectionOk || !duckdb.value) {
      if (duckdb.error && selectionOk) throw duckdb.error;
      for (const spec of manifest.strata) checkStratum(input, spec, scan.eligible.get(spec.stratum) ?? 0, undefined);
      return;
    }
    const figures = duckdb.value;
    const groups = publishedByStratum(input);
    for (const spec of manifest.strata) {
      const eligible = scan.eligible.get(spec.stratum) ?? 0;
      const published = groups.get(spec.stratum)!;
      const f = figures.get(spec.stratum) ?? { at_or_below: 0, found: 0 };
      const k = quotaOf(eligible, spec);
      // Every pick carries its own key and is a population row of its stratum, and no other row's key is
      // at or below the largest pick: then the picks are exactly the k smallest keys.
      const keysRight = published.every((r) => r.key === r.recomputedKey);
      const exact = published.length === k && keysRight && f.found === k && f.at_or_below === k;
      let expected: Array<{ id: string; key: string }>;
      if (exact) {
        expected = published.map((r) => ({ id: r.id, key: r.recomputedKey })).sort((a, b) => (a.key < b.key ? -1 : 1));
      } else {
        expected = await db.query<{ id: string; key: string }>(STRATUM_TOP_SQL(population, manifest.protocol, manifest.seed, manifest.task_id, spec.stratum, k));
      }
      checkStratum(input, spec, eligible, expected, published);
    }
  } finally {
    db.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---- the parallel engine: millions of rows on worker threads ---------------------------------

/**
 * Per stratum of the manifest, a key threshold (hex prefix) under which its quota's keys fall with a
 * margin of eight standard deviations; "g" keeps every row. Strata with nothing to draw get none.
 */
function keyThresholds(manifest: Manifest, strata?: Set<string>): Array<[string, string]> {
  const thresholds: Array<[string, string]> = [];
  for (const spec of manifest.strata) {
    if (strata && !strata.has(spec.stratum)) continue;
    const k = spec.quota;
    const n = spec.eligible;
    if (!(k > 0 && n > 0)) continue;
    const fraction = strata ? 1 : (k + 8 * Math.sqrt(k) + 64) / n;
    const scaled = Math.ceil(fraction * 2 ** 52);
    thresholds.push([spec.stratum, fraction >= 1 || scaled >= 2 ** 52 ? 'g' : scaled.toString(16).padStart(13, '0')]);
  }
  return thresholds;
}

/**
 * Starts the population scan on worker threads before anything else is read, so it runs while this
 * thread reads selection.csv and recomputes the teams.
 */
const keyRequest = (manifest: Manifest, thresholds: Array<[string, string]>) => ({ protocol: manifest.protocol, seed: manifest.seed, taskId: manifest.task_id, thresholds });

export function startParallelScan(dir: string, manifest: Manifest, options: { workers?: number } = {}): Promise<ParallelScan> {
  const scan = scanPopulationParallel(join(dir, 'population.csv'), keyRequest(manifest, keyThresholds(manifest)), { ...options, salt: digestSaltOf(manifest) });
  scan.catch(() => undefined);
  return scan;
}

export async function checkPicksParallel(input: PicksInput & { scan: Promise<ParallelScan>; workers?: number }): Promise<void> {
  const { manifest, dir } = input;
  input.whileHashing?.();
  const time = <T,>(name: string, work: Promise<T>) => (input.phases ? input.phases.time(name, work) : work);
  const scan = await time('population scan and keys (worker threads, after the teams)', input.scan);
  if (!reportPopulation(input, scan)) return;
  let digest = scan.digest;
  if (digest === undefined) {
    const db = await Db.open({ path: ':memory:', skipMigrate: true });
    const scratch = mkdtempSync(join(tmpdir(), 'fd1-verify-'));
    try {
      digest = await sortedDigest(db, POPULATION_CSV(join(dir, 'population.csv')), scratch, digestSaltOf(manifest));
    } finally {
      db.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  reportDigest(input, digest);

  const selectionOk = checkSelectionShape(input);
  // A stratum whose keys under the threshold are fewer than its quota (odds below 1e-15 for a real draw) is scanned again whole.
  const short = new Set(
    manifest.strata
      .filter((spec) => {
        const eligible = scan.eligible.get(spec.stratum) ?? 0;
        const k = quotaOf(eligible, spec);
        return selectionOk && eligible === spec.eligible && k === spec.quota && k > 0 && (scan.low.get(spec.stratum)?.length ?? 0) < k;
      })
      .map((spec) => spec.stratum),
  );
  const low = scan.low;
  if (short.size > 0) {
    const again = await scanPopulationParallel(join(dir, 'population.csv'), keyRequest(manifest, keyThresholds(manifest, short)), { workers: input.workers, salt: digestSaltOf(manifest) });
    for (const stratum of short) low.set(stratum, again.low.get(stratum) ?? []);
  }
  const published = publishedByStratum(input);
  for (const spec of manifest.strata) {
    const eligible = scan.eligible.get(spec.stratum) ?? 0;
    const k = quotaOf(eligible, spec);
    const expected = selectionOk
      ? (low.get(spec.stratum) ?? []).slice(0, k).map((row) => ({ key: row.slice(0, 64), id: row.slice(65) }))
      : undefined;
    checkStratum(input, spec, eligible, expected, published.get(spec.stratum));
  }
}
