import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../db/sql.ts';
import { Db } from '../db/duckdb.ts';
import { cloneTemplate, IN_WINDOW, resultsTemplate, SAMR_OPERATOR, staffedObject, type ResultsTemplate } from '../results/results.fixture.ts';
import { enterResult } from '../results/results.ts';
import { addEvidence } from '../results/evidence.ts';
import { evidenceFile } from '../audit/evidence.ts';
import { EVIDENCE_PNG } from '../results/evidence.fixture.ts';
import { appendHead, chainHead, recordDailyHead } from '../audit/heads.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';

describe('backup and restore', () => {
  let template: ResultsTemplate;
  let dir: string;
  beforeAll(async () => {
    template = await resultsTemplate();
    dir = mkdtempSync(join(tmpdir(), 'fairdraw-backup-'));
  });
  afterAll(() => {
    template.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while the database is in use and restores into a fresh file, verifying every draw and the audit chain', async () => {
    const source = await cloneTemplate(template);
    try {
      expect(await recordDailyHead(source.db)).toMatchObject({ reason: 'daily' });
      const backup = join(dir, 'backup.duckdb');
      // a write running beside the backup: the backup holds it whole or not at all
      const [report] = await Promise.all([
        backupDatabase(source.db, backup),
        source.db.exec(sql`INSERT INTO holidays VALUES (DATE '2030-01-01', 'holiday', '元旦')`),
      ]);
      expect(report.bytes).toBeGreaterThan(0);
      await expect(backupDatabase(source.db, backup)).rejects.toThrow(/exists/);

      const target = join(dir, 'restored.duckdb');
      const restored = await restoreDatabase(backup, target);
      expect(restored).toMatchObject({ file: target, drawsVerified: 1 });
      expect(restored.auditEntries).toBeGreaterThan(0);
      expect(existsSync(`${target}.restoring`)).toBe(false);
      const db = await Db.open({ path: target, readOnly: true });
      try {
        const count = async (q: Db, table: string) => (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.id(table)}`))!.n;
        for (const table of ['objects', 'draws', 'draw_selection', 'draw_teams', 'audit_log']) expect(await count(db, table), table).toBe(await count(source.db, table));
      } finally {
        db.close();
      }
      await expect(restoreDatabase(backup, target)).rejects.toThrow(/exists/);
      // the published heads travel with the backup and sit beside the restored database
      expect(readFileSync(`${target}.heads.jsonl`, 'utf8')).toBe(readFileSync(`${source.path}.heads.jsonl`, 'utf8'));
    } finally {
      source.cleanup();
    }
  });

  it('refuses a backup whose audit chain was tampered with, and leaves no file behind', async () => {
    const source = await cloneTemplate(template);
    try {
      await source.db.exec(sql`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`);
      const backup = join(dir, 'tampered.duckdb');
      await backupDatabase(source.db, backup);
      const target = join(dir, 'tampered-restored.duckdb');
      await expect(restoreDatabase(backup, target)).rejects.toThrow(/audit chain is broken at entry 1/);
      expect(existsSync(target)).toBe(false);
      expect(existsSync(`${target}.restoring`)).toBe(false);
    } finally {
      source.cleanup();
    }
  });

  it('carries result evidence: files are copied, checked against the audit log on restore, and a changed file refuses it', async () => {
    const source = await cloneTemplate(template);
    try {
      const key = { drawId: template.draw.id, objectId: (await staffedObject(source.db, template.draw.id)).id, itemCode: 'SAMR-001' };
      await enterResult(source.db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-05-13' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
      const photo = join(dir, 'photo.png');
      writeFileSync(photo, EVIDENCE_PNG);
      const added = await addEvidence(source.db, key, { path: photo, filename: 'photo.png' }, {}, { actor: SAMR_OPERATOR, now: IN_WINDOW });
      const backup = join(dir, 'evidence.duckdb');
      await backupDatabase(source.db, backup);

      const target = join(dir, 'evidence-restored.duckdb');
      expect(await restoreDatabase(backup, target)).toMatchObject({ evidenceFiles: 1 });
      expect(readFileSync(evidenceFile(`${target}.evidence`, added.sha256)).equals(EVIDENCE_PNG)).toBe(true);

      writeFileSync(evidenceFile(`${backup}.evidence`, added.sha256), 'changed');
      const refused = join(dir, 'evidence-tampered.duckdb');
      await expect(restoreDatabase(backup, refused)).rejects.toThrow(/evidence .* file_changed/);
      expect(existsSync(refused) || existsSync(`${refused}.evidence`) || existsSync(`${refused}.restoring.evidence`)).toBe(false);
    } finally {
      source.cleanup();
    }
  });

  it('refuses a backup whose chain no longer reaches a head published before it was taken', async () => {
    const source = await cloneTemplate(template);
    try {
      const head = (await chainHead(source.db))!;
      appendHead(`${source.path}.heads.jsonl`, { seq: Number(head.seq), hash: head.hash }, 'daily');
      await source.db.exec(sql`DELETE FROM audit_log WHERE seq = ${head.seq}`);
      const backup = join(dir, 'cut.duckdb');
      await backupDatabase(source.db, backup);
      const target = join(dir, 'cut-restored.duckdb');
      await expect(restoreDatabase(backup, target)).rejects.toThrow(/tail deleted after seq/);
      expect(existsSync(target)).toBe(false);
    } finally {
      source.cleanup();
    }
  });
});
