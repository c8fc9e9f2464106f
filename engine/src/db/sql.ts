// The one way to build SQL. A tagged template: each `${value}` becomes a bind parameter ($1, $2, ...), a nested
// `Sql` is spliced in with its own parameters, `sql.id(name)` is a quoted identifier. `.sql` files are read by
// `sqlFolder` and bind their `$name` placeholders the same way. No request value ever becomes SQL text.
import { readFileSync } from 'node:fs';
import type { DuckDBValue } from '@duckdb/node-api';

export type SqlValue = DuckDBValue;

/** A piece of SQL with its parameters: `strings.length === values.length + 1`, values interleaved. */
export class Sql {
  private constructor(
    readonly strings: readonly string[],
    readonly values: readonly SqlValue[],
  ) {}

  /** Joins template parts; nested Sql pieces are flattened so a statement is one list of texts and values. */
  static of(strings: readonly string[], values: readonly unknown[]): Sql {
    const texts = [strings[0]];
    const bound: SqlValue[] = [];
    values.forEach((value, i) => {
      if (value instanceof Sql) {
        texts[texts.length - 1] += value.strings[0];
        for (let j = 0; j < value.values.length; j++) {
          bound.push(value.values[j]);
          texts.push(value.strings[j + 1]);
        }
        texts[texts.length - 1] += strings[i + 1];
      } else {
        if (value === undefined) throw new Error(`sql: parameter ${i + 1} is undefined (after: ${strings[i].slice(-40)})`);
        bound.push(value as SqlValue);
        texts.push(strings[i + 1]);
      }
    });
    return new Sql(texts, bound);
  }

  /** The statement text with $1..$n placeholders and the values to bind, in order. */
  toQuery(): { text: string; params: SqlValue[] } {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) text += `$${i + 1}${this.strings[i + 1]}`;
    return { text, params: [...this.values] };
  }

  /** The text alone, for a statement with no parameters (DDL, PRAGMA); throws if it has any. */
  get text(): string {
    if (this.values.length) throw new Error(`sql: statement has ${this.values.length} parameters; use toQuery()`);
    return this.strings[0];
  }
}

/** sql`SELECT * FROM t WHERE id = ${id}`: values are parameters, nested sql`` pieces are spliced in. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return Sql.of(strings, values);
}

const trusted = (text: string) => Sql.of([text], []);

/** An identifier (table, column, alias), double-quoted. */
sql.id = (name: string): Sql => {
  if (!name) throw new Error('sql.id: empty identifier');
  return trusted(`"${name.replaceAll('"', '""')}"`);
};

/**
 * A value written into the text as a literal, for the few places that cannot take a parameter (a sample clause's size,
 * a type's precision, a script of several statements, which DuckDB runs only without parameters) and for `IN (...)`
 * lists DuckDB should look up through an index (it plans an index scan for literals, not for a bound list). File paths
 * in COPY and read_csv and settings take parameters. Strings, finite numbers, booleans and null only.
 */
sql.literal = (value: string | number | boolean | null): Sql => {
  if (value === null) return trusted('NULL');
  if (typeof value === 'boolean') return trusted(value ? 'TRUE' : 'FALSE');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sql.literal: ${value} is not a finite number`);
    return trusted(String(value));
  }
  return trusted(`'${value.replaceAll("'", "''")}'`);
};

/**
 * SQL text that is a whole statement or script as people wrote it, not built from values: a migration file, an
 * analyst's notebook cell (which the notebook runner checks is a read before it runs). Never a request value.
 */
sql.verbatim = (text: string): Sql => trusted(text);

/** The pieces joined by a separator (', ' by default); an empty list gives an empty piece. */
sql.join = (pieces: readonly Sql[], separator = ', '): Sql => {
  if (!pieces.length) return sql.empty;
  const strings = ['', ...pieces.slice(1).map(() => separator), ''];
  return Sql.of(strings, pieces);
};

/** Nothing: for optional clauses, `${filter ? sql`AND x = ${v}` : sql.empty}`. */
sql.empty = trusted('');

/** Parameters a `.sql` file's `$name` placeholders take: a value, or a nested piece of SQL (a table name, a filter). */
export type SqlParams = Record<string, SqlValue | Sql>;

/** A `.sql` file split at its `$name` placeholders (outside quotes and comments). */
interface ParsedFile {
  strings: string[];
  names: string[];
}

/** Splits SQL text at `$name` placeholders, skipping string literals, quoted identifiers and comments. */
export function parsePlaceholders(text: string): ParsedFile {
  const strings: string[] = [];
  const names: string[] = [];
  let start = 0;
  let i = 0;
  const skipTo = (end: string, from: number) => {
    const at = text.indexOf(end, from);
    return at < 0 ? text.length : at + end.length;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"') {
      // '' and "" inside are escapes: skipping to each next quote handles them as two adjacent quoted runs.
      i = skipTo(c, i + 1);
    } else if (c === '-' && text[i + 1] === '-') {
      i = skipTo('\n', i + 2);
    } else if (c === '/' && text[i + 1] === '*') {
      i = skipTo('*/', i + 2);
    } else if (c === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
      strings.push(text.slice(start, i));
      names.push(text.slice(i + 1, end));
      start = i = end;
    } else {
      i++;
    }
  }
  strings.push(text.slice(start));
  return { strings, names };
}

/**
 * The `.sql` files of a module's `sql/` folder, each read once and split at its placeholders: `build` makes a statement
 * of its texts and values. Every placeholder must be given and every parameter used, so a renamed placeholder fails
 * loudly. (sqlFolder for DuckDB; engine/src/cluster builds ClickHouse statements the same way.)
 */
export function placeholderFolder<P, S>(moduleUrl: string, build: (strings: string[], values: P[]) => S): (name: string, params?: Record<string, P>) => S {
  const parsed = new Map<string, ParsedFile>();
  return (name, params = {}) => {
    let file = parsed.get(name);
    if (!file) {
      file = parsePlaceholders(readFileSync(new URL(`./sql/${name}.sql`, moduleUrl), 'utf8'));
      parsed.set(name, file);
    }
    const missing = file.names.filter((n) => !(n in params));
    if (missing.length) throw new Error(`sql/${name}.sql: no value for $${[...new Set(missing)].join(', $')}`);
    const unused = Object.keys(params).filter((n) => !file.names.includes(n));
    if (unused.length) throw new Error(`sql/${name}.sql: no placeholder $${unused.join(', $')}`);
    return build(file.strings, file.names.map((n) => params[n]));
  };
}

/**
 * The `.sql` files of a module's `sql/` folder: `const query = sqlFolder(import.meta.url)`, then
 * `query('tier-load', { asOf })` is the file `sql/tier-load.sql` with `$asOf` bound.
 */
export function sqlFolder(moduleUrl: string): (name: string, params?: SqlParams) => Sql {
  return placeholderFolder<SqlValue | Sql, Sql>(moduleUrl, (strings, values) => Sql.of(strings, values));
}
