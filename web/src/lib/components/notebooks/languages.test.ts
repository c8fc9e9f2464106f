import { describe, it, expect } from 'vitest';
import { languageHalves, languageSplit } from './languages';

describe('a notebook paragraph in two languages', () => {
  it('splits where the Chinese ends, full-width punctuation included', () => {
    expect(languageHalves('风险模型回测 Model backtest')).toEqual({ zh: '风险模型回测', en: 'Model backtest' });
    const text = '命中率 = 测试年被检查主体中至少有一项发现问题的比例。 Hit rate = the share of entities with a finding.';
    expect(languageHalves(text)).toEqual({ zh: '命中率 = 测试年被检查主体中至少有一项发现问题的比例。', en: 'Hit rate = the share of entities with a finding.' });
    expect(languageHalves('最新模型：AUC、前 5%/10% 的提升度。 The latest model: AUC and lift in the top 5%.').en).toBe('The latest model: AUC and lift in the top 5%.');
  });

  it('leaves a text in one language (or with English words inside the Chinese) whole', () => {
    expect(languageSplit('只有中文')).toBeNull();
    expect(languageSplit('English only')).toBeNull();
    expect(languageSplit('按 AUC 排序的模型')).toBeNull();
    expect(languageHalves('按 AUC 排序')).toEqual({ zh: '按 AUC 排序', en: '按 AUC 排序' });
  });
});
