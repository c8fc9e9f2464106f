// Sorting a table's rows by one column, the way a reader expects: numbers by size, text by the current language's
// collation (pinyin for Chinese), empty cells last in either direction.
export type SortDirection = 'ascending' | 'descending';
export interface SortState {
  key: string;
  direction: SortDirection;
}

/** The next state after a click on column `key`: a new column sorts ascending, the same column flips. */
export function nextSort(current: SortState | null, key: string): SortState {
  if (current?.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

export type SortValue = string | number | null;

/** A copy of `rows` ordered by `value(row)`; rows with equal values keep their order. */
export function sortRows<R>(rows: readonly R[], value: (row: R) => SortValue, direction: SortDirection, locale: string): R[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const sign = direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, value: value(row) }));
  keyed.sort((a, b) => {
    const aEmpty = a.value === null || a.value === '';
    const bEmpty = b.value === null || b.value === '';
    if (aEmpty || bEmpty) return aEmpty === bEmpty ? a.index - b.index : aEmpty ? 1 : -1;
    const order =
      typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value));
    return order === 0 ? a.index - b.index : sign * order;
  });
  return keyed.map((k) => k.row);
}

/** What a cell sorts by: its number or date string as it is, anything else by the text the table shows. */
export function cellSortValue(raw: unknown, shown: string): SortValue {
  if (typeof raw === 'number') return Number.isNaN(raw) ? null : raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw;
  return shown === '—' ? null : shown;
}
