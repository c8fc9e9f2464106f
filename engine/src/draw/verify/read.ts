// The verifier's own strict readers for a draw folder (written apart from draw/files.ts on purpose):
// every line is checked against the published format, and a problem carries file, line and content.
import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const FILES = ['manifest.json', 'population.csv', 'inspectors.csv', 'exclusions.csv', 'selection.csv', 'teams.csv'];

/** A stratum or department label: printable ASCII, no space, comma or double quote. */
export const LABEL = /^[\x21\x23-\x2b\x2d-\x7e]+$/;
/** An object or inspector id: no control character, space, comma, double quote or "|". */
export const ID = /^[^\x00-\x20\x7f,"|]+$/;
export const HEX64 = /^[0-9a-f]{64}$/;

export class FileProblem extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly content: string | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

export function fileSize(dir: string, file: string): number {
  return statSync(join(dir, file)).size;
}

export function missingFiles(dir: string): string[] {
  return FILES.filter((f) => !existsSync(join(dir, f)));
}

/** A file as text: strict UTF-8 (checked with isUtf8, many times faster on large files than a fatal TextDecoder), a leading BOM dropped. */
export function readText(dir: string, file: string): string {
  const bytes = readFileSync(join(dir, file));
  if (!isUtf8(bytes)) throw new FileProblem(file, undefined, undefined, 'is not valid UTF-8');
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', bom);
}

export interface CsvRow {
  line: number;
  text: string;
  cells: string[];
}

type CellKind = 'label' | 'id' | 'key' | 'rank';

/** One regular expression for a whole row of the given columns: a row that passes needs no per-cell checks. */
const CELL_PATTERNS: Record<CellKind, string> = {
  label: String.raw`[\x21\x23-\x2b\x2d-\x7e]+`,
  id: String.raw`[^\x00-\x20\x7f,"|]+`,
  key: '[0-9a-f]{64}',
  rank: '[1-9][0-9]{0,15}',
};
const rowPattern = (kinds: CellKind[]) => new RegExp(`^${kinds.map((k) => CELL_PATTERNS[k]).join(',')}$`);

/**
 * Lines of a CSV file after its header, each checked: plain comma-separated, "\n" line ends, last line
 * ended. `kinds` says per column whether it holds a label, an id, a 64-hex key or a positive integer.
 * The n-th line returned is line n + 2 of the file.
 */
export function csvLines(dir: string, file: string, header: string, kinds: CellKind[], text = readText(dir, file)): string[] {
  if (!text.endsWith('\n')) throw new FileProblem(file, text.split('\n').length, undefined, 'the last line must end with "\\n"');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== header) throw new FileProblem(file, 1, lines[0], `the header must be "${header}"`);
  const row = rowPattern(kinds);
  for (let i = 1; i < lines.length; i++) {
    if (row.test(lines[i])) continue;
    throw new FileProblem(file, i + 1, lines[i], cellProblem(lines[i].split(','), kinds) ?? 'does not match the published format');
  }
  lines.shift();
  return lines;
}

/** csvLines, split into cells. */
export function csvRows(dir: string, file: string, header: string, kinds: CellKind[], text = readText(dir, file)): CsvRow[] {
  return csvLines(dir, file, header, kinds, text).map((line, i) => ({ line: i + 2, text: line, cells: line.split(',') }));
}

export function cellProblem(cells: string[], kinds: CellKind[]): string | undefined {
  if (cells.length !== kinds.length) return `expected ${kinds.length} comma-separated fields, found ${cells.length}`;
  for (let c = 0; c < kinds.length; c++) {
    const value = cells[c];
    const kind = kinds[c];
    if (kind === 'label' && !LABEL.test(value)) return `field ${c + 1} "${value}" is not a label (printable ASCII, no space, comma or quote)`;
    if (kind === 'id' && !ID.test(value)) return `field ${c + 1} "${value}" is not an id (non-empty; no space, control character, comma, quote or "|")`;
    if (kind === 'key' && !HEX64.test(value)) return `field ${c + 1} "${value}" is not 64 lowercase hex characters`;
    if (kind === 'rank' && !/^[1-9][0-9]{0,15}$/.test(value)) return `field ${c + 1} "${value}" is not a positive integer`;
  }
  return undefined;
}

