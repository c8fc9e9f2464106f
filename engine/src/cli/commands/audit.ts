// `fairdraw audit verify`: walks the hash-chained audit log and names the first edited, deleted or reordered entry,
// then checks every result's evidence file against the hash its audit entry recorded.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { verifyAudit } from '../../audit/chain.ts';
import { verifyEvidence, type EvidenceProblem } from '../../results/evidence.ts';
import { sql } from '../../db/sql.ts';
import { dbCommand } from '../options.ts';

const EVIDENCE_PROBLEMS: Record<EvidenceProblem['problem'], string> = {
  file_missing: '文件缺失 / file missing from the store',
  file_changed: '文件内容已变，与审计记录的哈希不符 / file changed: its bytes no longer match the audited hash',
  row_changed: '登记的哈希被改动 / its row names another hash than the audit entry',
  row_missing: '登记行被删除 / its row was deleted',
  not_audited: '没有审计记录 / listed without an audit entry',
};

export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('审计日志 / the hash-chained audit log');
  dbCommand(audit, 'verify')
    .description('校验审计哈希链；链断时退出码 1 并指出条目 / verify the chain; exit 1 naming the first broken entry')
    .action(async (flags: { db?: string; json?: boolean }) => {
      const { verdict, entry, evidence } = await withDb(
        flags.db,
        async (db) => {
          const verdict = await verifyAudit(db);
          const entry = verdict.ok ? undefined : await db.one<{ action: string; subject: string | null; actor: string }>(sql`SELECT action, subject, actor FROM audit_log WHERE seq = ${verdict.seq}`);
          return { verdict, entry, evidence: await verifyEvidence(db) };
        },
        { readOnly: true },
      );
      if (flags.json) console.log(JSON.stringify({ ...verdict, ...(entry ? { entry } : {}), evidence }));
      else if (verdict.ok) console.log(`审计链完整 / audit chain intact: ${verdict.entries.toLocaleString('en-US')} entries`);
      else {
        const what = entry ? ` (${entry.action}${entry.subject ? ` ${entry.subject}` : ''}, ${entry.actor})` : '';
        console.log(`审计链断裂于第 ${verdict.seq} 条${what} / audit chain broken at entry ${verdict.seq}${what}: ${verdict.problem}`);
      }
      if (!flags.json) {
        if (evidence.ok) console.log(`证据文件与审计记录一致 / evidence files match the audit log: ${evidence.files.toLocaleString('en-US')} files`);
        for (const p of evidence.problems) console.log(`证据 ${p.evidenceId}（${p.sha256.slice(0, 12)}…）${EVIDENCE_PROBLEMS[p.problem]}`);
      }
      if (!verdict.ok || !evidence.ok) process.exitCode = 1;
    });
}
