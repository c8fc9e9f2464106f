// Populations on the cluster: the checks fd1 section 2 asks of a population (labels, ids, each id once), its digest
// computed from the cluster's merged sort and hashed as a stream in Node, and the sets a draw freezes its population
// from (a simulated national directory, or the active objects of the loaded directory).
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { compareUtf8, labelProblem, populationDigestHash } from '../draw/fd1.ts';
import { ch, chFolder } from './ch-sql.ts';
import type { Cluster } from './connection.ts';
import { clusterTable, dropPartition, localTable } from './tables.ts';
import { USCC_ALPHABET } from '../reference/uscc.ts';

const query = chFolder(import.meta.url);

/** RE2 class of the characters an id may not hold (fd1.ts idProblem): controls, space, comma, quote, "|". */
const ID_FORBIDDEN = String.raw`[\x00-\x20\x7f,"|]`;

/**
 * Size per stratum of a population, after checking it as fd1.ts does: every stratum a valid label (and known, when
 * `known` is given), every id valid, no id on two rows (one id in two strata, or a pair twice). Throws naming the
 * first offender.
 */
export async function checkPopulation(cluster: Cluster, populationId: string, known?: Set<string>): Promise<Map<string, number>> {
  const population = clusterTable(cluster, 'population');
  const strata = await cluster.rows<{ stratum: string; eligible: number; bad_ids: number }>(
    query('population-strata', { population, populationId, forbidden: ID_FORBIDDEN }),
  );
  const sizes = new Map<string, number>();
  for (const row of strata.sort((a, b) => (a.stratum < b.stratum ? -1 : 1))) {
    const problem = labelProblem(row.stratum);
    if (problem) throw new Error(`population ${populationId}: stratum ${JSON.stringify(row.stratum)} ${problem}`);
    if (known && !known.has(row.stratum)) throw new Error(`population ${populationId}: stratum ${row.stratum} has no ratio or count in the task's strata`);
    if (row.bad_ids > 0) {
      const [bad] = await cluster.rows<{ id: string }>(
        ch`SELECT id FROM ${population} WHERE population_id = ${populationId} AND stratum = ${row.stratum} AND (id = '' OR match(id, ${ID_FORBIDDEN})) ORDER BY id LIMIT 1`,
      );
      throw new Error(`population ${populationId}: id ${JSON.stringify(bad?.id)} in stratum ${row.stratum} must be non-empty, without spaces, control characters, a comma, a double quote or "|"`);
    }
    sizes.set(row.stratum, Number(row.eligible));
  }
  const local = localTable(cluster, 'population');
  const repeats = (await cluster.rowsPerShard<{ rows: number; distinct_hashes: number }>(query('population-repeats', { population: local, populationId }))).flat();
  if (repeats.some((r) => Number(r.rows) !== Number(r.distinct_hashes))) {
    const found = (await cluster.rowsPerShard<{ id: string; strata: string[] }>(query('population-duplicate', { population: local, populationId }))).flat();
    const dup = found.sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    if (dup) {
      const distinct = [...new Set(dup.strata)].sort();
      throw new Error(
        distinct.length === 1
          ? `population ${populationId}: duplicate pair (${distinct[0]}, ${dup.id}); each id appears once (fd1 §2)`
          : `population ${populationId}: id ${dup.id} is in two strata, ${distinct[0]} and ${distinct[1]}; an id belongs to one stratum (fd1 §2)`,
      );
    }
  }
  return sizes;
}

export interface SortedPopulation {
  rows: number;
  /** The population digest (fd1.ts populationDigestHash over every "stratum\tid\n" row, in sort order: fd1 §2). */
  digest: string;
}

/** Rows the cluster sorts in one piece of the digest's input: a few hundred MB across the shards. */
export const SORT_PIECE_ROWS = 4_000_000;
/** Sampled ids per piece, from which the pieces' id bounds are cut. */
const SAMPLE_PER_PIECE = 200;

