// Maps DuckDB values to plain JS by their declared column type, never by guessing from the value.
import {
  DuckDBTypeId,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

export type Scalar = string | number | boolean | Date | null;
export type Value = Scalar | Value[] | { [key: string]: Value };

/** BIGINT becomes a number when it fits (counts, sums); beyond 2^53 it stays exact as a string. */
function bigToJs(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
}

/**
 * DATE stays a 'YYYY-MM-DD' string: a calendar date has no time zone, and a JS Date would shift it.
 * TIMESTAMP WITH TIME ZONE becomes a JS Date (an instant).
 */
export function toJs(value: DuckDBValue, type: DuckDBType): Value {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return bigToJs(value as bigint);
    case DuckDBTypeId.DECIMAL:
      return (value as DuckDBDecimalValue).toDouble();
    case DuckDBTypeId.DATE:
      return String(value);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new Date(Number((value as DuckDBTimestampTZValue).micros / 1000n));
    case DuckDBTypeId.TIMESTAMP:
      return new Date(Number((value as DuckDBTimestampValue).micros / 1000n));
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = (type as unknown as { valueType: DuckDBType }).valueType;
      return (value as DuckDBListValue | DuckDBArrayValue).items.map((item) => toJs(item, child));
    }
    case DuckDBTypeId.STRUCT: {
      const struct = type as unknown as { entryNames: string[]; entryTypes: DuckDBType[] };
      const entries = (value as DuckDBStructValue).entries;
      const out: Record<string, Value> = {};
      struct.entryNames.forEach((name, i) => (out[name] = toJs(entries[name], struct.entryTypes[i])));
      return out;
    }
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return value as Scalar;
    default:
      return String(value);
  }
}
