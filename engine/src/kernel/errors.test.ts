import { describe, expect, it } from 'vitest';
import { bilingual, EngineError, paramValue } from './errors.ts';

describe('engine errors', () => {
  it('split a "中文 / English" text at the separator after which no Chinese follows', () => {
    expect(bilingual('不在清单中 / not on the list')).toEqual({ zh: '不在清单中', en: 'not on the list' });
    // the Chinese half names a result key that holds " / " itself
    expect(bilingual('结果 D1 / 914 / SAMR-001 尚未录入 / no result for D1 / 914 / SAMR-001')).toEqual({
      zh: '结果 D1 / 914 / SAMR-001 尚未录入',
      en: 'no result for D1 / 914 / SAMR-001',
    });
    expect(bilingual('用户名已存在 an account with this name already exists')).toEqual({
      zh: '用户名已存在 an account with this name already exists',
      en: '用户名已存在 an account with this name already exists',
    });
    expect(bilingual('不是已知的部门代码 / not a known department', 'lead = "X": ')).toEqual({ zh: 'lead = "X": 不是已知的部门代码', en: 'not a known department' });
  });

  it('read as "中文 / English" (once when both are the same), with a kind, a code and parameters', () => {
    const err = new EngineError('conflict', 'draw.voided', { zh: '抽取已作废', en: 'the draw is voided' }, { id: 'D2026-0001' });
    expect(err).toMatchObject({ kind: 'conflict', code: 'draw.voided', params: { id: 'D2026-0001' }, message: '抽取已作废 / the draw is voided', name: 'EngineError' });
    expect(new EngineError('invalid', 'x.y', bilingual('只有一种 one text')).message).toBe('只有一种 one text');
    expect([paramValue(undefined), paramValue(3), paramValue({ a: 1 })]).toEqual([null, 3, '{"a":1}']);
  });
});
