// The fd2 public checks (docs/fd2.md §6) in the browser, written apart from the engine's verifier on purpose: the page
// imports no engine code. Input: the public package's manifest.json and selected.csv as text; output: item by item,
// the same shape as `fairdraw draw verify` (id, title, status, detail).

export interface PublicCheck {
  id: string;
  title: string;
  status: 'ok' | 'mismatch' | 'warning' | 'skipped';
  detail: string;
}

export interface PageReport {
  ok: boolean;
  verdict: string | null;
  checks: PublicCheck[];
}

export const PUBLIC_VERDICT = 'fd2 public checks passed (full recomputation needs the auditor package)';

export const HEX64 = /^[0-9a-f]{64}$/;
export const ID = /^[^\x00-\x20\x7f,"|]+$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

interface Manifest {
  protocol: string;
  package: string;
  commitment: string;
  population_digest: string;
  totals?: { eligible: number; quota: number };
  strata: Array<{ stratum: string; eligible: number; ratio_bp?: number; count?: number; quota: number }>;
  teams: Array<{ department: string; count: number; pool: number; cap: number }>;
  committed_at: string;
  beacon_due: string;
  beacon_recorded_at: string | null;
  drawn_at: string | null;
  selected: number | null;
}

/** UTF-8 byte order of two strings. */
export function compareBytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** fd1 §5 in integers: 0 when N = 0 or bp = 0, else min(N, max(1, ceil(bp*N/10000))); or min(N, count). */
export function quotaOf(s: { eligible: number; ratio_bp?: number; count?: number }): number {
  if (s.count !== undefined) return Math.min(s.eligible, s.count);
  const bp = s.ratio_bp ?? 0;
  if (s.eligible === 0 || bp === 0) return 0;
  return Math.min(s.eligible, Math.max(1, Math.floor((bp * s.eligible + 9999) / 10000)));
}

type Step = 'committed_at' | 'beacon_due' | 'beacon_recorded_at' | 'drawn_at';

/**
 * fd2 §1: committed_at < beacon_due <= beacon_recorded_at <= drawn_at. Steps not yet taken are null (a public
 * manifest before the draw); `complete` demands all four (an auditor package).
 */
export function timelineCheck(m: Partial<Record<Step, string | null>>, complete: boolean): PublicCheck {
  const steps: Step[] = ['committed_at', 'beacon_due', 'beacon_recorded_at', 'drawn_at'];
  const check = (ok: boolean, detail: string): PublicCheck => ({ id: 'timeline', title: '时间线 timeline', status: ok ? 'ok' : 'mismatch', detail });
  let previous: { field: Step; ms: number } | null = null;
  let gap: Step | null = null;
  for (const field of steps) {
    const value = m[field];
    if (value === null || value === undefined) {
      if (complete || field === 'committed_at' || field === 'beacon_due') return check(false, `${field} is missing`);
      gap ??= field;
      continue;
    }
    const ms = Date.parse(value);
    if (!INSTANT.test(value) || Number.isNaN(ms)) return check(false, `${field} ${value} is not a time with its offset`);
    if (gap) return check(false, `${field} is set but ${gap} is not: the steps happen in order`);
    if (previous && (previous.field === 'committed_at' ? ms <= previous.ms : ms < previous.ms)) return check(false, `${field} ${value} is before ${previous.field}`);
    previous = { field, ms };
  }
  return check(true, 'committed_at < beacon_due <= beacon_recorded_at <= drawn_at');
}

/** The cap rule of fd1 §7, one item per department: cap >= ceil(M * count / pool) + 1, 0 for an empty pool. */
export function capChecks(teams: Manifest['teams'], selected: number): PublicCheck[] {
  return teams.map((team) => {
    const floor = team.pool === 0 ? 0 : Math.floor((selected * team.count + team.pool - 1) / team.pool) + 1;
    const ok = team.cap >= floor;
    return { id: `cap:${team.department}`, title: `上限 cap ${team.department}`, status: ok ? 'ok' : 'mismatch', detail: `cap ${team.cap} >= ceil(${selected} * ${team.count} / ${team.pool}) + 1 = ${floor}` };
  });
}

export function checkPublicPackage(manifestText: string, selectedText: string | null): PageReport {
  const checks: PublicCheck[] = [];
  const add = (id: string, title: string, ok: boolean, detail: string) => checks.push({ id, title, status: ok ? 'ok' : 'mismatch', detail });
  const done = () => {
    const ok = checks.every((c) => c.status !== 'mismatch');
    return { ok, verdict: ok ? PUBLIC_VERDICT : null, checks };
  };
  let m: Manifest;
  try {
    m = JSON.parse(manifestText);
  } catch {
    add('manifest', '清单 manifest', false, 'manifest.json is not valid JSON');
    return done();
  }
  add('manifest', '清单 manifest', m.protocol === 'fd2' && m.package === 'public', `protocol ${m.protocol}, package ${m.package}`);
  add('commitment', '承诺值 commitment', HEX64.test(m.commitment) && HEX64.test(m.population_digest), 'commitment and population digest are 64 lowercase hex characters');

  checks.push(timelineCheck(m, false));

  const quotas = (m.totals?.quota ?? 0) + m.strata.reduce((n, s) => n + quotaOf(s), 0);
  const strataOk = m.strata.every((s) => quotaOf(s) === s.quota);
  add('quota', '合计 quotas', strataOk, strataOk ? `total quota ${quotas}` : 'a published stratum\'s quota does not follow fd1 §3');
  if (m.selected === null || selectedText === null) {
    checks.push({ id: 'selected', title: '抽中名单 selected ids', status: 'skipped', detail: 'published once the inspection window has closed' });
    return done();
  }
  const lines = selectedText.endsWith('\n') ? selectedText.slice(0, -1).split('\n') : ['?'];
  const ids = lines.slice(1);
  const wellFormed = lines[0] === 'id' && ids.every((id) => ID.test(id));
  const sorted = ids.every((id, i) => i === 0 || compareBytes(ids[i - 1], id) < 0);
  add('selected', '抽中名单 selected ids', wellFormed && sorted && ids.length === m.selected && ids.length === quotas, `${ids.length} ids${wellFormed ? '' : ', not well-formed'}${sorted ? ', distinct and sorted' : ', not sorted or repeated'}; manifest says ${m.selected}, quotas add up to ${quotas}`);
  checks.push(...capChecks(m.teams, ids.length));
  return done();
}
