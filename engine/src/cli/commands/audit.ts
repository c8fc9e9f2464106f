// `fairdraw audit verify [--heads FILE]`: walks the hash-chained audit log (the first edited, deleted or reordered
// entry), checks every published head (the file beside the database and any copy given) and the rows bound to the
// chain (a draw, selection or result changed directly in the database) and every result's evidence file against the
// hash its audit entry recorded.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { chainVerdict, type ChainVerdict } from '../../audit/trail.ts';
import { readHeads } from '../../audit/heads.ts';
import { dbCommand } from '../options.ts';

const collect = (value: string, previous: string[]) => [...previous, value];
const EVIDENCE_PROBLEMS: Record<ChainVerdict['evidence']['problems'][number]['problem'], string> = {
  file_missing: '文件缺失 / file missing from the store',
  file_changed: '文件内容已变，与审计记录的哈希不符 / file changed: its bytes no longer match the audited hash',
  row_changed: '登记的哈希被改动 / its row names another hash than the audit entry',
  row_missing: '登记行被删除 / its row was deleted',
  not_audited: '没有审计记录 / listed without an audit entry',
};
const ROWS_SHOWN = 20;

export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('审计日志 / the hash-chained audit log');
  dbCommand(audit, 'verify')
    .description('校验审计哈希链、已公布的链头与绑定的行；任何一项失败时退出码 1 / verify the chain, the published heads and the bound rows; exit 1 on any failure')
    .option('--heads <file>', '另行保存的链头副本（JSON 行或门户的 JSON 列表），可多次给出 / a copy of the published heads someone kept (JSON lines, or the portal\'s JSON list); repeatable', collect, [])
    .action(async (flags: { db?: string; json?: boolean; heads: string[] }) => {
      const missing = flags.heads.filter((file) => !existsSync(file));
      if (missing.length > 0) throw new Error(`链头副本不存在 / no such heads file: ${missing.join(', ')}`);
      const copies = flags.heads.map((file) => ({ source: resolve(file), heads: readHeads(resolve(file)) }));
      const verdict = await withDb(flags.db, (db) => chainVerdict(db, copies), { readOnly: true });
      if (flags.json) {
        console.log(JSON.stringify(verdict));
      } else {
        if (verdict.chainOk) console.log(`审计链完整 / audit chain intact: ${verdict.entries.toLocaleString('en-US')} entries`);
        else {
          const e = verdict.entry;
          const what = e ? ` (${e.action}${e.subject ? ` ${e.subject}` : ''}, ${e.actor})` : '';
          console.log(`审计链断裂于第 ${verdict.seq} 条${what} / audit chain broken at entry ${verdict.seq}${what}: ${verdict.problem}`);
        }
        for (const s of verdict.heads.sources) console.log(`链头 / heads: ${s.heads} in ${s.source}`);
        for (const p of verdict.heads.problems) console.log(`FAIL ${p.message} [${p.source}]`);
        if (verdict.heads.sources.length > 0 && verdict.heads.problems.length === 0) console.log('已公布的链头均在链上 / every published head is in the chain');
        const { bound, unbound, problems } = verdict.rows;
        console.log(
          `绑定的行 / bound rows: draws ${bound.draws}, draw_selection ${bound.draw_selection}, draw_results ${bound.draw_results}` +
            ` (未绑定（fd2.3 之前） / not bound (before fd2.3): ${unbound.draws}, ${unbound.draw_selection}, ${unbound.draw_results})`,
        );
        for (const p of problems.slice(0, ROWS_SHOWN)) console.log(`FAIL ${p.message}`);
        if (problems.length > ROWS_SHOWN) console.log(`…另有 ${problems.length - ROWS_SHOWN} 行 / … and ${problems.length - ROWS_SHOWN} more rows`);
        console.log(`证据文件 / evidence files: ${verdict.evidence.files.toLocaleString('en-US')} checked against the audit log`);
        for (const p of verdict.evidence.problems) console.log(`FAIL 证据 / evidence ${p.evidenceId} (${p.sha256.slice(0, 12)}…): ${EVIDENCE_PROBLEMS[p.problem]}`);
        console.log(verdict.ok ? `审计校验通过 / audit verified (${verdict.elapsedMs} ms)` : `审计校验失败 / audit verification FAILED (${verdict.elapsedMs} ms)`);
      }
      if (!verdict.ok) process.exitCode = 1;
    });
}
