// Results entered and corrected in Fairdraw (engine/src/results) reach the next score through the stored facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctResult, enterResult } from '../results/results.ts';
import { cloneTemplate, resultsTemplate, SAMR_OPERATOR, staffedObject, type ResultsTemplate } from '../results/results.fixture.ts';
import { scoreEntities } from './score.ts';
import { METHOD, type FittedModel } from './model.ts';
import { sql } from '../db/sql.ts';

const AS_OF = '2026-06-30';
const at = (iso: string) => new Date(`${iso}+08:00`);

/** One feature, the last inspection's outcome: a finding adds 1.2 to the log-odds, a clean visit takes 0.4 off. */
const lastOutcomeModel: FittedModel = {
  method: METHOD,
  asOf: AS_OF,
  params: {
    features: [
      {
        kind: 'category',
        column: 'last_outcome',
        label: { zh: '上次检查结果', en: 'Last inspection outcome' },
        categories: ['finding', 'clean', 'none'],
        bins: [
          { label: { zh: '发现问题', en: 'problem found' }, rows: 10, events: 5, woe: 1.2 },
          { label: { zh: '未发现问题', en: 'no problem' }, rows: 10, events: 1, woe: -0.4 },
          { label: { zh: '从未检查', en: 'never inspected' }, rows: 10, events: 2, woe: 0 },
        ],
        coefficient: 1,
      },
    ],
    intercept: -1,
    l2: 1,
    woePrior: 20,
    dropped: [],
  },
  training: { years: [], featuresAsOf: {}, rows: 0, events: 0, eventRate: 0, auc: null, combinations: 0, fitMs: 0 },
};
const logistic = (z: number) => 1 / (1 + Math.exp(-z));

describe('results entered through results entry flow into the next score', () => {
  let template: ResultsTemplate;
  beforeAll(async () => {
    template = await resultsTemplate();
  }, 120_000);
  afterAll(() => template.cleanup());

  it('a finding entered, then corrected to no problem, moves the entity, and only it, between bins', { timeout: 60_000 }, async () => {
    const t = await cloneTemplate(template);
    try {
      const db = t.db;
      const object = await staffedObject(db, template.draw.id);
      const key = { drawId: template.draw.id, objectId: object.id, itemCode: 'SAMR-001' };
      const scoreOf = async () => (await db.one<{ score: number; bin_code: string }>(sql`SELECT score, bin_code::VARCHAR AS bin_code FROM risk_scores WHERE object_id = ${object.id}`))!;
      const others = async () => db.query<{ object_id: string; score: number }>(sql`SELECT object_id, score FROM risk_scores WHERE object_id <> ${object.id} ORDER BY object_id`);

      const first = await scoreEntities(db, lastOutcomeModel, { actor: 'test' });
      expect(first.facts.mode).toBe('full');
      const before = await scoreOf();
      const othersBefore = await others();

      await enterResult(db, key, { outcomeCode: 'FIXED', inspectedOn: '2026-05-06', findings: '台账不全，已责令改正' }, { actor: SAMR_OPERATOR, now: at('2026-05-06T16:00:00') });
      const second = await scoreEntities(db, lastOutcomeModel, { actor: 'test' });
      expect(second.facts).toMatchObject({ mode: 'incremental', entities: 1 });
      const found = await scoreOf();
      expect(found.bin_code).toBe('0');
      expect(found.score).toBeCloseTo(logistic(-1 + 1.2), 12);
      expect(before.bin_code).not.toBe('0');
      expect(await others()).toEqual(othersBefore);

      await correctResult(db, key, { outcomeCode: 'NO_PROBLEM', findings: null, reason: '复核后更正' }, { actor: SAMR_OPERATOR, now: at('2026-05-08T09:00:00') });
      const third = await scoreEntities(db, lastOutcomeModel, { actor: 'test' });
      expect(third.facts).toMatchObject({ mode: 'incremental', entities: 1 });
      const clean = await scoreOf();
      expect(clean.bin_code).toBe('1');
      expect(clean.score).toBeCloseTo(logistic(-1 - 0.4), 12);
      expect(await others()).toEqual(othersBefore);
    } finally {
      t.cleanup();
    }
  });
});
