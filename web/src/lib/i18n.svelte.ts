// One message catalogue per language; Chinese first, English by a switch remembered in localStorage.
import zh from './messages/zh.json';
import en from './messages/en.json';

export type Lang = 'zh' | 'en';
export type MessageKey = keyof typeof zh;
const catalogues: Record<Lang, Record<MessageKey, string>> = { zh, en };

let lang = $state<Lang>((typeof localStorage !== 'undefined' && (localStorage.getItem('fairdraw.lang') as Lang)) || 'zh');

export const i18n = {
  get lang() {
    return lang;
  },
  set lang(value: Lang) {
    lang = value;
    localStorage.setItem('fairdraw.lang', value);
    document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en';
  },
};

/** The message for `key` in the current language, with {name} placeholders filled. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return tIn(lang, key, values);
}

/** The message for `key` in `language`, with {name} placeholders filled. */
export function tIn(language: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  const text = catalogues[language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? `{${name}}`));
}
