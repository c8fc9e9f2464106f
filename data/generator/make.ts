// The entity generator of a model's version, and v2's pre-pass over a block (the draw counts every result row cites).
import { EntityGenerator } from './entities.ts';
import { EntityGeneratorV2, emptyDrawCounts, type DrawCounts } from './entities-v2.ts';
import type { InspectorPool } from './inspector-pool.ts';
import type { Model } from './model.ts';

export function makeGenerator(model: Model, pool: InspectorPool, counts?: DrawCounts): EntityGenerator {
  return model.options.generator === 'v2' ? new EntityGeneratorV2(model, pool, counts) : new EntityGenerator(model, pool);
}

/** Draw counts of entities [from, to) (v2; nothing for v1). */
export function countBlock(model: Model, generator: EntityGenerator, from: number, to: number): DrawCounts {
  const counts = emptyDrawCounts(model);
  if (generator instanceof EntityGeneratorV2) for (let i = from; i < to; i++) generator.countDraws(i, counts);
  return counts;
}
