// The SQL of an import, built from a kind's column definitions: the staging tables, the checks that need the
// whole file or the database (duplicate ids, unknown entities), the new/changed/same comparison and the writes.
import { sql, type Sql } from '../db/sql.ts';
import type { FieldDef, FieldType, Kind, KindDef } from './formats.ts';
import type { SourceTable } from '../kernel/derived.ts';

// The import's temporary tables, on its own connection.
export const STAGING = sql`import_staging`;
export const PROBLEMS = sql`import_problems`;
export const READY = sql`import_ready`;

/** Columns every target row of a kind gets regardless of the file. */
const CONSTANTS: Partial<Record<Kind, Record<string, Sql>>> = {
  entities: { object_kind: sql`'entity'` },
  results: { source: sql`'import'` },
};
/** Tables whose rows carry updated_at, set only when a row is inserted or really changes. */
const TOUCHED: Partial<Record<Kind, string>> = { entities: 'updated_at', inspectors: 'updated_at' };

/** One row per file row: its line, whether it passed the row rules, and every field as normalised text. */
export function createStagingSql(def: KindDef): Sql {
  const columns = sql.join(def.fields.map((f) => sql`${sql.id(f.name)} VARCHAR`));
  return sql`CREATE OR REPLACE TEMP TABLE ${STAGING} (line_no INTEGER NOT NULL, ok BOOLEAN NOT NULL, ${columns})`;
}

/** One row per problem found: its line, the field (its position orders a line's problems) and the reason. */
export const CREATE_PROBLEMS_SQL = sql`CREATE OR REPLACE TEMP TABLE ${PROBLEMS} (
  line_no INTEGER NOT NULL, field_pos INTEGER NOT NULL, field VARCHAR NOT NULL, value VARCHAR, reason VARCHAR NOT NULL, reason_zh VARCHAR NOT NULL)`;

// Drops the import's temporary tables.
export const DROP_SQL = sql`DROP TABLE IF EXISTS ${READY}; DROP TABLE IF EXISTS ${STAGING}; DROP TABLE IF EXISTS ${PROBLEMS};`;

const keyFields = (def: KindDef) => def.fields.filter((f) => f.key);
const targetColumn = (f: FieldDef) => (f.column === undefined ? f.name : f.column);

/** Repeats of a natural id within the file: one problem per later row, naming the line of the first. */
export function duplicatesSql(def: KindDef): Sql {
  const keys = keyFields(def);
  const first = keys[0];
  const pos = def.fields.indexOf(first);
  const keyList = sql.join(keys.map((k) => sql.id(k.name)));
  const shown = sql.join(keys.map((k) => sql`s.${sql.id(k.name)}`), ` || ' / ' || `);
  const label = keys.map((k) => k.name).join(' + ');
  const labelZh = keys.map((k) => k.zh[0]).join('+');
  // one row per repeated natural id in the file: the later line, and the line it first appeared on
  return sql`INSERT INTO ${PROBLEMS}
SELECT s.line_no, ${pos}, ${first.name}, ${shown},
       format(${`duplicate ${label}: first on line {}`}, d.first_line),
       format(${`${labelZh}重复：首次出现在第{}行`}, d.first_line)
FROM ${STAGING} s
JOIN (SELECT ${keyList}, min(line_no) AS first_line
      FROM ${STAGING}
      WHERE ${sql.join(keys.map((k) => sql`${sql.id(k.name)} IS NOT NULL`), ' AND ')}
      GROUP BY ${keyList} HAVING count(*) > 1) d USING (${keyList})
WHERE s.line_no > d.first_line`;
}

/** Rows that name an entity by USCC: it must already be in the object directory. */
export function unknownEntitySql(def: KindDef): Sql | undefined {
  if (def.kind === 'entities' || def.kind === 'inspectors' || def.kind === 'items') return undefined;
  const pos = def.fields.findIndex((f) => f.name === 'uscc');
  // one row per valid file row whose USCC names no object in the directory
  return sql`INSERT INTO ${PROBLEMS}
SELECT s.line_no, ${pos}, 'uscc', s.uscc,
       'no entity with this USCC in the object directory; import the entities first',
       '市场主体名录中没有此统一社会信用代码；请先导入市场主体名录'
FROM ${STAGING} s
WHERE s.ok AND s.uscc IS NOT NULL AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.id = s.uscc)`;
}