export interface ManifestStratum {
  stratum: string;
  eligible: number;
  ratio_bp?: number;
  count?: number;
  quota: number;
}

export interface ManifestTeam {
  department: string;
  count: number;
  pool: number;
  cap: number;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** fd1's manifest, or fd2's auditor manifest (fd2 §4) with the fields marked fd2. */
export interface Manifest {
  protocol: 'fd1' | 'fd2';
  /** fd2: "auditor". */
  package?: string;
  task_id: string;
  commitment: string;
  secret: string;
  /** fd2. */
  beacon_source?: string;
  /** fd2. */
  beacon_due?: string;
  beacon: string;
  seed: string;
  /** fd2: "salted" (confidential strata) or "plain". */
  digest?: 'salted' | 'plain';
  population_digest: string;
  strata: ManifestStratum[];
  teams: ManifestTeam[];
  committed_at: string;
  /** fd2. */
  beacon_recorded_at?: string;
  drawn_at: string;
  /** fd2. */
  audit_heads?: { commit?: AuditHead; draw?: AuditHead };
}

/** What the population digest hashes before its rows: the secret and "\n" for fd2's salted digest, else nothing. */
export const digestSaltOf = (manifest: Pick<Manifest, 'digest' | 'secret'>): string => (manifest.digest === 'salted' ? `${manifest.secret}\n` : '');

export type LineOf = (field: string, within?: string) => { line: number; content: string } | undefined;

/** manifest.json as text, its lines and `lineOf`, which finds the line that states a field (for reports). */
export function manifestText(dir: string): { text: string; lineOf: LineOf } {
  const text = readText(dir, 'manifest.json');
  const lines = text.split('\n');
  const lineOf = (field: string, within?: string) => {
    let start = 0;
    if (within !== undefined) {
      start = lines.findIndex((l) => l.includes(within));
      if (start < 0) return undefined;
    }
    for (let i = start; i < lines.length; i++) if (lines[i].trimStart().startsWith(`"${field}":`)) return { line: i + 1, content: lines[i].trim() };
    return undefined;
  };
  return { text, lineOf };
}

/** manifest.json parsed and its shape checked (fd1, or fd2's auditor manifest); `lineOf` for reports. */
export function readManifest(dir: string): { manifest: Manifest; lineOf: LineOf } {
  const { text, lineOf } = manifestText(dir);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FileProblem('manifest.json', undefined, undefined, `is not valid JSON (${(err as Error).message})`);
  }
  const fail = (field: string, reason: string, within?: string): never => {
    const at = lineOf(field, within);
    throw new FileProblem('manifest.json', at?.line, at?.content, `${field} ${reason}`);
  };
  const m = raw as Record<string, unknown>;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new FileProblem('manifest.json', 1, undefined, 'must be a JSON object');
  if (m.protocol !== 'fd1' && m.protocol !== 'fd2') fail('protocol', `must be "fd1" or "fd2", found ${JSON.stringify(m.protocol)}`);
  for (const field of ['task_id', 'commitment', 'secret', 'beacon', 'seed', 'population_digest', 'committed_at', 'drawn_at']) {
    if (typeof m[field] !== 'string') fail(field, `must be a string, found ${JSON.stringify(m[field])}`);
  }
  if (m.protocol === 'fd2') {
    if (m.package !== 'auditor') fail('package', `must be "auditor" for full recomputation, found ${JSON.stringify(m.package)}`);
    for (const field of ['beacon_source', 'beacon_due', 'beacon_recorded_at']) {
      if (typeof m[field] !== 'string') fail(field, `must be a string, found ${JSON.stringify(m[field])}`);
    }
    if (m.digest !== 'salted' && m.digest !== 'plain') fail('digest', `must be "salted" or "plain", found ${JSON.stringify(m.digest)}`);
    checkAuditHeads(m.audit_heads, fail);
  }
  checkStrataAndTeams(m, fail);
  return { manifest: m as unknown as Manifest, lineOf };
}

