import { describe, it, expect } from 'vitest';
import type { VisualizationSpec } from 'vega-embed';
import { sizedToContainer } from './chart-size';

describe('charts sized to their container', () => {
  it('give a single or layered view the container width, fitted with its padding', () => {
    const bars = { width: 300, height: 200, mark: 'bar', data: { values: [] } } as VisualizationSpec;
    expect(sizedToContainer(bars)).toMatchObject({ width: 'container', height: 200, autosize: { type: 'fit-x', contains: 'padding' } });
    expect(sizedToContainer({ layer: [], data: { values: [] } } as VisualizationSpec)).toMatchObject({ width: 'container' });
  });

  it('leave concatenations and facets as their author sized them', () => {
    const concat = { hconcat: [], data: { values: [] } } as unknown as VisualizationSpec;
    expect(sizedToContainer(concat)).toBe(concat);
  });
});
