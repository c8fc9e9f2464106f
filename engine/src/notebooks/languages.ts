// Notebook prose is written one block (heading, paragraph, list item, table cell) at a time as "中文 English": the
// Chinese first, the same words in English after it. A file downloaded in one language keeps each block's half in it.

export type NotebookLang = 'zh' | 'en';

/** A Han character or full-width punctuation: what the Chinese half is made of. */
const CHINESE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** Where the Chinese half of an HTML fragment ends (outside its tags), or null when the fragment is not two halves. */
function chineseEnd(html: string): number | null {
  let end = -1;
  let inTag = false;
  for (let i = 0; i < html.length; i++) {
    if (html[i] === '<') inTag = true;
    else if (html[i] === '>') inTag = false;
    else if (!inTag && CHINESE.test(html[i])) end = i + 1;
  }
  if (end <= 0) return null;
  const restText = html.slice(end).replace(/<[^>]*>/g, '').replace(/&[a-z#0-9]+;/gi, ' ');
  return /[A-Za-z]{2,}/.test(restText) ? end : null;
}

/** The half of a "中文 English" text (or HTML fragment) in `lang`; the whole of it when it is not two halves. */
export function halfIn(text: string, lang: NotebookLang): string {
  const at = chineseEnd(text);
  if (at === null) return text;
  return (lang === 'zh' ? text.slice(0, at) : text.slice(at)).trim();
}

const BLOCK = /<(h[1-6]|p|li|th|td|figcaption)(\s[^>]*)?>([\s\S]*?)<\/\1>/g;

/** Prose HTML with every "中文 English" block cut to its half in `lang`. */
export function proseIn(html: string, lang: NotebookLang): string {
  return html.replace(BLOCK, (_, tag: string, attributes: string | undefined, inner: string) => `<${tag}${attributes ?? ''}>${halfIn(inner, lang)}</${tag}>`);
}
