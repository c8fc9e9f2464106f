// Checks of a file's rows against the calendar and the database that the row rules cannot make alone: records dated
// in the future (rejected: one that slipped in became the data's reference date), results dated before their entity
// was founded or before their item was in force, naming inspectors the directory does not hold or a department that
// is not the item's, random draws without their stratum's counts, abnormal-list removals with no listing (warnings:
// the rows import, the report names their lines). Each statement adds one row per finding to a problems table.
import { sql, type Sql } from '../db/sql.ts';
import type { KindDef } from './formats.ts';
import { PROBLEMS, STAGING } from './sql.ts';

/** Warnings: the same shape as the problems, but they do not stop the import. */
export const WARNINGS = sql`import_warnings`;

export const CREATE_WARNINGS_SQL = sql`CREATE OR REPLACE TEMP TABLE ${WARNINGS} (
  line_no INTEGER NOT NULL, field_pos INTEGER NOT NULL, field VARCHAR NOT NULL, value VARCHAR, reason VARCHAR NOT NULL, reason_zh VARCHAR NOT NULL)`;

interface Finding {
  /** The field the finding is about (its position orders a line's findings). */
  field: string;
  /** The staged value shown, an expression over staging `s` (and what the condition joins). */
  value: Sql;
  reason: string;
  reasonZh: string;
  /** FROM items after the staging `s` (joins), and the condition over them. */
  from?: Sql;
  where: Sql;
}

function insert(into: Sql, def: KindDef, f: Finding): Sql {
  const position = def.fields.findIndex((x) => x.name === f.field);
  return sql`INSERT INTO ${into}
SELECT DISTINCT s.line_no, ${position}, ${f.field}, CAST(${f.value} AS VARCHAR), ${f.reason}, ${f.reasonZh}
FROM ${STAGING} s ${f.from ?? sql.empty}
WHERE s.ok AND (${f.where})`;
}

/** A staged date or timestamp as the day it falls on in Asia/Shanghai (the connection's time zone). */
const day = (column: string) => sql`CAST(CAST(s.${sql.id(column)} AS TIMESTAMPTZ) AS DATE)`;

const future = (column: string, today: string): Finding => ({
  field: column,
  value: sql`s.${sql.id(column)}`,
  reason: `dated after today (${today}): a record cannot come from the future, and it would become the data's reference date`,
  reasonZh: `日期晚于今天（${today}）：记录不可能来自未来，且会成为数据的基准日期`,
  where: sql`${day(column)} > ${today}::DATE`,
});

/**
 * The checks of a kind: `reject` statements add to the import's problems (the file is refused unless --skip-invalid),
 * `warn` statements to its warnings. `today`: the import's day (YYYY-MM-DD, Asia/Shanghai).
 */
export function recordChecks(def: KindDef, today: string): { reject: Sql[]; warn: Sql[] } {
  const reject: Finding[] = [];
  const warn: Finding[] = [];
  if (def.kind === 'results') {
    reject.push(future('inspected_on', today), {
      field: 'selection',
      value: sql`concat_ws(',', s.selection, s.stratum, s.stratum_eligible, s.stratum_quota)`,
      reason: 'a random draw (selection random) gives its stratum, stratum_eligible and stratum_quota, quota at most eligible; other selections give none',
      reasonZh: '随机抽取须填写抽取分层、分层对象数和分层抽取数（抽取数不超过对象数）；其他抽取方式不填',
      where: sql`CASE WHEN s.selection = 'random'
                      THEN s.stratum IS NULL OR s.stratum_eligible IS NULL OR s.stratum_quota IS NULL
                           OR CAST(s.stratum_quota AS BIGINT) > CAST(s.stratum_eligible AS BIGINT)
                      ELSE s.stratum IS NOT NULL OR s.stratum_eligible IS NOT NULL OR s.stratum_quota IS NOT NULL END`,
    });
    warn.push(
      {
        field: 'inspected_on',
        value: sql`s.inspected_on || ' < ' || o.established_on`,
        reason: 'inspected before the entity was established',
        reasonZh: '检查日期早于主体成立日期',
        from: sql`JOIN objects o ON o.id = s.uscc`,
        where: sql`CAST(s.inspected_on AS DATE) < o.established_on`,
      },
      {
        field: 'inspected_on',
        value: sql`s.inspected_on || ' < ' || i.valid_from`,
        reason: "inspected before the item was in force (its first version's valid_from)",
        reasonZh: '检查日期早于该抽查事项生效日期',
        from: sql`JOIN (SELECT code, min(valid_from) AS valid_from FROM items GROUP BY code) i ON i.code = s.item_code`,
        where: sql`CAST(s.inspected_on AS DATE) < i.valid_from`,
      },
      {
        field: 'department_code',
        value: sql`s.department_code || ' ≠ ' || i.departments`,
        reason: "not the department of the item (no version of the item belongs to it)",
        reasonZh: '检查部门不是该抽查事项所属部门',
        from: sql`JOIN (SELECT code, string_agg(DISTINCT department_code, ';') AS departments, list(DISTINCT department_code) AS list FROM items GROUP BY code) i ON i.code = s.item_code`,
        where: sql`NOT list_contains(i.list, s.department_code)`,
      },
      {
        field: 'inspector_ids',
        value: sql`u.inspector`,
        reason: 'no inspector with this id in the inspector directory (import the inspectors first)',
        reasonZh: '执法检查人员名录中没有此人员编号（请先导入执法检查人员）',
        from: sql`, unnest(string_split(s.inspector_ids, ';')) u(inspector)`,
        where: sql`s.inspector_ids IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inspectors i WHERE i.id = u.inspector)`,
      },
    );
  }
  if (def.kind === 'complaints') reject.push(future('received_at', today));
  if (def.kind === 'credit') {
    reject.push(future('record_date', today));
    warn.push({
      field: 'record_type',
      value: sql`s.record_type || ' ' || s.record_date`,
      reason: 'a removal from the abnormal-operation list with no listing of the entity on or before it (in this file or the database)',
      reasonZh: '移出经营异常名录，但此前（本文件或数据库中）没有列入记录',
      where: sql`s.record_type = 'abnormal_removal'
        AND NOT EXISTS (SELECT 1 FROM ${STAGING} l WHERE l.ok AND l.uscc = s.uscc AND l.record_type = 'abnormal_listing' AND l.record_date <= s.record_date)
        AND NOT EXISTS (SELECT 1 FROM credit_records c WHERE c.object_id = s.uscc AND c.record_type = 'abnormal_listing'
                          AND c.record_date <= CAST(s.record_date AS DATE))`,
    });
  }
  return { reject: reject.map((f) => insert(PROBLEMS, def, f)), warn: warn.map((f) => insert(WARNINGS, def, f)) };
}
