// An error answer as one sentence in the language shown: the catalogue's message for its code (apiError.<code>, with
// the answer's parameters), followed by the server's detail only where the detail has a clean half in that language
// ("中文 / English"); a detail that mixes both languages is left out, so a page never shows the other language.
import { i18n, tIn, type Lang, type MessageKey } from '../i18n.svelte';
import zh from '../messages/zh.json';

export interface ErrorAnswer {
  error?: string;
  message?: string;
  params?: Record<string, string | number | boolean | null>;
}

const HAN = /\p{Script=Han}/u;

/** The catalogue key of an error code: codes with spaces (HTTP refusals) are written with underscores. */
export const errorKey = (code: string) => `apiError.${code.replace(/ /g, '_')}`;

/** The half of "中文 / English" in `lang`, or null when `text` has no such halves (or mixes both in one). */
export function detailIn(text: string, lang: Lang): string | null {
  const separators = [...text.matchAll(/ \/ /g)].map((m) => m.index);
  const at = separators.find((i) => !HAN.test(text.slice(i + 3)));
  if (at === undefined) return lang === 'en' && !HAN.test(text) ? text : null;
  const halves = { zh: text.slice(0, at), en: text.slice(at + 3) };
  return lang === 'zh' && !HAN.test(halves.zh) ? null : halves[lang];
}

export function errorText(answer: ErrorAnswer, status: number, lang: Lang = i18n.lang): string {
  const key = answer.error ? errorKey(answer.error) : '';
  const detail = answer.message ? detailIn(answer.message, lang) : null;
  if (!(key in zh)) return detail ?? tIn(lang, 'apiError.status', { status });
  const values = Object.fromEntries(Object.entries(answer.params ?? {}).map(([name, value]) => [name, String(value ?? '')]));
  const headline = tIn(lang, key as MessageKey, values);
  return detail && detail.toLowerCase() !== headline.toLowerCase() ? `${headline}${lang === 'zh' ? '：' : ': '}${detail}` : headline;
}
