import { describe, it, expect, afterEach, vi } from 'vitest';
import zh from './messages/zh.json';
import en from './messages/en.json';
import { i18n, t, type MessageKey } from './i18n.svelte';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

afterEach(() => {
  if (i18n.lang !== 'zh') i18n.lang = 'zh';
  vi.unstubAllGlobals();
});

describe('messages', () => {
  it('has every key in both languages, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const mismatched = (Object.keys(zh) as MessageKey[]).filter((key) => placeholders(zh[key]).join() !== placeholders(en[key]).join());
    expect(mismatched).toEqual([]);
  });

  it('reads Chinese first and fills placeholders', () => {
    expect(i18n.lang).toBe('zh');
    expect(t('table.rows', { count: '1,234' })).toBe('1,234 行');
    expect(t('tasks.pageOf', { from: 1, to: 100, total: 250 })).toBe('第 1–100 个，共 250 个');
  });

  it('leaves a placeholder without a value visible rather than guessing', () => {
    expect(t('table.rows')).toBe('{count} 行');
  });

  it('switches to English, remembers the choice and marks the document', () => {
    const setItem = vi.fn();
    const documentElement = { lang: 'zh-CN' };
    vi.stubGlobal('localStorage', { setItem });
    vi.stubGlobal('document', { documentElement });
    i18n.lang = 'en';
    expect(t('table.rows', { count: 3 })).toBe('3 rows');
    expect(setItem).toHaveBeenCalledWith('fairdraw.lang', 'en');
    expect(documentElement.lang).toBe('en');
  });
});
