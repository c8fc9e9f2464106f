import { describe, it, expect } from 'vitest';
import { cellSortValue, nextSort, sortRows } from './table-sort';

describe('table sorting', () => {
  it('sorts a new column ascending and flips the same column on the next click', () => {
    const first = nextSort(null, 'count');
    expect(first).toEqual({ key: 'count', direction: 'ascending' });
    expect(nextSort(first, 'count')).toEqual({ key: 'count', direction: 'descending' });
    expect(nextSort({ key: 'count', direction: 'descending' }, 'name')).toEqual({ key: 'name', direction: 'ascending' });
  });

  it('orders numbers by size (not as text), keeps ties in order and puts empty cells last both ways', () => {
    const rows = [{ id: 'a', n: 10 }, { id: 'b', n: null }, { id: 'c', n: 9 }, { id: 'd', n: 10 }, { id: 'e', n: 100 }];
    const ids = (direction: 'ascending' | 'descending') => sortRows(rows, (r) => r.n, direction, 'en').map((r) => r.id).join('');
    expect(ids('ascending')).toBe('cadeb');
    expect(ids('descending')).toBe('eadcb');
  });

  it('orders Chinese text by pinyin and codes with digits naturally', () => {
    const cities = ['深圳', '广州', '东莞'].map((name) => ({ name }));
    expect(sortRows(cities, (r) => r.name, 'ascending', 'zh-CN').map((r) => r.name)).toEqual(['东莞', '广州', '深圳']);
    const codes = ['T-10', 'T-9', 'T-100'].map((id) => ({ id }));
    expect(sortRows(codes, (r) => r.id, 'ascending', 'en').map((r) => r.id)).toEqual(['T-9', 'T-10', 'T-100']);
  });

  it('sorts objects and arrays by the text shown, booleans as 0 and 1', () => {
    expect(cellSortValue({ from: '2026-01-01' }, '2026-01-01 – 2026-02-01')).toBe('2026-01-01 – 2026-02-01');
    expect(cellSortValue(true, 'yes')).toBe(1);
    expect(cellSortValue(undefined, '—')).toBeNull();
    expect(cellSortValue(Number.NaN, '—')).toBeNull();
  });
});
