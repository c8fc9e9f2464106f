import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Db } from '../../db/duckdb.ts';
import { sql } from '../../db/sql.ts';
import { publishedHeads } from '../../audit/heads.ts';
import { rewriteChainFrom } from '../../audit/test-support.ts';
import { enterResult } from '../../results/results.ts';
import { cloneTemplate, IN_WINDOW, resultsTemplate, SAMR_OPERATOR, staffedObject, type ResultsTemplate } from '../../results/results.fixture.ts';
import type { TempDb } from '../../testing/db.ts';
import { auditCommand } from './audit.ts';

// `fairdraw audit verify [--heads FILE]` in-process on a drawn draw with one result, against each attack.
describe('audit verify', () => {
  let template: ResultsTemplate;
  let t: TempDb;
  let kept: string;
  let resultId: string;
  beforeAll(async () => {
    template = await resultsTemplate();
  });
  afterAll(() => template.cleanup());
  beforeEach(async () => {
    t = await cloneTemplate(template);
    // the heads the template's commit and run published travel with its copy
    copyFileSync(`${template.path}.heads.jsonl`, `${t.path}.heads.jsonl`);
    const objectId = (await staffedObject(t.db, template.draw.id)).id;
    resultId = (await enterResult(t.db, { drawId: template.draw.id, objectId, itemCode: 'SAMR-001' }, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW })).id;
    kept = join(t.dir, 'kept-heads.json');
    writeFileSync(kept, JSON.stringify(publishedHeads(t.path, { limit: 100, offset: 0 })));
    t.db.close();
  });
  afterEach(() => {
    t.cleanup();
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function run(...args: string[]): Promise<string> {
    const program = new Command('fairdraw').exitOverride();
    auditCommand(program);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
    await program.parseAsync(['node', 'fairdraw', 'audit', 'verify', '--db', t.path, ...args]);
    return printed.join('\n');
  }

  async function tamper(change: (db: Db) => Promise<void>): Promise<void> {
    const db = await Db.open({ path: t.path });
    try {
      await change(db);
    } finally {
      db.close();
    }
  }

  it('passes an untouched database: the chain, both heads beside it, the copy, every bound row', async () => {
    const out = await run('--heads', kept);
    expect(out).toContain('audit chain intact');
    expect(out).toContain(`heads: 2 in ${t.path}.heads.jsonl`);
    expect(out).toContain(`heads: 2 in ${kept}`);
    expect(out).toMatch(/bound rows: draws 1, draw_selection \d+, draw_results 1 \(.*not bound \(before fd2.3\): 0, 0, 0\)/);
    expect(out).toMatch(/audit verified \(\d+ ms\)$/);
    expect(process.exitCode).toBeUndefined();
    await expect(run('--heads', join(t.dir, 'no-such-copy.json'))).rejects.toThrow(/no such heads file/);
  });

  it('catches the last 3 entries deleted', async () => {
    let last = 0;
    await tamper(async (db) => {
      last = Number((await db.one<{ seq: number }>(sql`SELECT max(seq) AS seq FROM audit_log`))!.seq);
      await db.exec(sql`DELETE FROM audit_log WHERE seq > ${last - 3}`);
    });
    const out = await run();
    expect(out).toContain('audit chain intact');
    expect(out).toMatch(new RegExp(`FAIL .*tail deleted after seq ${last - 3} \\(head of 2026-03-0\\d, seq \\d+\\)`));
    expect(out).toContain('audit verification FAILED');
    expect(process.exitCode).toBe(1);
  });

  it('catches an entry edited and every hash after it recomputed, through the heads beside the database and a kept copy', async () => {
    await tamper((db) => rewriteChainFrom(db, 2, { edited: true }));
    const out = await run('--heads', kept);
    expect(out).toContain('audit chain intact');
    expect(out.match(/FAIL .*entries rewritten at or before seq \d+ \(head of 2026-03-0\d\)/g)).toHaveLength(2);
    expect(process.exitCode).toBe(1);
  });

  it('catches a row of draw_results, draws and draw_selection changed directly, with its table and key', async () => {
    let selected = '';
    await tamper(async (db) => {
      await db.exec(sql`UPDATE draw_results SET outcome_code = 'FIXED' WHERE id = ${resultId}`);
      await db.exec(sql`UPDATE draws SET seed = 'x' WHERE id = ${template.draw.id}`);
      selected = (await db.one<{ object_id: string }>(sql`SELECT object_id FROM draw_selection ORDER BY object_id LIMIT 1`))!.object_id;
      await db.exec(sql`UPDATE draw_selection SET key = repeat('0', 64) WHERE object_id = ${selected}`);
    });
    const out = await run();
    expect(out).toContain('audit chain intact');
    expect(out).toContain(`FAIL draws ${template.draw.id}：`);
    expect(out).toContain(`draw_selection ${template.draw.id}|${selected}: content differs from its last audited hash`);
    expect(out).toContain(`draw_results ${resultId}: content differs from its last audited hash`);
    expect(process.exitCode).toBe(1);
  });
});