/** Results entered in Fairdraw belong to the inspecting department: an import never overwrites them. */
export function enteredResultsSql(def: KindDef): Sql | undefined {
  if (def.kind !== 'results') return undefined;
  // one row per valid file row whose result_id is a result entered in Fairdraw
  return sql`INSERT INTO ${PROBLEMS}
SELECT s.line_no, 0, 'result_id', s.result_id,
       'a result with this id was entered in Fairdraw (source entry); an import may not overwrite it',
       '该结果编号为系统内录入的结果，导入不能覆盖'
FROM ${STAGING} s JOIN inspection_results r ON r.result_id = s.result_id
WHERE s.ok AND r.source = 'entry'`;
}

/** A staged text value cast to its target type. */
function typed(spec: FieldType, column: Sql): Sql {
  switch (spec.type) {
    case 'date':
      return sql`CAST(${column} AS DATE)`;
    case 'timestamp':
      return sql`CAST(${column} AS TIMESTAMPTZ)`;
    case 'bool':
      return sql`CAST(${column} AS BOOLEAN)`;
    case 'decimal':
      // a type's precision and scale cannot be parameters
      return sql`CAST(${column} AS DECIMAL(${sql.literal(spec.precision)}, ${sql.literal(spec.scale)}))`;
    case 'integer':
      return sql`CAST(${column} AS INTEGER)`;
    case 'list':
      return sql`coalesce(string_split(${column}, ';'), []::VARCHAR[])`;
    default:
      return column;
  }
}

/** Target columns a kind writes, with the expression each takes from the typed file row. */
function writtenColumns(def: KindDef): Array<{ column: string; field?: FieldDef }> {
  const columns: Array<{ column: string; field?: FieldDef }> = [];
  for (const f of def.fields) {
    const column = targetColumn(f);
    if (column !== null) columns.push({ column, field: f });
  }
  for (const column of Object.keys(CONSTANTS[def.kind] ?? {})) columns.push({ column });
  return columns;
}

/**
 * The valid rows typed as the target table, each marked new (id not stored), changed (stored, some column
 * differs) or same. Set-like lists compare as sets. One row per valid file row.
 */
export function readySql(def: KindDef): Sql {
  const select: Sql[] = [sql`line_no`];
  for (const f of def.fields) select.push(sql`${typed(f.spec, sql.id(f.name))} AS ${sql.id(targetColumn(f) ?? f.name)}`);
  for (const [column, value] of Object.entries(CONSTANTS[def.kind] ?? {})) select.push(sql`${value} AS ${sql.id(column)}`);
  const keys = keyFields(def).map((f) => targetColumn(f)!);
  const differs: Sql[] = [];
  for (const { column, field } of writtenColumns(def)) {
    if (keys.includes(column)) continue;
    const stored = field?.spec.type === 'list' && field.spec.sorted ? sql`list_sort(t.${sql.id(column)})` : sql`t.${sql.id(column)}`;
    differs.push(sql`${stored} IS DISTINCT FROM s.${sql.id(column)}`);
  }
  let conflictsJoin = sql.empty;
  if (def.kind === 'inspectors') {
    conflictsJoin = sql`
LEFT JOIN (SELECT inspector_id,
                  list_sort(list(object_id) FILTER (WHERE declared_by = 'inspector')) AS declared,
                  list_sort(list(object_id) FILTER (WHERE declared_by = 'object')) AS reported
           FROM conflicts GROUP BY inspector_id) c ON c.inspector_id = s.id`;
    differs.push(sql`coalesce(c.declared, []::VARCHAR[]) IS DISTINCT FROM s.conflicts_declared`);
    differs.push(sql`coalesce(c.reported, []::VARCHAR[]) IS DISTINCT FROM s.conflicts_reported`);
  }
  // one row per valid file row, typed as the kind's table, with change = new | changed | same against the stored row
  return sql`CREATE OR REPLACE TEMP TABLE ${READY} AS
SELECT s.*,
       CASE WHEN t.${sql.id(keys[0])} IS NULL THEN 'new'
            WHEN ${sql.join(differs, '\n              OR ')} THEN 'changed'
            ELSE 'same' END AS change
FROM (SELECT ${sql.join(select)}
      FROM ${STAGING}
      WHERE ok AND line_no NOT IN (SELECT line_no FROM ${PROBLEMS})) s
LEFT JOIN ${sql.id(def.table)} t ON ${keyMatch(keys, sql`s`)}${conflictsJoin}`;
}

