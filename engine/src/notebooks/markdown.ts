// Notebook prose to HTML with `marked` (GitHub-flavoured Markdown: tables, lists, code). Raw HTML in the prose is
// shown as text and links keep to http(s), mailto, relative and #anchors, so a notebook can never inject script.
import { Marked, type Tokens } from 'marked';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SAFE_URL = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i;

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      if (SAFE_URL.test(token.href.trim())) return false;
      return this.parser.parseInline(token.tokens);
    },
    image(token: Tokens.Image) {
      if (SAFE_URL.test(token.href.trim())) return false;
      return escapeHtml(token.text);
    },
  },
});

/** The HTML of a notebook's prose cell. */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false }) as string;
}
