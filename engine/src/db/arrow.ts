// Arrow IPC encoding of a streamed DuckDB result (@duckdb/node-api has no Arrow export).
// Numbers go column-wise into typed arrays; strings become dictionary vectors, which keeps
// repeated labels (cities, tiers, industries) small on the wire.
import { DuckDBTypeId, type DuckDBResult, type DuckDBType } from '@duckdb/node-api';
import {
  Table,
  tableToIPC,
  makeVector,
  vectorFromArray,
  Dictionary,
  Utf8,
  Int32,
  Bool,
  DateDay,
  TimestampMillisecond,
  type Vector,
} from 'apache-arrow';
import { toJs } from './values.ts';

type Column = { kind: 'f64' | 'i32' | 'bool' | 'utf8' | 'date' | 'ts'; values: unknown[] };

function columnKind(type: DuckDBType): Column['kind'] {
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return 'i32';
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'f64';
    case DuckDBTypeId.BOOLEAN:
      return 'bool';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'ts';
    default:
      return 'utf8';
  }
}

function toVector(col: Column): Vector {
  const n = col.values.length;
  const hasNull = col.values.some((v) => v === null);
  switch (col.kind) {
    case 'f64':
      if (!hasNull) return makeVector(Float64Array.from(col.values as number[]));
      return vectorFromArray(col.values.map((v) => (v === null ? null : Number(v))));
    case 'i32':
      if (!hasNull) return makeVector(Int32Array.from(col.values as number[]));
      return vectorFromArray(col.values as (number | null)[], new Int32());
    case 'bool':
      return vectorFromArray(col.values as (boolean | null)[], new Bool());
    case 'date':
      return vectorFromArray(
        col.values.map((v) => (v === null ? null : new Date(`${v as string}T00:00:00Z`))),
        new DateDay(),
      );
    case 'ts':
      return vectorFromArray(col.values as (Date | null)[], new TimestampMillisecond());
    case 'utf8': {
      const strings = col.values.map((v) => (v === null ? null : String(v)));
      return vectorFromArray(strings, new Dictionary(new Utf8(), new Int32()));
    }
  }
  throw new Error(`unreachable column kind for ${n} values`);
}

export async function encodeArrow(result: DuckDBResult): Promise<Uint8Array> {
  const names = result.columnNames();
  const types = result.columnTypes();
  const columns: Column[] = types.map((t) => ({ kind: columnKind(t), values: [] }));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let c = 0; c < names.length; c++) {
      const raw = chunk.getColumnValues(c);
      const target = columns[c].values;
      for (const v of raw) target.push(toJs(v, types[c]));
    }
  }
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => (vectors[name] = toVector(columns[i])));
  return tableToIPC(new Table(vectors), 'stream');
}