/** t.key = other.key for every key column. */
const keyMatch = (keys: string[], other: Sql) => sql.join(keys.map((k) => sql`t.${sql.id(k)} = ${other}.${sql.id(k)}`), ' AND ');

// How many valid rows are new, changed and the same: one row.
export const COUNT_CHANGES_SQL = sql`SELECT count(*) FILTER (WHERE change = 'new') AS accepted,
       count(*) FILTER (WHERE change = 'changed') AS updated,
       count(*) FILTER (WHERE change = 'same') AS unchanged
FROM ${READY}`;

/** Inserts new rows and updates changed ones; rows that are the same are not touched. */
export function writeSql(def: KindDef): Sql[] {
  const columns = writtenColumns(def).map((c) => c.column);
  const keys = keyFields(def).map((f) => targetColumn(f)!);
  const touched = TOUCHED[def.kind];
  const table = sql.id(def.table);
  const insertColumns = sql.join([...columns, ...(touched ? [touched] : [])].map((c) => sql.id(c)));
  const insertValues = sql.join([...columns.map((c) => sql.id(c)), ...(touched ? [sql`current_timestamp`] : [])]);
  const sets = columns.filter((c) => !keys.includes(c)).map((c) => sql`${sql.id(c)} = r.${sql.id(c)}`);
  if (touched) sets.push(sql`${sql.id(touched)} = current_timestamp`);
  const statements = [
    // the file's new rows
    sql`INSERT INTO ${table} (${insertColumns}) SELECT ${insertValues} FROM ${READY} WHERE change = 'new'`,
    // the file's changed rows, in place
    sql`UPDATE ${table} t SET ${sql.join(sets)}
FROM ${READY} r WHERE r.change = 'changed' AND ${keyMatch(keys, sql`r`)}`,
  ];
  if (def.kind === 'inspectors')
    statements.push(
      // a new or changed inspector's conflicts are replaced by the file's lists
      sql`DELETE FROM conflicts WHERE inspector_id IN (SELECT id FROM ${READY} WHERE change <> 'same')`,
      sql`INSERT INTO conflicts (inspector_id, object_id, declared_by)
SELECT id, unnest(conflicts_declared), 'inspector' FROM ${READY} WHERE change <> 'same'
UNION ALL
SELECT id, unnest(conflicts_reported), 'object' FROM ${READY} WHERE change <> 'same'`,
    );
  return statements;
}

/** Record tables the risk engine derives per-entity tables from (engine/src/kernel/derived.ts), with their entity column. */
export const ENTITY_RECORDS: Partial<Record<Kind, { table: SourceTable; entity: string }>> = {
  entities: { table: 'objects', entity: 'id' },
  credit: { table: 'credit_records', entity: 'object_id' },
  complaints: { table: 'complaints', entity: 'object_id' },
  results: { table: 'inspection_results', entity: 'object_id' },
};

/**
 * The entities the file's writes touch: the entity each new or changed row names, and the one a changed row named
 * before. Run before writeSql. Grain: one row per written row and entity (repeats allowed).
 */
export function changedEntitiesSql(def: KindDef): Sql | undefined {
  const records = ENTITY_RECORDS[def.kind];
  if (!records) return undefined;
  const keys = keyFields(def).map((f) => targetColumn(f)!);
  const entity = sql.id(records.entity);
  return sql`SELECT ${entity} AS object_id FROM ${READY} WHERE change <> 'same'
UNION ALL
SELECT t.${entity} AS object_id FROM ${sql.id(def.table)} t JOIN ${READY} r ON ${keyMatch(keys, sql`r`)}
WHERE r.change = 'changed'`;
}

/** The first `limit` problems, by line and field: one row each. */
export const problemList = (limit: number) => sql`SELECT line_no AS line, field, value, reason, reason_zh
FROM ${PROBLEMS} ORDER BY line_no, field_pos LIMIT ${limit}`;

// How many problems, on how many lines: one row.
export const PROBLEM_COUNT_SQL = sql`SELECT count(*) AS total, count(DISTINCT line_no) AS lines FROM ${PROBLEMS}`;
