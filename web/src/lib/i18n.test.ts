import { describe, it, expect, afterEach, vi } from 'vitest';
import zh from './messages/zh.json';
import en from './messages/en.json';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { i18n, t, type MessageKey } from './i18n.svelte';
import { errorKey } from './api/error-text';

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

  it('keeps each language to itself: no Chinese in English, no English sentences in Chinese (names and codes may stay)', () => {
    const HAN = /\p{Script=Han}/u;
    // The language switch names the other language in that language (and the button says so with its lang attribute).
    const chineseInEnglish = Object.entries(en).filter(([key, text]) => key !== 'lang.switch' && HAN.test(text));
    expect(chineseInEnglish).toEqual([]);
    const sentence = /[A-Za-z]+(?:[ ,.'’-]+[A-Za-z]+){3,}/;
    const englishInChinese = Object.entries(zh).filter(([, text]) => sentence.test(text.replace(/\{\w+\}/g, '#')));
    expect(englishInChinese).toEqual([]);
  });

  it('has a message in both languages for every error code the engine throws', () => {
    const codes = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
          const source = readFileSync(path, 'utf8');
          // new SomeError('code', ...), super('kind', 'code', ...), new EngineError('kind', 'code', ...)
          for (const m of source.matchAll(/(?:Error\(|super\()\s*(?:'[a-z_]+',\s*)?['`]([a-z_]+\.[a-z_.]+)['`]/g)) codes.add(m[1]);
          // codes built from a record name: `${record}.not_found` for plan, task and draw; one code per kind for accounts
          if (source.includes('`${record}.not_found`')) for (const record of ['plan', 'task', 'draw']) codes.add(`${record}.not_found`);
          for (const m of source.matchAll(/\{ invalid: '([a-z_.]+)', conflict: '([a-z_.]+)', not_found: '([a-z_.]+)' \}/g)) m.slice(1).forEach((c) => codes.add(c));
        }
      }
    };
    walk(join(__dirname, '../../../engine/src'));
    expect(codes.size).toBeGreaterThan(30);
    const missing = [...codes].filter((code) => !(errorKey(code) in zh) || !(errorKey(code) in en));
    expect(missing).toEqual([]);
  });

  it('has a message in both languages for every policy warning the engine gives', () => {
    const dir = join(__dirname, '../../../engine/src/policy');
    const codes = readdirSync(dir)
      .filter((entry) => entry.endsWith('.ts') && !entry.endsWith('.test.ts'))
      .flatMap((entry) => [...readFileSync(join(dir, entry), 'utf8').matchAll(/policyWarning\(\s*'([a-z_]+)'/g)].map((m) => m[1]));
    expect(codes.length).toBeGreaterThanOrEqual(9);
    const missing = codes.filter((code) => !(`policyWarning.${code}` in zh) || !(`policyWarning.${code}` in en));
    expect(missing).toEqual([]);
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
