// Charts take the width of the card they sit in: a single or layered Vega-Lite view gets width "container" (and
// fits its axes and legend inside it), so no chart is wider than its card on a phone or narrower on a wide screen.
import type { VisualizationSpec } from 'vega-embed';

/** Views Vega-Lite can size to their container; concatenations, facets and repeats keep their own sizes. */
const COMPOSITE = ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'];

export function sizedToContainer(spec: VisualizationSpec): VisualizationSpec {
  const view = spec as Record<string, unknown>;
  if (COMPOSITE.some((key) => key in view)) return spec;
  return { ...view, width: 'container', autosize: { type: 'fit-x', contains: 'padding' } } as VisualizationSpec;
}
