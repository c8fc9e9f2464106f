import { describe, expect, it } from 'vitest';
import { halfIn, proseIn } from './languages.ts';

describe('one language of a notebook', () => {
  it('cuts a "中文 English" text where the Chinese ends, and leaves one-language text whole', () => {
    expect(halfIn('区域预警复核 Alert review', 'zh')).toBe('区域预警复核');
    expect(halfIn('区域预警复核 Alert review', 'en')).toBe('Alert review');
    expect(halfIn('Only English', 'zh')).toBe('Only English');
    expect(halfIn('只有中文（v2）', 'en')).toBe('只有中文（v2）');
  });

  it('keeps inline markup with its half and cuts every block of the prose', () => {
    const html = '<h2>地市 × 行业 City × industry</h2>\n<p>近 8 周<strong>投诉</strong>数。 Complaints in the <strong>last 8</strong> weeks &amp; more.</p>\n<ul><li>第一 first</li></ul>';
    expect(proseIn(html, 'en')).toBe('<h2>City × industry</h2>\n<p>Complaints in the <strong>last 8</strong> weeks &amp; more.</p>\n<ul><li>first</li></ul>');
    expect(proseIn(html, 'zh')).toBe('<h2>地市 × 行业</h2>\n<p>近 8 周<strong>投诉</strong>数。</p>\n<ul><li>第一</li></ul>');
  });
});
