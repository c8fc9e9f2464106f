// The checks anyone can make on an fd2 public package (fd2 §6): manifest.json and, once the inspection window has
// closed, selected.csv. No secret, seed, key or tier is in it, so the picks cannot be recomputed; what is checked is
// the commitment's form, the timeline, the selected ids (well-formed, distinct, sorted, as many as the quotas say),
// the published strata's quotas and every cap.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Checks } from './report.ts';
import type { VerifyReport } from './report.ts';
import { FileProblem, HEX64, checkAuditHeads, checkStrataAndTeams, csvLines, manifestText, type LineOf, type ManifestStratum, type ManifestTeam } from './read.ts';
import { bytes, quotaOf } from './picks.ts';
import { checkTimeline } from './timeline.ts';

export const PUBLIC_VERDICT = 'fd2 public checks passed (full recomputation needs the auditor package)';

/** fd2 §5, fields in this order. */
export interface PublicManifest {
  protocol: 'fd2';
  package: 'public';
  task_id: string;
  commitment: string;
  beacon_source: string;
  beacon_due: string;
  beacon: string;
  digest: 'salted' | 'plain';
  population_digest: string;
  totals?: { eligible: number; quota: number };
  strata: ManifestStratum[];
  teams: ManifestTeam[];
  committed_at: string;
  beacon_recorded_at: string | null;
  drawn_at: string | null;
  audit_heads: { commit?: { seq: number; hash: string }; draw?: { seq: number; hash: string } };
  selected: number | null;
}

/** Whether `dir` holds a public package: its manifest says so (any other folder is verified in full). */
export function isPublicPackage(dir: string): boolean {
  try {
    const { text } = manifestText(dir);
    const m = JSON.parse(text) as Record<string, unknown>;
    return m?.protocol === 'fd2' && m?.package === 'public';
  } catch {
    return false;
  }
}

const T_FILES = '文件 files';
const T_MANIFEST = '清单 manifest';
const T_COMMITMENT = '承诺值 commitment';
const T_SELECTED = '抽中名单 selected ids';
const T_QUOTA = '合计 quotas';

function readPublicManifest(dir: string): { manifest: PublicManifest; lineOf: LineOf } {
  const { text, lineOf } = manifestText(dir);
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text);
  } catch (err) {
    throw new FileProblem('manifest.json', undefined, undefined, `is not valid JSON (${(err as Error).message})`);
  }
  const fail = (field: string, reason: string, within?: string): never => {
    const at = lineOf(field, within);
    throw new FileProblem('manifest.json', at?.line, at?.content, `${field} ${reason}`);
  };
  for (const field of ['task_id', 'commitment', 'beacon_source', 'beacon_due', 'beacon', 'population_digest', 'committed_at']) {
    if (typeof m[field] !== 'string') fail(field, `must be a string, found ${JSON.stringify(m[field])}`);
  }
  for (const field of ['beacon_recorded_at', 'drawn_at']) {
    if (m[field] !== null && typeof m[field] !== 'string') fail(field, `must be a time or null, found ${JSON.stringify(m[field])}`);
  }
  if (m.digest !== 'salted' && m.digest !== 'plain') fail('digest', `must be "salted" or "plain", found ${JSON.stringify(m.digest)}`);
  const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (m.totals !== undefined) {
    const t = m.totals as Record<string, unknown> | null;
    if (!isCount(t?.eligible) || !isCount(t?.quota)) fail('totals', 'must be {eligible, quota} with integers >= 0');
  }
  if (m.selected !== null && !isCount(m.selected)) fail('selected', `must be an integer >= 0 or null, found ${JSON.stringify(m.selected)}`);
  checkAuditHeads(m.audit_heads, fail);
  checkStrataAndTeams(m, fail);
  return { manifest: m as unknown as PublicManifest, lineOf };
}

