// The independent verifier: recomputes an fd1 draw or an fd2 auditor package from its six files and reports item by
// item; an fd2 public package gets the public checks (public.ts). It shares no code with the draw path (draw/fd1.ts,
// select-sql.ts, files.ts): only SHA-256 (node:crypto's, or DuckDB's).
import { hash } from 'node:crypto';
import { Checks, Phases, type VerifyReport } from './report.ts';
import { FileProblem, HEX64, csvLines, fileSize, missingFiles, readManifest } from './read.ts';
import { isPublicPackage, verifyPublicPackage } from './public.ts';
import { checkTimeline } from './timeline.ts';
import { checkPicksDuckdb, checkPicksJs, checkPicksParallel, objectKeyer, startParallelScan, type SelectionRow } from './picks.ts';
import { checkTeams } from './teams.ts';

export interface VerifyOptions {
  /**
   * 'auto' (default) and 'js' hash with node:crypto: in memory, or on worker threads when population.csv is
   * larger than `parallelAboveBytes`. 'duckdb' hashes the population with DuckDB's own sha256().
   */
  engine?: 'auto' | 'js' | 'duckdb';
  parallelAboveBytes?: number;
  /** Worker threads for a large population.csv (default: the machine's cores, at most 4). */
  workers?: number;
}

const DEFAULT_PARALLEL_ABOVE_BYTES = 2 * 1024 * 1024; // about 100,000 rows of 18-character ids

const sha256 = (text: string) => hash('sha256', text, 'hex');

/** Verifies the package in `dir`: full recomputation (fd1, fd2 auditor) or the public checks (fd2 public). */
export async function verifyDraw(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  if (isPublicPackage(dir)) return verifyPublicPackage(dir);
  return verifyFullPackage(dir, options);
}

