import { describe, it, expect } from 'vitest';
import type { ChartCellRun, SqlCellRun } from '$engine/api/types';
import { formatCell } from '$lib/export';
import { cellId, chartLabel, columnsOf, formatValue } from './notebooks';

describe('notebook cells', () => {
  it("label a chart by its title, else by the results it draws", () => {
    const chart = (title: unknown) => ({ spec: title === undefined ? {} : { title }, dataNames: ['by_city', 'by_month'] }) as unknown as ChartCellRun;
    expect(chartLabel(chart('各市发现率'))).toBe('各市发现率');
    expect(chartLabel(chart({ text: 'Findings by city', subtitle: 'x' }))).toBe('Findings by city');
    expect(chartLabel(chart(undefined))).toBe('by_city, by_month');
  });

  it('show numbers grouped, objects as JSON and nothing as a dash', () => {
    expect(formatValue(1234567, true)).toBe((1234567).toLocaleString());
    expect(formatValue(0.123456, true)).toBe((0.123456).toLocaleString(undefined, { maximumFractionDigits: 4 }));
    expect(formatValue(2026, false)).toBe('2026');
    expect(formatValue({ a: 1 }, false)).toBe('{"a":1}');
    expect([formatValue(null, true), formatValue(undefined, false)]).toEqual(['—', '—']);
  });

  it("make a result's table columns from the query's columns", () => {
    const cell = { columns: [{ name: 'city', type: 'VARCHAR', numeric: false }, { name: 'n', type: 'BIGINT', numeric: true }] } as SqlCellRun;
    const columns = columnsOf(cell);
    expect(columns.map((c) => [c.key, c.numeric])).toEqual([
      ['city', false],
      ['n', true],
    ]);
    expect(formatCell({ city: null, n: 12345 }, columns[1])).toBe((12345).toLocaleString());
    expect(formatCell({ city: null, n: 1 }, columns[0])).toBe('—');
  });

  it('are named, or numbered when unnamed', () => {
    expect(cellId({ name: 'by_city', index: 3 })).toBe('by_city');
    expect(cellId({ name: null, index: 3 })).toBe('cell-3');
  });
});