/** audit_heads: {commit?, draw?}, each {seq: integer >= 1, hash: 64 hex}. */
export function checkAuditHeads(value: unknown, fail: (field: string, reason: string) => never): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('audit_heads', 'must be an object {commit, draw}');
  for (const [name, head] of Object.entries(value as Record<string, unknown>)) {
    const h = head as Record<string, unknown> | null;
    if (!['commit', 'draw'].includes(name)) fail('audit_heads', `has an unknown head ${JSON.stringify(name)}`);
    if (typeof h?.seq !== 'number' || !Number.isSafeInteger(h.seq) || h.seq < 1 || typeof h.hash !== 'string' || !HEX64.test(h.hash))
      fail('audit_heads', `${name} must be {seq: integer >= 1, hash: 64 hex}`);
  }
}

/** strata (fd1 §3 entries) and teams (fd1 §5 entries), shared by the auditor and the public manifest. */
export function checkStrataAndTeams(m: Record<string, unknown>, fail: (field: string, reason: string, within?: string) => never, minimumTeam = 2): void {
  const isCount = (v: unknown, min = 0) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
  if (!Array.isArray(m.strata)) fail('strata', 'must be a list');
  const strataSeen = new Set<string>();
  for (const s of m.strata as Array<Record<string, unknown>>) {
    const name = String(s?.stratum);
    const within = `"stratum": ${JSON.stringify(s?.stratum)}`;
    if (typeof s?.stratum !== 'string' || !LABEL.test(s.stratum)) fail('stratum', `${JSON.stringify(s?.stratum)} is not a label`, within);
    if (strataSeen.has(name)) fail('stratum', `${name} is listed twice`, within);
    strataSeen.add(name);
    if (!isCount(s.eligible)) fail('eligible', `of stratum ${name} must be an integer >= 0`, within);
    if (!isCount(s.quota)) fail('quota', `of stratum ${name} must be an integer >= 0`, within);
    const hasRatio = 'ratio_bp' in s;
    const hasCount = 'count' in s;
    if (hasRatio === hasCount) fail('stratum', `${name} must have exactly one of ratio_bp and count`, within);
    if (hasRatio && !(isCount(s.ratio_bp) && (s.ratio_bp as number) <= 10000)) fail('ratio_bp', `of stratum ${name} must be an integer from 0 to 10000`, within);
    if (hasCount && !isCount(s.count)) fail('count', `of stratum ${name} must be an integer >= 0`, within);
  }
  if (!Array.isArray(m.teams)) fail('teams', 'must be a list');
  const departments = new Set<string>();
  let total = 0;
  for (const t of m.teams as Array<Record<string, unknown>>) {
    const within = `"department": ${JSON.stringify(t?.department)}`;
    if (typeof t?.department !== 'string' || !LABEL.test(t.department)) fail('department', `${JSON.stringify(t?.department)} is not a label`, within);
    if (departments.has(t.department as string)) fail('department', `${t.department} is listed twice`, within);
    departments.add(t.department as string);
    if (!isCount(t.count, 1)) fail('count', `of department ${t.department} must be an integer >= 1`, within);
    if (!isCount(t.pool)) fail('pool', `of department ${t.department} must be an integer >= 0`, within);
    if (!isCount(t.cap)) fail('cap', `of department ${t.department} must be an integer >= 0`, within);
    total += t.count as number;
  }
  if (total < minimumTeam) fail('teams', `ask for ${total} inspector(s) per object; a team needs at least two`);
}
