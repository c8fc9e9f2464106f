// The one way to build ClickHouse SQL: the `ch` tagged template and `chFolder` for this module's sql/*.sql files.
// ClickHouse is another dialect than DuckDB (engine/src/db/sql.ts) and Debian's 18.16 server has no query parameters
// ({name:Type} came with 19.x: it answers "Unknown setting param_x"), so each value is written as a typed literal by
// the one encoder below; identifiers come only from names checked against a fixed pattern.
import { placeholderFolder } from '../db/sql.ts';

export type ChValue = string | number | bigint | boolean | readonly string[] | readonly number[];

/** A piece of ClickHouse SQL whose values are already literals: `text` is what the server is sent. */
export class ChSql {
  constructor(readonly text: string) {}
}

/** `\xHH` for a byte, so control characters never reach the statement text raw. */
const hexEscape = (code: number) => `\\x${code.toString(16).padStart(2, '0')}`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A ClickHouse string literal: backslash and quote escaped, control characters as `\xHH`, everything else as its
 * UTF-8 bytes (the request body is UTF-8). A string that is not well-formed UTF-16 cannot be sent as UTF-8 unchanged.
 */
export function stringLiteral(value: string): string {
  if (LONE_SURROGATE.test(value)) throw new Error(`ch: string ${JSON.stringify(value)} is not well-formed Unicode`);
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === "'") out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += hexEscape(code);
    else out += char;
  }
  return `${out}'`;
}

/** The literal of one value: strings quoted, integers and finite numbers as written, booleans 1/0, arrays in [ ]. */
export function literal(value: ChValue): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`ch: ${value} is not a finite number`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => literal(v as ChValue)).join(', ')}]`;
  throw new Error(`ch: cannot write ${JSON.stringify(value)} as a ClickHouse literal`);
}

/** ch`SELECT count() FROM t WHERE id = ${id}`: values become literals, nested ch`` pieces are spliced in as they are. */
export function ch(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): ChSql {
  let text = strings[0];
  values.forEach((value, i) => {
    if (value === undefined || value === null) throw new Error(`ch: value ${i + 1} is ${value} (after: ${strings[i].slice(-40)})`);
    text += (value instanceof ChSql ? value.text : literal(value as ChValue)) + strings[i + 1];
  });
  return new ChSql(text);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database, table or cluster name: letters, digits and underscores only, so it never needs quoting. */
ch.id = (name: string): ChSql => {
  if (!IDENTIFIER.test(name)) throw new Error(`ch: ${JSON.stringify(name)} is not a plain identifier (letters, digits, underscores)`);
  return new ChSql(name);
};

/** The pieces joined by a separator (', ' by default). */
ch.join = (pieces: readonly ChSql[], separator = ', '): ChSql => new ChSql(pieces.map((p) => p.text).join(separator));

/** Parameters of a sql/*.sql file's `$name` placeholders: values, or nested pieces (a table name). */
export type ChParams = Record<string, ChValue | ChSql>;

/** The `.sql` files of a module's `sql/` folder with `$name` placeholders, as `sqlFolder` reads them for DuckDB. */
export function chFolder(moduleUrl: string): (name: string, params?: ChParams) => ChSql {
  return placeholderFolder<ChValue | ChSql, ChSql>(moduleUrl, (strings, values) => ch(strings, ...values));
}