/** The lower id bound of each piece of a stratum of `rows` rows ('' first, so the pieces cover every id). */
async function pieceBounds(cluster: Cluster, populationId: string, stratum: string, rows: number, pieceRows: number): Promise<string[]> {
  const pieces = Math.ceil(rows / pieceRows);
  if (pieces <= 1) return [''];
  const every = Math.max(1, Math.floor(rows / (pieces * SAMPLE_PER_PIECE)));
  const sample = await cluster.lines(query('population-sample', { population: clusterTable(cluster, 'population'), populationId, stratum, every }));
  const bounds = [''];
  for (let i = 1; i < pieces; i++) {
    const bound = sample[Math.floor((i * sample.length) / pieces)];
    if (bound !== undefined && compareUtf8(bound, bounds[bounds.length - 1]) > 0) bounds.push(bound);
  }
  return bounds;
}

/**
 * Streams a population sorted by stratum then id, exactly the digest's input, into the protocol's digest hash
 * (fd1.ts populationDigestHash), handing each chunk to `onChunk` as well (population.csv). The cluster sorts it in pieces
 * (a stratum, cut by id ranges from a sample when it is large), each merged from the shards' sorted parts, taken in
 * order. Checks the stream on the way: UTF-8 throughout, and each piece ending in a whole row ("stratum<TAB>id"), so an
 * error a server appends to an answer it has begun is never taken for rows; the rows must add up to `expectedRows`.
 */
export async function sortedPopulation(
  cluster: Cluster,
  populationId: string,
  options: { expectedRows: number; onChunk?: (chunk: Buffer) => void | Promise<void>; pieceRows?: number; salt?: string },
): Promise<SortedPopulation> {
  const hash = populationDigestHash(options.salt);
  const population = clusterTable(cluster, 'population');
  const strata = (await cluster.rows<{ stratum: string; n: number }>(
    ch`SELECT stratum, count() AS n FROM ${population} WHERE population_id = ${populationId} GROUP BY stratum`,
  )).sort((a, b) => compareUtf8(a.stratum, b.stratum));
  let rows = 0;
  for (const { stratum, n } of strata) {
    const bounds = await pieceBounds(cluster, populationId, stratum, Number(n), options.pieceRows ?? SORT_PIECE_ROWS);
    for (let i = 0; i < bounds.length; i++) {
      const upperBound = i + 1 < bounds.length ? ch`AND id < ${bounds[i + 1]}` : ch``;
      const piece = query('population-sorted', { population, populationId, stratum, fromId: bounds[i], upperBound });
      rows += await hashPiece(await cluster.bytes(piece), populationId, rows, async (chunk) => {
        hash.update(chunk);
        await options.onChunk?.(chunk);
      });
    }
  }
  if (rows !== options.expectedRows) throw new Error(`population ${populationId}: the sorted pieces held ${rows} rows, ${options.expectedRows} expected`);
  return { rows, digest: hash.digest('hex') };
}