async function verifyFullPackage(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const phases = new Phases();
  const checks = new Checks();
  const warnings: string[] = [];
  let engine: 'js' | 'duckdb' = 'js';
  let protocol = 'fd1';
  const finish = (): VerifyReport => {
    const firstMismatch = checks.list.find((c) => c.status === 'mismatch');
    return {
      ok: !firstMismatch,
      verdict: firstMismatch ? undefined : `${protocol} verified`,
      checks: checks.list,
      firstMismatch,
      warnings,
      engine,
      elapsedMs: Math.round(performance.now() - started),
      phasesMs: phases.ms,
    };
  };

  const missing = missingFiles(dir);
  if (missing.length > 0) {
    checks.mismatch('files', '文件 files', `missing ${missing.join(', ')}`, { file: missing[0] });
    return finish();
  }
  checks.ok('files', '文件 files', 'manifest.json, population.csv, inspectors.csv, exclusions.csv, selection.csv, teams.csv');

  let manifestRead;
  try {
    manifestRead = readManifest(dir);
  } catch (err) {
    if (!(err instanceof FileProblem)) throw err;
    checks.mismatch('manifest', '清单 manifest', err.message, { file: err.file, line: err.line, content: err.content });
    return finish();
  }
  const { manifest, lineOf } = manifestRead;
  protocol = manifest.protocol;
  checks.ok('manifest', '清单 manifest', `protocol ${manifest.protocol}${manifest.package ? ` (${manifest.package} package)` : ''}, task ${manifest.task_id}, ${manifest.strata.length} strata, ${manifest.teams.length} department(s)`);

  // §1: commit, then reveal.
  if (!HEX64.test(manifest.secret)) {
    checks.mismatch('commitment', '承诺值 commitment', 'secret must be 64 lowercase hex characters (32 random bytes)', { file: 'manifest.json', ...lineOf('secret') });
  } else if (sha256(manifest.secret) !== manifest.commitment) {
    checks.mismatch('commitment', '承诺值 commitment', `H(secret) = ${sha256(manifest.secret)}, not the published commitment`, { file: 'manifest.json', ...lineOf('commitment') });
  } else {
    checks.ok('commitment', '承诺值 commitment', 'H(secret) equals the commitment');
  }
  if (manifest.seed !== `${manifest.secret}|${manifest.beacon}`) {
    checks.mismatch('seed', '种子 seed', 'seed must be secret + "|" + beacon', { file: 'manifest.json', ...lineOf('seed') });
  } else {
    checks.ok('seed', '种子 seed', 'seed = secret + "|" + beacon');
  }
  if (manifest.protocol === 'fd2') {
    if (manifest.beacon === '') checks.mismatch('beacon', '信标 beacon', 'fd2 has no draw without a beacon: beacon is empty', { file: 'manifest.json', ...lineOf('beacon') });
    else if (manifest.beacon_source!.trim() === '') checks.mismatch('beacon', '信标 beacon', 'beacon_source must name the public event declared at commitment', { file: 'manifest.json', ...lineOf('beacon_source') });
    else checks.ok('beacon', '信标 beacon', `${JSON.stringify(manifest.beacon)}, declared at commitment as ${JSON.stringify(manifest.beacon_source)} due ${manifest.beacon_due}`);
    checkTimeline(checks, manifest, lineOf, true);
  } else if (manifest.beacon === '') {
    const text = '未使用公开信标：本次抽取不能防止反复试抽 (beacon is empty: this draw is not grind-proof)';
    warnings.push(text);
    checks.warn('beacon', '信标 beacon', text);
  } else {
    checks.ok('beacon', '信标 beacon', JSON.stringify(manifest.beacon));
  }
  const committed = Date.parse(manifest.committed_at);
  const drawn = Date.parse(manifest.drawn_at);
  if (manifest.protocol === 'fd2') {
    // checked with the whole timeline above
  } else if (Number.isNaN(committed) || Number.isNaN(drawn)) {
    checks.mismatch('times', '时间 times', 'committed_at and drawn_at must be ISO 8601 time stamps', { file: 'manifest.json', ...lineOf(Number.isNaN(committed) ? 'committed_at' : 'drawn_at') });
  } else if (committed > drawn) {
    checks.mismatch('times', '时间 times', 'the commitment must come before the draw', { file: 'manifest.json', ...lineOf('drawn_at') });
  } else {
    checks.ok('times', '时间 times', `committed ${manifest.committed_at}, drawn ${manifest.drawn_at}`);
  }

  engine = options.engine === 'duckdb' ? 'duckdb' : 'js';
  const parallel = engine === 'js' && fileSize(dir, 'population.csv') > (options.parallelAboveBytes ?? DEFAULT_PARALLEL_ABOVE_BYTES);
  // The worker threads start on population.csv now and run while this thread reads the other files.
  const parallelScan = parallel ? startParallelScan(dir, manifest, { workers: options.workers }) : undefined;

  // selection.csv is read once here; every engine and the team check use its rows.
  let selection: SelectionRow[] | undefined;
  try {
    const keyOf = objectKeyer(manifest.protocol, manifest.seed, manifest.task_id);
    selection = csvLines(dir, 'selection.csv', 'stratum,id,key,rank', ['label', 'id', 'key', 'rank']).map((text, i) => {
      const [stratum, id, key, rank] = text.split(',');
      return { line: i + 2, text, stratum, id, key, rank: Number(rank), recomputedKey: keyOf(stratum, id) };
    });
  } catch (err) {
    if (!(err instanceof FileProblem)) throw err;
    checks.mismatch('selection', '抽取名单 selection', err.message, { file: err.file, line: err.line, content: err.content });
  }

  // Teams are recomputed into their own list while the population is hashed elsewhere (worker threads or
  // DuckDB's), and reported after the picks.
  const teamChecks = new Checks();
  let teamsDone = false;
  const recomputeTeams = () => {
    if (teamsDone) return;
    teamsDone = true;
    const start = performance.now();
    checkTeams({ dir, manifest, lineOf, checks: teamChecks, selection });
    phases.ms.teams = Math.round(performance.now() - start);
  };
  phases.mark('manifest and selection.csv read');
  const picksInput = { dir, manifest, lineOf, checks, selection, whileHashing: recomputeTeams, phases };
  try {
    if (parallelScan) await checkPicksParallel({ ...picksInput, scan: parallelScan, workers: options.workers });
    else if (engine === 'duckdb') await checkPicksDuckdb(picksInput);
    else checkPicksJs(picksInput);
  } catch (err) {
    if (!(err instanceof FileProblem)) throw err;
    checks.mismatch('population', '总体名单 population', err.message, { file: err.file, line: err.line, content: err.content });
  }
  phases.mark('population and picks checked');
  recomputeTeams();
  checks.list.push(...teamChecks.list);
  return finish();
}
