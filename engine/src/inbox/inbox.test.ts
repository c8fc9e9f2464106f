// The inbox per role over a drawn SAMR draw past its publication deadline: a leader sees approvals and high alerts no task
// answers, an operator the tasks its department may commit; a leader's special task from an alert clears that alert.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../db/sql.ts';
import type { Db } from '../db/duckdb.ts';
import type { Principal } from '../auth/roles.ts';
import { createTask } from '../draw/tasks.ts';
import { cloneTemplate, resultsTemplate, SAMR_OPERATOR, TAX_OPERATOR, WINDOW, type ResultsTemplate } from '../results/results.fixture.ts';
import type { AlertView } from '../alerts/schemas.ts';
import { inboxFor } from './inbox.ts';

const LEADER: Principal = { username: 't-leader', role: 'leader', department: null };
const ANALYST: Principal = { username: 't-analyst', role: 'analyst', department: null };

/** Just the fields the inbox reads of an alert. */
function alert(id: string, severity: AlertView['severity']): AlertView {
  const [kind, regionCode, industryCode] = id.split(':');
  return {
    id, kind: kind as AlertView['kind'], level: 'district', regionCode, regionName: { zh: '罗湖区', en: 'Luohu' }, cityCode: '440300', cityName: { zh: '深圳市', en: 'Shenzhen' },
    industryCode, industryName: { zh: '住宿和餐饮业', en: 'Accommodation and catering' }, window: { from: '2026-01-03', to: '2026-02-27', weeks: 8 },
    observed: 41, expected: 12.5, ratio: 3.28, baselineCount: 100, pValue: 1e-13, qValue: 3.5e-12, severity, items: ['SAMR-005'], series: [],
  };
}
const ALERTS = [alert('complaints:440303:H', 'high'), alert('complaints:440304:F', 'medium')];

describe('inbox', () => {
  let template: ResultsTemplate;
  let t: Awaited<ReturnType<typeof cloneTemplate>>;
  let db: Db;
  beforeAll(async () => {
    template = await resultsTemplate();
  });
  afterAll(() => template.cleanup());
  afterEach(() => t.cleanup());

  const inbox = (caller: Principal) => inboxFor({ q: db, caller, alerts: async () => ALERTS });
  const sources = async (caller: Principal) => (await inbox(caller)).items.map((i) => `${i.source} ${i.subject}`);

  it('lists per role what needs the person, each with the page it is dealt on', async () => {
    t = await cloneTemplate(template);
    db = t.db;
    const draw = template.draw;
    const { n } = (await db.one<{ n: number }>(sql`SELECT count(*)::INTEGER AS n FROM draw_teams WHERE draw_id = ${draw.id} AND department_code = 'SAMR'`))!;
    expect(n).toBeGreaterThan(0);

    const leader = await inbox(LEADER);
    const alertItem = leader.items.find((i) => i.source === 'alert');
    expect(alertItem).toMatchObject({ subject: 'complaints:440303:H', href: '/alerts?alert=complaints%3A440303%3AH', title: { zh: '深圳市罗湖区 × 住宿和餐饮业' }, count: 41 });
    expect(leader.items.filter((i) => i.source === 'alert')).toHaveLength(1); // the medium alert is not listed
    // The draw's window closed in 2026-06: its unpublished results are overdue (one item for the draw, every object x item).
    const overdue = leader.items.find((i) => i.source === 'results_overdue');
    const { open } = (await db.one<{ open: number }>(sql`SELECT count(*)::INTEGER AS open FROM draw_selection s, task_items ti WHERE s.draw_id = ${draw.id} AND ti.task_id = ${draw.taskId}`))!;
    expect(overdue).toMatchObject({ subject: draw.id, href: `/results?drawId=${draw.id}`, count: open });
    expect(await sources(ANALYST)).toEqual(['alert complaints:440303:H']);
    expect(await sources(TAX_OPERATOR)).toEqual([]);

    const { planId } = (await db.one<{ planId: string }>(sql`SELECT plan_id AS "planId" FROM tasks WHERE id = ${draw.taskId}`))!;
    const base = { planId, items: ['SAMR-002'], scope: { regions: ['440303'], industries: ['H'] }, ...WINDOW };
    const proposed = await createTask(db, { ...base, kind: 'special', name: '罗湖区餐饮投诉上升专项抽查', createdBy: 't-analyst' });
    expect(await sources(LEADER)).toContain(`approval ${proposed.id}`);
    expect(await sources(SAMR_OPERATOR)).not.toContain(`ready_to_commit ${proposed.id}`);

    const evidence = { alertId: 'complaints:440303:H', kind: 'complaints' as const, regionCode: '440303', industryCode: 'H', asOf: '2026-02-27', windowFrom: '2026-01-03', windowTo: '2026-02-27', observed: 41, expected: 12.5, ratio: 3.28, qValue: 3.5e-12, severity: 'high' as const };
    const raised = await createTask(db, { ...base, kind: 'special', name: '专项抽查：罗湖区 × 住宿和餐饮业', alert: evidence, createdBy: 't-leader' }, { approvedBy: 't-leader' });
    expect(raised).toMatchObject({ status: 'ready', approvedBy: 't-leader', publicName: '2026年罗湖区住宿和餐饮业专项抽查' });
    const after = await sources(LEADER);
    expect(after.filter((s) => s.startsWith('alert'))).toEqual([]);
    expect(after).not.toContain(`approval ${raised.id}`);
    const operator = await inbox(SAMR_OPERATOR);
    expect(operator.items.find((i) => i.subject === raised.id)).toMatchObject({ source: 'ready_to_commit', href: `/tasks/${raised.id}` });
    expect(await sources(TAX_OPERATOR)).toEqual([]);
  });
});