/** Hands on one sorted piece's bytes after checking them (see sortedPopulation); returns its rows. */
async function hashPiece(stream: Readable, populationId: string, rowsBefore: number, take: (chunk: Buffer) => Promise<void>): Promise<number> {
  let rows = 0;
  /** Bytes after the last newline so far, and the last complete line. */
  let pending: Buffer = Buffer.alloc(0);
  let lastLine = '';
  for await (const data of stream) {
    const chunk = data as Buffer;
    const first = chunk.indexOf(10);
    if (first === -1) {
      pending = Buffer.concat([pending, chunk]);
    } else {
      for (let i = first; i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      // A character never spans a newline, so each run of whole lines is checked on its own.
      const head = pending.length ? Buffer.concat([pending, chunk.subarray(0, first + 1)]) : chunk.subarray(0, first + 1);
      const last = chunk.lastIndexOf(10);
      if (!isUtf8(head) || !isUtf8(chunk.subarray(first + 1, last + 1))) throw new Error(`population ${populationId}: a row near row ${rowsBefore + rows} is not valid UTF-8`);
      const before = chunk.lastIndexOf(10, last - 1);
      lastLine = before >= 0 ? chunk.subarray(before + 1, last).toString('utf8') : Buffer.concat([pending, chunk.subarray(0, last)]).toString('utf8');
      pending = Buffer.from(chunk.subarray(last + 1));
    }
    await take(chunk);
  }
  if (pending.length > 0 || (rows > 0 && !/^[^\t]+\t[^\t]+$/.test(lastLine)))
    throw new Error(`population ${populationId}: a sorted piece ended in "${(pending.length ? pending.toString('utf8') : lastLine).slice(0, 300)}", not a row (an error in the answer?)`);
  return rows;
}

/** Rows of a population (0 when the cluster does not hold it). */
export async function populationRows(cluster: Cluster, populationId: string): Promise<number> {
  const [row] = await cluster.rows<{ n: number }>(ch`SELECT count() AS n FROM ${clusterTable(cluster, 'population')} WHERE population_id = ${populationId}`);
  return Number(row?.n ?? 0);
}

/** Copies a set into a draw's frozen population on every shard; whatever an earlier, rolled-back commit left is dropped first. */
export async function freezePopulation(cluster: Cluster, setName: string, drawId: string): Promise<void> {
  await dropPartition(cluster, 'population', drawId);
  await cluster.onEachShard(query('freeze-population', { population: localTable(cluster, 'population'), drawId, setName }));
}

export type SetStrata = 'none' | 'tier' | 'tier_city' | 'city';

/**
 * A population set of the loaded directory's active objects, stratified by `strata` (replacing a set of that name).
 * Returns its size and how many active objects it left out for want of a tier.
 */
export async function objectsSet(cluster: Cluster, setName: string, strata: SetStrata): Promise<{ rows: number; untiered: number }> {
  await dropPartition(cluster, 'population', setName);
  await cluster.onEachShard(query('objects-set', { population: localTable(cluster, 'population'), objects: localTable(cluster, 'objects'), setName, strataMode: strata }));
  const [left] = await cluster.rows<{ n: number }>(
    ch`SELECT count() AS n FROM ${clusterTable(cluster, 'objects')} WHERE status = 'active' AND tier = '' AND ${strata === 'tier' || strata === 'tier_city'}`,
  );
  return { rows: await populationRows(cluster, setName), untiered: Number(left.n) };
}

/** The 31 provincial-level divisions' GB/T 2260 codes, the strata of the simulated national directory. */
export const PROVINCES = [
  '110000', '120000', '130000', '140000', '150000', '210000', '220000', '230000', '310000', '320000', '330000',
  '340000', '350000', '360000', '370000', '410000', '420000', '430000', '440000', '450000', '460000', '500000',
  '510000', '520000', '530000', '540000', '610000', '620000', '630000', '640000', '650000',
];

/**
 * Generates a simulated national directory of `ids` entities straight into the cluster as population set `setName`
 * (sql/national-set.sql), in batches so a long run reports progress; replaces a set of that name.
 */
export async function generateNationalSet(
  cluster: Cluster,
  options: { setName: string; ids: number; batch?: number; onProgress?: (done: number) => void },
): Promise<{ rows: number }> {
  if (!Number.isSafeInteger(options.ids) || options.ids < 1 || options.ids > 3_000_000_000) throw new Error(`--ids ${options.ids}: expected a whole number from 1 to 3,000,000,000`);
  await dropPartition(cluster, 'population', options.setName);
  const batch = options.batch ?? 10_000_000;
  for (let first = 0; first < options.ids; first += batch) {
    const count = Math.min(batch, options.ids - first);
    await cluster.insertSelect(
      query('national-set', { population: clusterTable(cluster, 'population'), setName: options.setName, alphabet: USCC_ALPHABET, provinces: PROVINCES, first, count }),
    );
    options.onProgress?.(first + count);
  }
  return { rows: await populationRows(cluster, options.setName) };
}
