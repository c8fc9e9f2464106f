// `fairdraw draw list|show|commit|beacon|run|void|export|verify`: the fd1 draw lifecycle from the command line.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { commitDraw, enterBeacon, getDraw, listDraws, runDraw, voidDraw, type DrawHeader, type DrawStatus } from '../../draw/lifecycle.ts';
import { exportDraw } from '../../draw/export.ts';
import { shanghaiTime } from '../../kernel/time.ts';
import { addVerifyCommand } from './draw-verify.ts';
import { dbCommand, cliActor } from '../options.ts';

const STATUS_ZH: Record<DrawStatus, string> = { committed: '已承诺', beaconed: '已录信标', drawn: '已抽取', voided: '已作废' };
const n = (x: number) => x.toLocaleString('en-US');
const time = (d: Date | null) => (d ? shanghaiTime(d).slice(0, 16) : '-');

/** One line per draw: id, task, status, counts; a voided draw shows its reason. */
export function drawLine(d: DrawHeader): string {
  const status = `${STATUS_ZH[d.status]} ${d.status}`.padEnd(18);
  const counts = `population ${n(d.populationSize)}, selected ${n(d.counts.selected)}, team members ${n(d.counts.teamMembers)}, unstaffed ${n(d.counts.unstaffedObjects)}`;
  const extra = d.status === 'voided' ? `  作废理由 reason: ${d.voidReason}` : d.grindProof === false ? '  无信标演练 rehearsal without beacon (not grind-proof)' : '';
  return `${d.id}  ${d.taskId}  ${status} ${counts}  committed ${time(d.committedAt)}${d.drawnAt ? `, drawn ${time(d.drawnAt)}` : ''}${extra}`;
}

/** The list as JSON: id, task, status and counts, plus the public commitment and digest. */
function drawJson(d: DrawHeader) {
  return {
    id: d.id,
    taskId: d.taskId,
    taskName: d.taskName,
    status: d.status,
    populationSize: d.populationSize,
    selected: d.counts.selected,
    teamMembers: d.counts.teamMembers,
    unstaffedObjects: d.counts.unstaffedObjects,
    commitment: d.commitment,
    populationDigest: d.populationDigest,
    beacon: d.beacon,
    grindProof: d.grindProof,
    committedAt: d.committedAt,
    drawnAt: d.drawnAt,
    voidedAt: d.voidedAt,
    voidReason: d.voidReason,
  };
}

function printDraw(d: DrawHeader, json?: boolean): void {
  console.log(json ? JSON.stringify(drawJson(d), null, 2) : drawLine(d));
}

