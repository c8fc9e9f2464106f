// An outsider's attack on the demo's confidentiality (fd2 §2-3): every public route and every public package file of
// every demo draw is fetched, checked for the secret, the seed, a key, a rank, a stratum or an inspector's name, and
// then used to try to recover selected entities' risk tiers: keys under each tier label from any seed-like value
// published, per-tier counts or quotas, ranks or draw order. Nothing may be recovered. The truth (secret, seed, keys,
// strata, names) comes from the auditor package and the internal draw page, as an auditor and a leader see them.
// The demo's one draw whose strata are not risk classes publishes its six files after the window (fd2 §3): its own
// files may carry its secret, keys and its one stratum, never a risk class, and nothing of another draw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipDrawFiles } from '../../engine/src/draw/zip.ts';
import { apiAs, startFairdraw, type ApiClient, type Fairdraw } from './harness.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const HEX64 = /\b[0-9a-f]{64}\b/g;

interface Truth {
  drawId: string;
  confidential: boolean;
  secret: string;
  seed: string;
  tierLabels: string[];
  keys: Set<string>;
  tierOf: Map<string, string>;
}

let app: Fairdraw;
let scratch: string;
let leader: ApiClient;
const publicBodies = new Map<string, string>();
const truths: Truth[] = [];
/** The confidential draws (tier strata), and whether a public path belongs to a draw that is not confidential. */
const confidential = () => truths.filter((t) => t.confidential);
const ofOpenDraw = (path: string) => truths.some((t) => !t.confidential && path.includes(`/draws/${t.drawId}`));
const inspectorNames = new Set<string>();

/** The auditor package of a drawn draw, as an admin downloads it. */
async function auditorPackage(drawId: string): Promise<{ manifest: Record<string, unknown>; selection: string[][] }> {
  const login = await fetch(`${app.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: app.passwords.admin }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const zip = await fetch(`${app.baseUrl}/api/draws/${drawId}/export?package=auditor`, { headers: { cookie } });
  expect(zip.status, `export ${drawId}`).toBe(200);
  const zipPath = join(scratch, `${drawId}.zip`);
  writeFileSync(zipPath, Buffer.from(await zip.arrayBuffer()));
  const dir = join(scratch, drawId);
  mkdirSync(dir);
  await unzipDrawFiles(zipPath, dir, { maxUncompressedBytes: 1 << 30 });
  const selection = readFileSync(join(dir, 'selection.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  return { manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')), selection };
}

async function fetchPublic(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${app.baseUrl}${path}`);
  const body = await response.text();
  if (response.ok) publicBodies.set(path, body);
  return { status: response.status, body };
}

beforeAll(async () => {
  app = await startFairdraw();
  scratch = mkdtempSync(join(tmpdir(), 'fairdraw-attack-'));
  leader = await apiAs(app, 'leader');
  for (const path of ['/api/public/draws?limit=100', '/api/public/plans', '/api/public/items', '/api/public/results?limit=100', '/api/public/reference', '/api/public/audit-heads?limit=1000']) await fetchPublic(path);
  const draws = JSON.parse(publicBodies.get('/api/public/draws?limit=100')!).draws as Array<{ id: string; drawnAt: string | null; status: string }>;
  for (const draw of draws) {
    const detail = JSON.parse((await fetchPublic(`/api/public/draws/${draw.id}`)).body);
    for (const file of detail.files ?? []) await fetchPublic(`/api/public/draws/${draw.id}/files/${file}`);
    for (const file of ['manifest.json', 'selected.csv', 'selection.csv', 'population.csv', 'teams.csv']) await fetchPublic(`/api/public/draws/${draw.id}/files/${file}`);
    if (draw.drawnAt === null) continue;
    const page = await leader.get(`/api/draws/${draw.id}?limit=1000`);
    for (const row of page.selection.rows) for (const m of row.team) if (m.inspectorName) inspectorNames.add(m.inspectorName);
    const { manifest, selection } = await auditorPackage(draw.id);
    truths.push({
      drawId: draw.id,
      confidential: manifest.digest === 'salted',
      secret: manifest.secret as string,
      seed: manifest.seed as string,
      tierLabels: (manifest.strata as Array<{ stratum: string }>).map((s) => s.stratum),
      keys: new Set(selection.map(([, , key]) => key)),
      tierOf: new Map(selection.map(([stratum, id]) => [id, stratum])),
    });
  }
}, 600_000);