export function verifyPublicPackage(dir: string): VerifyReport {
  const started = performance.now();
  const checks = new Checks();
  const finish = (): VerifyReport => {
    const firstMismatch = checks.list.find((c) => c.status === 'mismatch');
    return {
      ok: !firstMismatch,
      verdict: firstMismatch ? undefined : PUBLIC_VERDICT,
      publicOnly: true,
      checks: checks.list,
      firstMismatch,
      warnings: [],
      engine: 'js',
      elapsedMs: Math.round(performance.now() - started),
      phasesMs: {},
    };
  };
  const problem = (id: string, title: string, err: unknown) => {
    if (!(err instanceof FileProblem)) throw err;
    checks.mismatch(id, title, err.message, { file: err.file, line: err.line, content: err.content });
  };

  let read;
  try {
    read = readPublicManifest(dir);
  } catch (err) {
    problem('manifest', T_MANIFEST, err);
    return finish();
  }
  const { manifest, lineOf } = read;
  const expected = manifest.selected === null ? ['manifest.json'] : ['manifest.json', 'selected.csv'];
  const present = readdirSync(dir);
  const missing = expected.filter((f) => !existsSync(join(dir, f)));
  const extra = present.filter((f) => !expected.includes(f));
  if (missing.length > 0) {
    checks.mismatch('files', T_FILES, `missing ${missing.join(', ')}`, { file: missing[0] });
    return finish();
  }
  if (extra.length > 0) {
    checks.mismatch('files', T_FILES, `a public package holds only ${expected.join(' and ')}; found ${extra.join(', ')}`, { file: extra[0] });
    return finish();
  }
  checks.ok('files', T_FILES, expected.join(', '));
  checks.ok('manifest', T_MANIFEST, `protocol fd2 (public package), task ${manifest.task_id}, digest ${manifest.digest}, ${manifest.strata.length} published strata${manifest.totals ? ' and totals over the confidential strata' : ''}`);

  if (!HEX64.test(manifest.commitment)) checks.mismatch('commitment', T_COMMITMENT, 'commitment must be 64 lowercase hex characters', { file: 'manifest.json', ...lineOf('commitment') });
  else if (!HEX64.test(manifest.population_digest)) checks.mismatch('commitment', T_COMMITMENT, 'population_digest must be 64 lowercase hex characters', { file: 'manifest.json', ...lineOf('population_digest') });
  else checks.ok('commitment', T_COMMITMENT, 'commitment and population digest are 64 hex characters (the secret is revealed only in the auditor package)');

  if (manifest.beacon_source.trim() === '') checks.mismatch('beacon', '信标 beacon', 'beacon_source must name the public event declared at commitment', { file: 'manifest.json', ...lineOf('beacon_source') });
  else if (manifest.beacon_recorded_at !== null && manifest.beacon === '') checks.mismatch('beacon', '信标 beacon', 'the beacon was recorded but its value is empty', { file: 'manifest.json', ...lineOf('beacon') });
  else checks.ok('beacon', '信标 beacon', `${JSON.stringify(manifest.beacon_source)} due ${manifest.beacon_due}${manifest.beacon ? `: ${JSON.stringify(manifest.beacon)}` : ''}`);
  checkTimeline(checks, manifest, lineOf, false);

  const quotaTotal = publishedQuotas(checks, manifest, lineOf);
  if (manifest.selected === null) {
    checks.skip('selected', T_SELECTED, 'the selected ids are published once the inspection window has closed');
    return finish();
  }
  if (manifest.drawn_at === null) checks.mismatch('selected', T_SELECTED, 'selected ids are published but the draw has no drawn_at', { file: 'manifest.json', ...lineOf('drawn_at') });
  let ids: string[];
  try {
    ids = csvLines(dir, 'selected.csv', 'id', ['id']);
  } catch (err) {
    problem('selected', T_SELECTED, err);
    return finish();
  }
  for (let i = 1; i < ids.length; i++) {
    const order = bytes(ids[i - 1], ids[i]);
    if (order >= 0) {
      checks.mismatch('selected', T_SELECTED, order === 0 ? `id ${ids[i]} is listed twice` : `ids must be sorted in UTF-8 byte order: ${ids[i]} comes after ${ids[i - 1]}`, {
        file: 'selected.csv',
        line: i + 2,
        content: ids[i],
      });
      return finish();
    }
  }
  if (ids.length !== manifest.selected) {
    checks.mismatch('selected', T_SELECTED, `selected.csv has ${ids.length} ids, manifest.json says selected ${manifest.selected}`, { file: 'manifest.json', ...lineOf('selected') });
    return finish();
  }
  checks.ok('selected', T_SELECTED, `${ids.length} ids, well-formed, distinct, sorted`);
  if (quotaTotal !== undefined) {
    if (quotaTotal !== ids.length) checks.mismatch('quota', T_QUOTA, `the quotas add up to ${quotaTotal}, selected.csv has ${ids.length} ids`, { file: 'selected.csv' });
    else checks.ok('quota', T_QUOTA, `totals.quota plus the published strata's quotas = ${quotaTotal} = the number of selected ids`);
  }
  for (const team of manifest.teams) {
    const floor = team.pool === 0 ? 0 : Math.ceil((ids.length * team.count) / team.pool) + 1;
    const title = `上限 cap ${team.department}`;
    if (team.cap < floor) checks.mismatch(`cap:${team.department}`, title, `cap ${team.cap} is below ceil(${ids.length} * ${team.count} / ${team.pool}) + 1 = ${floor}`, { file: 'manifest.json', ...lineOf('cap', `"department": ${JSON.stringify(team.department)}`) });
    else checks.ok(`cap:${team.department}`, title, `cap ${team.cap} >= ceil(${ids.length} * ${team.count} / ${team.pool}) + 1 = ${floor}`);
  }
  return finish();
}

/** Each published stratum's quota recomputed (fd1 §3); the sum with totals.quota, or undefined after a mismatch. */
function publishedQuotas(checks: Checks, manifest: PublicManifest, lineOf: LineOf): number | undefined {
  let total = manifest.totals?.quota ?? 0;
  if (manifest.totals && manifest.totals.quota > manifest.totals.eligible) {
    checks.mismatch('quota', T_QUOTA, `totals.quota ${manifest.totals.quota} exceeds totals.eligible ${manifest.totals.eligible}`, { file: 'manifest.json', ...lineOf('totals') });
    return undefined;
  }
  for (const spec of manifest.strata) {
    const k = quotaOf(spec.eligible, spec);
    if (k !== spec.quota) {
      checks.mismatch(`stratum:${spec.stratum}`, `分层 stratum ${spec.stratum}`, `quota must be ${k}, manifest.json says ${spec.quota}`, {
        file: 'manifest.json',
        ...lineOf('quota', `"stratum": ${JSON.stringify(spec.stratum)}`),
      });
      return undefined;
    }
    checks.ok(`stratum:${spec.stratum}`, `分层 stratum ${spec.stratum}`, `eligible ${spec.eligible}, quota ${k}`);
    total += k;
  }
  return total;
}