export function drawCommand(program: Command): void {
  const draw = program.command('draw').description('抽取（fd1 协议：承诺、信标、抽取、公开） / draws under protocol fd1: commit, beacon, draw, reveal');

  dbCommand(draw, 'list')
    .description('列出抽取：编号、任务、状态、数量 / list draws: id, task, status, counts')
    .option('--task <id>', '只列该任务 / only this task')
    .action(async (flags: { task?: string; db?: string; json?: boolean }) => {
      const draws = await withDb(flags.db, (db) => listDraws(db, { taskId: flags.task }), { readOnly: true });
      if (flags.json) console.log(JSON.stringify(draws.map(drawJson), null, 2));
      else if (draws.length === 0) console.log('没有抽取 / no draws');
      else for (const d of draws) console.log(drawLine(d));
    });

  dbCommand(draw, 'show')
    .description('抽取详情（不含秘密值） / one draw: strata, teams, unstaffed objects (never the secret)')
    .argument('<draw>', 'draw id')
    .action(async (id: string, flags: { db?: string; json?: boolean }) => {
      const d = await withDb(flags.db, (db) => getDraw(db, id), { readOnly: true });
      const { secret: _secret, seed: _seed, ...shown } = d;
      if (flags.json) return void console.log(JSON.stringify(shown, null, 2));
      console.log(drawLine(d));
      console.log(`commitment ${d.commitment}\npopulation_digest ${d.populationDigest}\nbeacon ${d.beacon === null ? '-' : JSON.stringify(d.beacon)}`);
      for (const s of d.strata) console.log(`  ${s.stratum.padEnd(10)} eligible ${n(s.eligible).padStart(10)}  ${s.count !== undefined ? `count ${s.count}` : `ratio ${s.ratio_bp} bp`}${s.quota !== undefined ? `  quota ${n(s.quota)}` : ''}`);
      for (const c of d.caps ?? []) console.log(`  team ${c.department.padEnd(12)} count ${c.count}, pool ${c.pool}, cap ${c.cap}`);
      for (const u of d.unstaffed ?? []) console.log(`  未配齐 unstaffed ${u.objectId} ${u.department}: ${u.reason}`);
    });

  dbCommand(draw, 'commit', { by: true })
    .description('冻结总体与人员库并提交承诺值 / freeze the population and pools, commit H(secret)')
    .argument('<task>', 'task id')
    .action(async (taskId: string, flags: { by?: string; db?: string; json?: boolean }) => {
      const d = await withDb(flags.db, (db) => commitDraw(db, taskId, { actor: cliActor(flags.by) }));
      printDraw(d, flags.json);
      if (!flags.json) {
        console.log(`commitment ${d.commitment}\npopulation_digest ${d.populationDigest}`);
        console.log(`下一步：录入承诺之后才产生的公开信标值 / next: fairdraw draw beacon ${d.id} "<public value that did not exist yet>"`);
      }
    });

  dbCommand(draw, 'beacon', { by: true })
    .description('录入公开信标值（原文记录，仅一次） / enter the public beacon value, verbatim, once')
    .argument('<draw>', 'draw id')
    .argument('<text>', '如“深证成指 2026-03-02 收盘 10234.56” / e.g. the named index close on a named date')
    .action(async (id: string, text: string, flags: { by?: string; db?: string; json?: boolean }) => {
      printDraw(await withDb(flags.db, (db) => enterBeacon(db, id, text, { actor: cliActor(flags.by) })), flags.json);
    });

  dbCommand(draw, 'run', { by: true })
    .description('执行抽取（每次抽取只运行一次） / run the draw, once: selection, exclusions, teams')
    .argument('<draw>', 'draw id')
    .option('--no-beacon', '无信标演练（记为非防操纵） / rehearsal without beacon, recorded as not grind-proof')
    .action(async (id: string, flags: { beacon: boolean; by?: string; db?: string; json?: boolean }) => {
      const d = await withDb(flags.db, (db) => runDraw(db, id, { actor: cliActor(flags.by), allowNoBeacon: flags.beacon === false }));
      printDraw(d, flags.json);
      if (!flags.json && d.counts.unstaffedObjects > 0)
        console.log(`${d.counts.unstaffedObjects} 个对象未配齐检查人员，任务开始前须处理 / objects without a full team: see fairdraw draw show ${d.id}`);
      if (d.counts.unstaffedObjects > 0) process.exitCode = 3;
    });

  dbCommand(draw, 'void', { by: true })
    .description('作废抽取（须说明理由；记录保留） / void a draw with a reason; the record stays')
    .argument('<draw>', 'draw id')
    .requiredOption('--reason <text>', '作废理由 / why')
    .action(async (id: string, flags: { reason: string; by?: string; db?: string; json?: boolean }) => {
      printDraw(await withDb(flags.db, (db) => voidDraw(db, id, { reason: flags.reason, actor: cliActor(flags.by) })), flags.json);
    });

  dbCommand(draw, 'export')
    .description('导出公开文件（fd1 第 6 节的六个文件） / write the six published files of fd1 section 6')
    .argument('<draw>', 'draw id')
    .argument('<dir>', 'output folder (created; must hold no other files)')
    .option('--internal', '检查窗口结束前导出，仅供内部核验 / export before the window closes, for internal checks only')
    .action(async (id: string, dir: string, flags: { internal?: boolean; db?: string; json?: boolean }) => {
      const result = await withDb(flags.db, (db) => exportDraw(db, id, dir, { internal: flags.internal }), { readOnly: true });
      if (flags.json) console.log(JSON.stringify(result, null, 2));
      else console.log(`${result.dir}: ${result.files.join(', ')} (population ${n(result.populationRows)}, selected ${n(result.selected)}, team members ${n(result.teamMembers)})`);
    });

  addVerifyCommand(draw);
  draw.addHelpText(
    'after',
    '\nLifecycle: task create -> draw commit TASK -> draw beacon DRAW TEXT -> draw run DRAW -> (after the window closes) draw export DRAW DIR -> draw verify DIR.\n' +
      'A draw is never re-run or deleted: draw void DRAW --reason TEXT, then commit a new draw.\n' +
      'Exit status of draw run: 0 drawn and fully staffed; 3 drawn with unstaffed objects (see draw show); 1 refused.',
  );
}
