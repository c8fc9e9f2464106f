// `fairdraw audit verify`: walks the hash-chained audit log and names the first edited, deleted or reordered entry.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { verifyAudit } from '../../audit/chain.ts';
import { sql } from '../../db/sql.ts';
import { dbCommand } from '../options.ts';

export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('审计日志 / the hash-chained audit log');
  dbCommand(audit, 'verify')
    .description('校验审计哈希链；链断时退出码 1 并指出条目 / verify the chain; exit 1 naming the first broken entry')
    .action(async (flags: { db?: string; json?: boolean }) => {
      const { verdict, entry } = await withDb(
        flags.db,
        async (db) => {
          const verdict = await verifyAudit(db);
          const entry = verdict.ok ? undefined : await db.one<{ action: string; subject: string | null; actor: string }>(sql`SELECT action, subject, actor FROM audit_log WHERE seq = ${verdict.seq}`);
          return { verdict, entry };
        },
        { readOnly: true },
      );
      if (flags.json) console.log(JSON.stringify(entry ? { ...verdict, entry } : verdict));
      else if (verdict.ok) console.log(`审计链完整 / audit chain intact: ${verdict.entries.toLocaleString('en-US')} entries`);
      else {
        const what = entry ? ` (${entry.action}${entry.subject ? ` ${entry.subject}` : ''}, ${entry.actor})` : '';
        console.log(`审计链断裂于第 ${verdict.seq} 条${what} / audit chain broken at entry ${verdict.seq}${what}: ${verdict.problem}`);
      }
      if (!verdict.ok) process.exitCode = 1;
    });
}
