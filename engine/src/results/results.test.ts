import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/duckdb.ts';
import { sql } from '../db/sql.ts';
import type { Principal } from '../auth/roles.ts';
import { verifyAudit } from '../audit/chain.ts';
import { computeFeatures } from '../risk/features.ts';
import { WorkCalendar } from '../reference/load.ts';
import type { DrawHeader } from '../draw/lifecycle.ts';
import { INSPECTOR_MASK } from '../publish/redact.ts';
import { searchPublicResults } from '../publish/portal.ts';
import { publicationDueOn } from './deadline.ts';
import {
  correctResult,
  deadlineReport,
  enterResult,
  listAssignments,
  publishDrawResults,
  publishResult,
  resultHistory,
  reviewFindings,
  ResultForbiddenError,
  ResultInputError,
  ResultNotFoundError,
  ResultStateError,
  type ResultKey,
} from './results.ts';
import { ADMIN, cloneTemplate, IN_WINDOW, resultsTemplate, SAMR_OPERATOR, staffedObject, TAX_OPERATOR, type ResultsTemplate } from './results.fixture.ts';

const SAMR_OPERATOR_2: Principal = { username: 't-op-samr-2', role: 'operator', department: 'SAMR' };
const at = (iso: string) => new Date(`${iso}+08:00`);

