// Notebooks are written one paragraph (heading, list item) at a time as "中文 English": the Chinese first, the same
// words in English after it. The page shows one language: each such block is split where the Chinese ends, and the
// half not in the language shown is hidden (CSS on html[lang]), so a switch of language needs no re-run.

/** A Han character or full-width punctuation: what the Chinese half is made of. */
const CHINESE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
const CHINESE_G = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/gu;

/** Where the Chinese half of `text` ends (the English half starts there), or null when `text` is not two halves. */
export function languageSplit(text: string): number | null {
  let end = -1;
  for (const m of text.matchAll(CHINESE_G)) end = m.index + m[0].length;
  if (end <= 0) return null;
  const rest = text.slice(end);
  return /[A-Za-z]{2,}/.test(rest) && !CHINESE.test(rest) ? end : null;
}

/** The two halves of a "中文 English" text; the same text for both when it is not two halves. */
export function languageHalves(text: string): { zh: string; en: string } {
  const at = languageSplit(text);
  return at === null ? { zh: text, en: text } : { zh: text.slice(0, at).trim(), en: text.slice(at).trim() };
}

const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li, th, td, figcaption';

/** Splits every "中文 English" block under `root` into a zh-CN and an en part, inline markup kept on its side. */
export function separateLanguages(root: HTMLElement): void {
  for (const block of root.querySelectorAll<HTMLElement>(BLOCKS)) {
    if (block.querySelector(BLOCKS) || block.dataset.languages) continue;
    const texts: Text[] = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) texts.push(walker.currentNode as Text);
    const whole = texts.map((n) => n.data).join('');
    const at = languageSplit(whole);
    if (at === null) continue;
    // The text node and offset where the English starts.
    let node = texts[0];
    let offset = at;
    for (const n of texts) {
      node = n;
      if (offset <= n.data.length) break;
      offset -= n.data.length;
    }
    const range = document.createRange();
    range.setStart(block, 0);
    range.setEnd(node, offset);
    const zh = document.createElement('span');
    zh.lang = 'zh-CN';
    zh.append(range.extractContents());
    const en = document.createElement('span');
    en.lang = 'en';
    en.append(...block.childNodes);
    block.replaceChildren(zh, ' ', en);
    block.dataset.languages = 'zh en';
  }
}