afterAll(async () => {
  await app?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('confidentiality of the demo draws against an outsider', () => {
  it('the demo has drawn, tier-stratified fd2 draws, some with published selections, and one draw without tier strata', () => {
    expect(confidential().length).toBeGreaterThanOrEqual(3);
    expect(truths.filter((t) => !t.confidential).map((t) => t.tierLabels)).toEqual([['ALL']]);
    expect([...publicBodies.keys()].some((p) => p.endsWith('/selected.csv'))).toBe(true);
    expect(inspectorNames.size).toBeGreaterThan(0);
  });

  it('no public route or file carries a secret, a seed, a key, a rank, a stratum or an inspector name', () => {
    const all = [...publicBodies.entries()];
    expect(all.length).toBeGreaterThan(10);
    for (const [path, body] of all) {
      for (const t of confidential()) {
        expect(body.includes(t.secret), `${path}: secret of ${t.drawId}`).toBe(false);
        expect(body.includes(t.seed), `${path}: seed of ${t.drawId}`).toBe(false);
        for (const hex of body.match(HEX64) ?? []) expect(t.keys.has(hex), `${path}: a key of ${t.drawId}`).toBe(false);
      }
      if (ofOpenDraw(path)) {
        // Its own files and detail: one stratum, ALL, never a risk class.
        expect(body, path).not.toMatch(/^[A-D](\|\d+)?,|"stratum":\s*"[A-D]["|]|"tier"\s*:/m);
      } else {
        expect(body, path).not.toMatch(/"(secret|seed|key|rank|stratum|tier|drawOrder)"\s*:/);
        expect(body, path).not.toMatch(/^stratum,|,key,rank/m);
      }
      for (const name of inspectorNames) expect(body.includes(name), `${path}: inspector name ${name}`).toBe(false);
    }
  });

  it('no per-tier count, quota or stratum list, and the selected ids come sorted, without order or rank', () => {
    for (const t of confidential()) {
      const detail = JSON.parse(publicBodies.get(`/api/public/draws/${t.drawId}`)!);
      expect(detail.strata, t.drawId).toBeUndefined();
      const manifestBody = publicBodies.get(`/api/public/draws/${t.drawId}/files/manifest.json`)!;
      const manifest = JSON.parse(manifestBody);
      expect(manifest.strata, t.drawId).toEqual([]);
      expect(Object.keys(manifest.totals ?? {}).sort(), t.drawId).toEqual(['eligible', 'quota']);
      for (const label of t.tierLabels) expect(manifestBody.includes(`"${label}"`), `${t.drawId}: stratum label ${label}`).toBe(false);
      const selected = publicBodies.get(`/api/public/draws/${t.drawId}/files/selected.csv`);
      if (selected === undefined) continue;
      const ids = selected.trim().split('\n').slice(1);
      expect(ids, t.drawId).toEqual([...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      expect(new Set(ids)).toEqual(new Set(t.tierOf.keys()));
      expect(detail.selection.map((s: { objectId: string }) => s.objectId)).toEqual(ids);
    }
  });

  it('keys under every tier label, from every seed-like value a draw publishes, recover no key and so no tier', () => {
    for (const t of confidential()) {
      const own = [...publicBodies.entries()].filter(([path]) => path.includes(t.drawId)).map(([, body]) => body).join('\n');
      const manifest = JSON.parse(publicBodies.get(`/api/public/draws/${t.drawId}/files/manifest.json`)!);
      const hexes = [...new Set(own.match(HEX64) ?? [])];
      // Seed-like: any 64-hex value the draw publishes (commitment, digest, audit heads), alone or joined with its beacon as the seed is.
      const candidates = [...hexes, ...hexes.map((h) => `${h}|${manifest.beacon}`)];
      expect(candidates.length, t.drawId).toBeGreaterThanOrEqual(4);
      expect(candidates.includes(t.seed), `${t.drawId}: the seed is published`).toBe(false);
      let recovered = 0;
      for (const seed of candidates)
        for (const id of t.tierOf.keys())
          for (const label of t.tierLabels)
            for (const protocol of ['fd1', 'fd2']) if (t.keys.has(sha256(`${protocol}|${seed}|${manifest.task_id}|${label}|${id}`))) recovered++;
      expect(recovered, `${t.drawId}: keys recomputed from published values`).toBe(0);
    }
  });

  it('withheld files are refused, not served; the draw without tier strata serves its six files', async () => {
    for (const t of truths) {
      for (const file of ['selection.csv', 'population.csv', 'teams.csv']) {
        expect((await fetch(`${app.baseUrl}/api/public/draws/${t.drawId}/files/${file}`)).status, `${t.drawId} ${file}`).toBe(t.confidential ? 403 : 200);
      }
    }
  });
});