describe('results entry', () => {
  let template: ResultsTemplate;
  let t: Awaited<ReturnType<typeof cloneTemplate>>;
  let db: Db;
  let draw: DrawHeader;
  let key: ResultKey;
  beforeAll(async () => {
    template = await resultsTemplate();
    draw = template.draw;
  });
  afterAll(() => template.cleanup());
  beforeEach(async () => {
    t = await cloneTemplate(template);
    db = t.db;
    key = { drawId: draw.id, objectId: (await staffedObject(db, draw.id)).id, itemCode: 'SAMR-001' };
  });
  afterEach(() => t.cleanup());

  it('enter, correct twice: the history shows who, when, why, before and after; every change audited', async () => {
    const entered = await enterResult(db, key, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: at('2026-05-06T16:00:00') });
    expect(entered).toMatchObject({ version: 1, departmentCode: 'SAMR', outcomeCode: 'NO_PROBLEM', findings: null, findingsReview: null, enteredBy: 't-op-samr', publishedAt: null });
    await correctResult(db, key, { outcomeCode: 'FIXED', findings: '年度报告中从业人数与实际不符，已责令改正', reason: '复核检查记录后更正' }, { actor: SAMR_OPERATOR_2, now: at('2026-05-08T09:30:00') });
    const second = await correctResult(db, key, { inspectedOn: '2026-05-07', reason: '检查日期录错' }, { actor: SAMR_OPERATOR, now: at('2026-05-11T11:00:00') });
    expect(second).toMatchObject({ version: 3, outcomeCode: 'FIXED', inspectedOn: '2026-05-07', findingsReview: 'pending', updatedBy: 't-op-samr', enteredBy: 't-op-samr' });

    const { result, history } = await resultHistory(db, key);
    expect(result).toEqual(second);
    expect(history.map((h) => [h.version, h.change, h.changedBy, h.changedAt.toISOString(), h.reason])).toEqual([
      [1, 'enter', 't-op-samr', '2026-05-06T08:00:00.000Z', null],
      [2, 'correct', 't-op-samr-2', '2026-05-08T01:30:00.000Z', '复核检查记录后更正'],
      [3, 'correct', 't-op-samr', '2026-05-11T03:00:00.000Z', '检查日期录错'],
    ]);
    expect(history[0].before).toBeNull();
    expect(history[0].after).toMatchObject({ outcomeCode: 'NO_PROBLEM', findings: null, inspectedOn: '2026-05-06' });
    expect(history[1].before).toEqual(history[0].after);
    expect(history[1].after).toMatchObject({ outcomeCode: 'FIXED', findings: '年度报告中从业人数与实际不符，已责令改正', findingsReview: 'pending', inspectedOn: '2026-05-06' });
    expect(history[2].before).toEqual(history[1].after);
    expect(history[2].after).toMatchObject({ outcomeCode: 'FIXED', inspectedOn: '2026-05-07' });
    expect(history[2].after.dueOn).not.toBe(history[2].before!.dueOn);

    const audit = await db.query<{ action: string; actor: string; subject: string }>(sql`SELECT action, actor, subject FROM audit_log WHERE action LIKE 'result.%' ORDER BY seq`);
    expect(audit).toEqual([
      { action: 'result.enter', actor: 't-op-samr', subject: result.id },
      { action: 'result.correct', actor: 't-op-samr-2', subject: result.id },
      { action: 'result.correct', actor: 't-op-samr', subject: result.id },
    ]);
    expect(await verifyAudit(db)).toMatchObject({ ok: true });
  });

  it('due date: inspection date + 20 working days on the holiday calendar', async () => {
    const calendar = await WorkCalendar.fromDb(db);
    const r = await enterResult(db, key, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-04-28' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    // 劳动节 2026 falls inside: the due date is later than 20 plain weekdays.
    expect(r.dueOn).toBe(publicationDueOn(calendar, '2026-04-28'));
    expect(r.dueOn > publicationDueOn(new WorkCalendar([]), '2026-04-28')).toBe(true);
  });

  it('only the inspecting department enters: another department, a leader, a non-selected object or a foreign item are refused', async () => {
    const entry = { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' };
    await expect(enterResult(db, key, entry, { actor: TAX_OPERATOR, now: IN_WINDOW })).rejects.toBeInstanceOf(ResultForbiddenError);
    await expect(enterResult(db, key, entry, { actor: { username: 'l', role: 'leader', department: null }, now: IN_WINDOW })).rejects.toBeInstanceOf(ResultForbiddenError);
    const notSelected = (await db.one<{ id: string }>(sql`SELECT id FROM objects WHERE id NOT IN (SELECT object_id FROM draw_selection) LIMIT 1`))!.id;
    await expect(enterResult(db, { ...key, objectId: notSelected }, entry, { actor: SAMR_OPERATOR, now: IN_WINDOW })).rejects.toBeInstanceOf(ResultNotFoundError);
    await expect(enterResult(db, { ...key, itemCode: 'TAX-001' }, entry, { actor: TAX_OPERATOR, now: IN_WINDOW })).rejects.toBeInstanceOf(ResultNotFoundError);
    await expect(enterResult(db, { ...key, drawId: 'D2026-9999' }, entry, { actor: SAMR_OPERATOR, now: IN_WINDOW })).rejects.toThrow(/does not exist/);
    expect(await db.one(sql`SELECT count(*) AS n FROM draw_results`)).toEqual({ n: 0 });

    await enterResult(db, key, entry, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    await expect(correctResult(db, key, { outcomeCode: 'FIXED', reason: '税务改的' }, { actor: TAX_OPERATOR, now: IN_WINDOW })).rejects.toBeInstanceOf(ResultForbiddenError);
    await expect(publishResult(db, key, { actor: TAX_OPERATOR, now: IN_WINDOW })).rejects.toBeInstanceOf(ResultForbiddenError);
    // An admin may do anything.
    await expect(correctResult(db, key, { outcomeCode: 'FIXED', reason: '管理员更正' }, { actor: ADMIN, now: IN_WINDOW })).resolves.toMatchObject({ version: 2 });
  });

  it('rejects what a user can fix, naming field, value and rule; no double entry, no empty correction', async () => {
    const actor = { actor: SAMR_OPERATOR, now: IN_WINDOW };
    const err = await enterResult(db, key, { outcomeCode: 'OK', inspectedOn: '2026-05-06' }, actor).catch((e) => e);
    expect(err).toBeInstanceOf(ResultInputError);
    expect(err.message).toMatch(/outcomeCode = "OK".*NO_PROBLEM/);
    await expect(enterResult(db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-03-31' }, actor)).rejects.toThrow(/inspectedOn = "2026-03-31".*window/);
    await expect(enterResult(db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-05-21' }, actor)).rejects.toThrow(/future/);
    await expect(enterResult(db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-02-30' }, actor)).rejects.toThrow(/YYYY-MM-DD/);
    await enterResult(db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-05-06' }, actor);
    await expect(enterResult(db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-05-06' }, actor)).rejects.toBeInstanceOf(ResultStateError);
    await expect(correctResult(db, key, { outcomeCode: 'PENDING', reason: ' ' }, actor)).rejects.toThrow(/reason/);
    await expect(correctResult(db, key, { outcomeCode: 'FIXED', reason: '没有改动' }, actor)).rejects.toThrow(/changes nothing/);
    await expect(reviewFindings(db, key, { decision: 'approved' }, actor)).rejects.toBeInstanceOf(ResultStateError);
  });

  it('findings flow into inspection_results (source entry, task_ref = draw) and the entity features of its next score', async () => {
    const features = async () =>
      (await computeFeatures(db, { asOf: '2026-06-30', population: { predicate: sql`o.id = ${key.objectId}` }, into: 'f_test' }),
      (await db.one<{ inspections: number; findings: number }>(sql`SELECT prior_inspections AS inspections, prior_findings AS findings FROM f_test`))!);
    const before = await features();
    await enterResult(db, key, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const teamIds = (await db.query<{ inspector_id: string }>(sql`SELECT inspector_id FROM draw_teams WHERE draw_id = ${key.drawId} AND object_id = ${key.objectId} ORDER BY position`)).map((r) => r.inspector_id);
    expect(await db.query(sql`SELECT object_id, inspected_on, department_code, item_code, outcome_code, inspector_ids, task_ref, source FROM inspection_results WHERE source = 'entry'`)).toEqual([
      { object_id: key.objectId, inspected_on: '2026-05-06', department_code: 'SAMR', item_code: 'SAMR-001', outcome_code: 'NO_PROBLEM', inspector_ids: teamIds, task_ref: key.drawId, source: 'entry' },
    ]);
    const inspected = await features();
    expect(inspected.inspections).toBe(before.inspections + 1);
    expect(inspected.findings).toBe(before.findings);

    await correctResult(db, key, { outcomeCode: 'FIXED', findings: '未按规定公示', reason: '复核' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    expect(await db.one(sql`SELECT outcome_code, findings FROM inspection_results WHERE source = 'entry'`)).toEqual({ outcome_code: 'FIXED', findings: '未按规定公示' });
    const found = await features();
    expect(found.inspections).toBe(before.inspections + 1);
    expect(found.findings).toBe(before.findings + 1);
  });

  it('publication: a redacted snapshot; free text only once approved; every redaction logged; corrections refresh it', async () => {
    const inspector = (await db.one<{ name: string }>(sql`SELECT i.name FROM draw_teams t JOIN inspectors i ON i.id = t.inspector_id WHERE t.draw_id = ${key.drawId} AND t.object_id = ${key.objectId} ORDER BY t.position LIMIT 1`))!.name;
    await db.exec(sql`UPDATE objects SET name = '深圳市福田区张三明便利店', entity_type = 'individual', legal_representative = '张三明' WHERE id = ${key.objectId}`);
    const actor = { actor: SAMR_OPERATOR, now: IN_WINDOW };
    await enterResult(db, key, { outcomeCode: 'FIXED', findings: `${inspector}现场检查，经营者张三明未公示年报，进货渠道为某某商贸`, inspectedOn: '2026-05-06' }, actor);
    await publishResult(db, key, actor);
    await expect(publishResult(db, key, actor)).rejects.toBeInstanceOf(ResultStateError);

    const snapshot = () => db.one<Record<string, unknown>>(sql`SELECT * FROM public_results`);
    expect(await snapshot()).toMatchObject({ object_id: key.objectId, entity_name: '深圳市福田区张*明便利店', outcome_code: 'FIXED', outcome_name_zh: '发现问题已责令改正', findings: null, version: 2 });
    const row = JSON.stringify(await snapshot());
    expect(row).not.toContain('张三明');
    expect(row).not.toContain(inspector);

    const review = { decision: 'approved' as const, publicText: `${[...inspector].join(' ')}现场检查，经营者张 三明未公示年报`, note: '删去进货渠道（商业秘密）' };
    // four eyes: whoever entered the result does not approve its free text
    await expect(reviewFindings(db, key, review, actor)).rejects.toMatchObject({ code: 'result.four_eyes' });
    await reviewFindings(db, key, review, { actor: SAMR_OPERATOR_2, now: IN_WINDOW });
    // names are found with spaces put inside them
    expect((await snapshot())!.findings).toBe(`${INSPECTOR_MASK}现场检查，经营者张*明未公示年报`);

    await correctResult(db, key, { findings: '经营者张三明未公示年报，已当场责令改正', reason: '补充说明' }, actor);
    expect(await snapshot()).toMatchObject({ findings: null, version: 4 });

    expect(await db.query(sql`SELECT version, field, rule, occurrences FROM redaction_log ORDER BY version, field, rule`)).toEqual([
      { version: 2, field: 'entity_name', rule: 'individual_operator_name', occurrences: 1 },
      { version: 2, field: 'findings', rule: 'findings_not_reviewed', occurrences: 1 },
      { version: 2, field: 'legal_representative', rule: 'legal_representative_omitted', occurrences: 1 },
      { version: 3, field: 'entity_name', rule: 'individual_operator_name', occurrences: 1 },
      { version: 3, field: 'findings', rule: 'inspector_name', occurrences: 1 },
      { version: 3, field: 'findings', rule: 'person_name', occurrences: 1 },
      { version: 3, field: 'legal_representative', rule: 'legal_representative_omitted', occurrences: 1 },
      { version: 4, field: 'entity_name', rule: 'individual_operator_name', occurrences: 1 },
      { version: 4, field: 'findings', rule: 'findings_not_reviewed', occurrences: 1 },
      { version: 4, field: 'legal_representative', rule: 'legal_representative_omitted', occurrences: 1 },
    ]);
    const publishAudit = JSON.parse((await db.one<{ payload: string }>(sql`SELECT payload::VARCHAR AS payload FROM audit_log WHERE action = 'result.publish'`))!.payload);
    expect(publishAudit.redactions).toEqual(expect.arrayContaining([{ field: 'entity_name', rule: 'individual_operator_name', occurrences: 1 }]));
  });

  it('blocks approval and publication of free text holding personal data, and publication by whoever entered it', async () => {
    const actor = { actor: SAMR_OPERATOR, now: IN_WINDOW };
    const reviewer = { actor: SAMR_OPERATOR_2, now: IN_WINDOW };
    await enterResult(db, key, { outcomeCode: 'FIXED', findings: '经营者电话 138 0013 8000，家住福田区福华路12号3栋401室', inspectedOn: '2026-05-06' }, actor);
    for (const [publicText, kinds] of [
      ['经营者电话 138 0013 8000', 'phone'],
      ['经营者身份证号 110101199003074514', 'id_card'],
      ['罚款转入 4111 1111 1111 1111', 'bank_card'],
      ['经营者家住福田区福华路12号3栋401室', 'address'],
    ])
      await expect(reviewFindings(db, key, { decision: 'approved', publicText }, reviewer)).rejects.toMatchObject({ code: 'result.personal_data', params: { kinds } });
    await reviewFindings(db, key, { decision: 'approved', publicText: '未按规定亮照经营，已责令改正' }, reviewer);
    await expect(publishResult(db, key, actor)).rejects.toMatchObject({ code: 'result.four_eyes' });
    await expect(publishResult(db, key, reviewer)).resolves.toMatchObject({ publishedBy: SAMR_OPERATOR_2.username });
  });

  it('assignments and the deadline report: not entered, entered, published, overdue and due soon', async () => {
    const all = await listAssignments(db, { department: 'SAMR', now: IN_WINDOW, limit: 100 });
    expect(all.total).toBe(draw.counts.selected * 2); // every selected object is staffed by SAMR; two SAMR items
    expect(all.assignments.every((a) => a.state === 'not_entered' && a.dueIsLatest)).toBe(true);
    expect(await listAssignments(db, { department: 'TAX', now: IN_WINDOW })).toMatchObject({ total: 0, assignments: [] });

    await enterResult(db, key, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    const other: ResultKey = { ...key, itemCode: 'SAMR-002' };
    await enterResult(db, other, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-18' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    await publishResult(db, other, { actor: SAMR_OPERATOR, now: IN_WINDOW });

    const entered = await listAssignments(db, { department: 'SAMR', state: 'entered', now: IN_WINDOW });
    expect(entered.total).toBe(1);
    expect(entered.assignments[0]).toMatchObject({ ...key, state: 'entered', dueIsLatest: false, deadline: 'open', inspectedOn: '2026-05-06' });
    expect((await listAssignments(db, { department: 'SAMR', state: 'published', now: IN_WINDOW })).assignments[0]).toMatchObject({ ...other, deadline: 'published_on_time' });
    // Unsorted, the work comes first: to enter, then to publish, then the published.
    const states = (await listAssignments(db, { department: 'SAMR', limit: 1000, now: IN_WINDOW })).assignments.map((a) => a.state);
    expect(states.at(-2)).toBe('entered');
    expect(states.at(-1)).toBe('published');
    expect(states.slice(0, -2).every((state) => state === 'not_entered')).toBe(true);
    const page = await listAssignments(db, { department: 'SAMR', limit: 5, offset: 35, now: IN_WINDOW });
    expect(page.total).toBe(all.total);
    // Ordered on the server over the whole list, not page by page: by state, the two results first when descending
    // (published > not_entered > entered backwards), by inspection date with the undated last either way.
    const byState = await listAssignments(db, { department: 'SAMR', sort: 'state', direction: 'descending', limit: 2, now: IN_WINDOW });
    expect(byState.assignments.map((a) => a.state)).toEqual(['published', 'not_entered']);
    const byDate = await listAssignments(db, { department: 'SAMR', sort: 'inspectedOn', direction: 'descending', limit: 3, now: IN_WINDOW });
    expect(byDate.assignments.map((a) => a.inspectedOn)).toEqual(['2026-05-18', '2026-05-06', null]);
    const byName = await listAssignments(db, { department: 'SAMR', sort: 'objectName', limit: 100, now: IN_WINDOW });
    const names = byName.assignments.map((a) => a.objectName);
    expect(names).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(page.assignments).toHaveLength(Math.max(0, Math.min(5, all.total - 35)));

    const dueOn = entered.assignments[0].dueOn;
    const calendar = await WorkCalendar.fromDb(db);
    const soon = await deadlineReport(db, { department: 'SAMR', now: at(`${calendar.addWorkingDays(dueOn, -2)}T09:00:00`) });
    expect(soon.dueSoon.map((a) => a.itemCode)).toEqual(['SAMR-001']);
    expect(soon.overdue).toEqual([]);
    const late = await deadlineReport(db, { department: 'SAMR', now: at('2026-08-10T09:00:00') });
    expect(late.counts).toEqual({ overdue: all.total - 1, dueSoon: 0, open: 0, publishedOnTime: 1, publishedLate: 0 });
    expect(late.overdue[0]).toMatchObject({ ...key, state: 'entered', dueOn });
    expect(late.overdue.slice(1).every((a) => a.state === 'not_entered' && a.dueOn === '2026-07-28')).toBe(true);
  });

  it('publishes every entered result of a draw for the department at once', async () => {
    const objects = await db.query<{ object_id: string }>(sql`SELECT object_id FROM draw_selection WHERE draw_id = ${draw.id} ORDER BY draw_order LIMIT 3`);
    for (const o of objects) await enterResult(db, { drawId: draw.id, objectId: o.object_id, itemCode: 'SAMR-001' }, { outcomeCode: 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    expect(await publishDrawResults(db, draw.id, { actor: TAX_OPERATOR, now: IN_WINDOW })).toEqual([]);
    const published = await publishDrawResults(db, draw.id, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    expect(published.map((r) => r.objectId).sort()).toEqual(objects.map((o) => o.object_id).sort());
    expect(await db.one(sql`SELECT count(*) AS n FROM public_results`)).toEqual({ n: 3 });
    expect(await publishDrawResults(db, draw.id, { actor: SAMR_OPERATOR, now: IN_WINDOW })).toEqual([]);
  });

  it('public search: by code exactly, by part of the public name (Chinese or Latin, case-insensitive), by department; counts over all matches', async () => {
    const objects = (await db.query<{ object_id: string }>(sql`SELECT object_id FROM draw_selection WHERE draw_id = ${draw.id} ORDER BY draw_order LIMIT 3`)).map((r) => r.object_id);
    await db.exec(sql`UPDATE objects SET name = 'John Smith Coffee', entity_type = 'individual', legal_representative = 'John Smith' WHERE id = ${objects[0]}`);
    await db.exec(sql`UPDATE objects SET name = '深圳市欧阳娜娜美甲店', entity_type = 'individual', legal_representative = '欧阳娜娜' WHERE id = ${objects[1]}`);
    for (const [i, objectId] of objects.entries())
      await enterResult(db, { drawId: draw.id, objectId, itemCode: 'SAMR-001' }, { outcomeCode: i === 2 ? 'FIXED' : 'NO_PROBLEM', inspectedOn: '2026-05-06' }, { actor: SAMR_OPERATOR, now: IN_WINDOW });
    await publishDrawResults(db, draw.id, { actor: SAMR_OPERATOR, now: IN_WINDOW });

    const latin = await searchPublicResults(db, { q: 'COFFEE' });
    expect(latin.results.map((r) => [r.objectId, r.entityName])).toEqual([[objects[0], 'J*** S**** Coffee']]);
    expect((await searchPublicResults(db, { q: 'john smith' })).total).toBe(0);
    expect((await searchPublicResults(db, { q: '美甲店' })).results.map((r) => r.entityName)).toEqual(['深圳市欧阳*娜美甲店']);
    expect((await searchPublicResults(db, { q: objects[2].toLowerCase() })).results.map((r) => r.objectId)).toEqual([objects[2]]);
    // A code is counted and paged from its rows: the same answer shape as any other search.
    expect(await searchPublicResults(db, { q: objects[2], offset: 1 })).toMatchObject({ total: 1, findings: 1, results: [], byOutcome: [{ code: 'FIXED', results: 1, isFinding: true }] });
    expect((await searchPublicResults(db, { q: objects[2], department: 'TAX' })).total).toBe(0);
    expect((await searchPublicResults(db, { q: objects[2], department: 'SAMR', itemCode: 'SAMR-001' })).total).toBe(1);
    const all = await searchPublicResults(db, { department: 'SAMR', limit: 2 });
    expect(all).toMatchObject({ total: 3, findings: 1, limit: 2, offset: 0 });
    expect(all.results).toHaveLength(2);
    expect(all.byOutcome.map((o) => [o.code, o.results])).toEqual([['NO_PROBLEM', 2], ['FIXED', 1]]);
    expect((await searchPublicResults(db, { department: 'TAX' })).total).toBe(0);
    expect((await searchPublicResults(db, { limit: 1000 })).limit).toBe(100);
  });
});
