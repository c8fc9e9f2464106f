// The verifier's report: one check per protocol item, each ok, mismatch, warning or skipped, and the first mismatch.

export type CheckStatus = 'ok' | 'mismatch' | 'warning' | 'skipped';

export interface VerifyCheck {
  /** Stable id, e.g. "commitment", "stratum:A", "teams". */
  id: string;
  /** zh-CN first, then English. */
  title: string;
  status: CheckStatus;
  detail: string;
  /** For a mismatch: the file, and where known the 1-based line and its content. */
  file?: string;
  line?: number;
  content?: string;
}

export interface VerifyReport {
  ok: boolean;
  /**
   * The closing line when every check passed: "fd1 verified", "fd2 verified" (auditor package), or "fd2 public
   * checks passed (full recomputation needs the auditor package)".
   */
  verdict?: string;
  /** fd2 public package: only what can be checked without tiers was checked. */
  publicOnly?: boolean;
  checks: VerifyCheck[];
  firstMismatch?: VerifyCheck;
  warnings: string[];
  /** How the population was checked: all in JS, or with DuckDB for large files. */
  engine: 'js' | 'duckdb';
  elapsedMs: number;
  /** Wall milliseconds of the main steps (they overlap where they run concurrently). */
  phasesMs: Record<string, number>;
}

/** Records how long the verifier's steps take, for the benchmark and `--json`. */
export class Phases {
  readonly ms: Record<string, number> = {};
  private readonly started = performance.now();

  /** Milliseconds since the verifier started, recorded under `name`. */
  mark(name: string): void {
    this.ms[name] = Math.round(performance.now() - this.started);
  }

  async time<T>(name: string, work: Promise<T>): Promise<T> {
    const start = performance.now();
    const result = await work;
    this.ms[name] = Math.round(performance.now() - start);
    return result;
  }
}

export class Checks {
  readonly list: VerifyCheck[] = [];

  ok(id: string, title: string, detail: string): void {
    this.list.push({ id, title, status: 'ok', detail });
  }

  warn(id: string, title: string, detail: string): void {
    this.list.push({ id, title, status: 'warning', detail });
  }

  skip(id: string, title: string, detail: string): void {
    this.list.push({ id, title, status: 'skipped', detail });
  }

  mismatch(id: string, title: string, detail: string, where: { file: string; line?: number; content?: string }): void {
    this.list.push({ id, title, status: 'mismatch', detail, ...where });
  }

  get failed(): boolean {
    return this.list.some((c) => c.status === 'mismatch');
  }
}

/** One line for a terminal: the mark, the title, then where and what. */
export function formatCheck(check: VerifyCheck): string {
  const mark = { ok: 'ok  ', mismatch: 'FAIL', warning: 'WARN', skipped: 'skip' }[check.status];
  const where = check.file ? ` [${check.file}${check.line ? ` line ${check.line}` : ''}${check.content !== undefined ? `: ${check.content}` : ''}]` : '';
  return `${mark} ${check.title}: ${check.detail}${where}`;
}
