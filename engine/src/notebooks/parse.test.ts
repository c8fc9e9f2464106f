import { describe, expect, it } from 'vitest';
import { dataNamesOf, parseNotebook, type ChartCell, type SqlCell } from './parse.ts';

const fence = '```';

describe('parseNotebook', () => {
  it('splits prose, named sql cells and charts, with the line each starts on', () => {
    const source = [
      '# 标题 Title', // 1
      '', // 2
      'First paragraph, the *summary*.', // 3
      '', // 4
      `${fence}sql name=lift`, // 5
      'SELECT 1 AS decile,', // 6
      '  2 AS lift', // 7
      fence, // 8
      'Between.', // 9
      `${fence}bash`, // 10
      'npx fairdraw notebook list', // 11
      fence, // 12
      `${fence}vega-lite`, // 13
      '{"data": {"name": "lift"}, "mark": "bar"}', // 14
      fence, // 15
      `${fence}sql`, // 16
      'SELECT 2', // 17
      fence, // 18
    ].join('\n');
    const nb = parseNotebook(source, 'demo');
    expect(nb).toMatchObject({ name: 'demo', file: 'notebooks/demo.md', title: '标题 Title', summary: 'First paragraph, the summary.' });
    expect(nb.cells.map((c) => [c.kind, c.line])).toEqual([
      ['markdown', 1],
      ['sql', 5],
      ['markdown', 9],
      ['chart', 13],
      ['sql', 16],
    ]);
    const sql = nb.cells[1] as SqlCell;
    expect(sql).toMatchObject({ name: 'lift', hidden: false, bodyLine: 6, sql: 'SELECT 1 AS decile,\n  2 AS lift', problem: null });
    expect(nb.cells[2]).toMatchObject({ text: 'Between.\n```bash\nnpx fairdraw notebook list\n```' });
    expect(nb.cells[3]).toMatchObject({ kind: 'chart', dataNames: ['lift'], problem: null });
    expect(nb.cells[4]).toMatchObject({ name: null, problem: null });
  });

  it('finds data names in layers and lookups, once each', () => {
    const spec = { layer: [{ data: { name: 'a' } }, { data: { name: 'b' }, transform: [{ lookup: 'x', from: { data: { name: 'a' }, key: 'x' } }] }] };
    expect(dataNamesOf(spec)).toEqual(['a', 'b']);
  });

  it('names the line and rule of every naming problem', () => {
    const problems = (source: string) =>
      parseNotebook(source, 'n')
        .cells.filter((c) => c.problem)
        .map((c) => ({ line: c.problem!.line, message: c.problem!.message }));
    expect(problems(`${fence}sql name=9lives\nSELECT 1\n${fence}`)).toEqual([{ line: 1, message: expect.stringContaining("result name '9lives'") }]);
    expect(problems(`${fence}sql name=a\nSELECT 1\n${fence}\n${fence}sql name=a\nSELECT 2\n${fence}`)).toEqual([{ line: 4, message: expect.stringContaining("'a' is already used by the sql cell on line 1") }]);
    expect(problems(`${fence}sql name=a rows=5\nSELECT 1\n${fence}`)).toEqual([{ line: 1, message: expect.stringContaining("unknown fence attribute 'rows'") }]);
    expect(problems(`${fence}sql hidden\nSELECT 1\n${fence}`)).toEqual([{ line: 1, message: expect.stringContaining('a hidden cell needs name=NAME') }]);
    expect(problems(`${fence}sql name=a\n\n${fence}`)).toEqual([{ line: 1, message: expect.stringContaining('empty') }]);
    expect(problems(`${fence}vega-lite\n{"mark": "bar"}\n${fence}`)).toEqual([{ line: 1, message: expect.stringContaining('names no result') }]);
    expect(problems(`${fence}sql name=a\nSELECT 1\n${fence}\n${fence}vega-lite\n{"data": {"name": "b"}, "mark": "bar"}\n${fence}`)).toEqual([
      { line: 4, message: expect.stringContaining("no sql cell above it is named so (name=b on its fence; results above: 'a')") },
    ]);
    expect(problems(`${fence}vega-lite\n{"data": {"name": "later"}, "mark": "bar"}\n${fence}\n${fence}sql name=later\nSELECT 1\n${fence}`)).toEqual([
      { line: 1, message: expect.stringContaining("'later', which is defined below it (line 4)") },
    ]);
    expect(problems(`${fence}sql name=v hidden\nSELECT 1\n${fence}\n${fence}vega-lite\n{"data": {"name": "v"}, "mark": "bar"}\n${fence}`)).toEqual([
      { line: 4, message: expect.stringContaining("'v', a hidden cell (line 1)") },
    ]);
  });

  it('points at the line of a JSON error inside a chart, and at an unclosed fence', () => {
    const nb = parseNotebook(['intro', `${fence}vega-lite`, '{', '  "data": {"name": "a"},', '  "mark": bar', '}', fence].join('\n'), 'n');
    const chart = nb.cells[1] as ChartCell;
    expect(chart.spec).toBeNull();
    expect(chart.problem!.message).toMatch(/invalid JSON/);
    expect(chart.problem!.line).toBe(5);
    const open = parseNotebook(`text\n${fence}sql name=a\nSELECT 1\n`, 'n');
    expect(open.cells[1].problem).toEqual({ line: 2, message: expect.stringContaining('no closing ```') });
  });

  it('falls back to the name for a notebook without a heading', () => {
    expect(parseNotebook('just text', 'plain')).toMatchObject({ title: 'plain', summary: 'just text' });
  });
});
