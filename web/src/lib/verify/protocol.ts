// The draw protocols for outsiders (docs/fd2.md, docs/fd1.md) as the portal shows them: the repository's own text,
// taken in at build time and rendered with `marked`; links between the two documents stay on the portal.
import { Marked, type Tokens } from 'marked';
import fd1 from '../../../../docs/fd1.md?raw';
import fd2 from '../../../../docs/fd2.md?raw';

export const PROTOCOLS = { fd2, fd1 } as const;
export type ProtocolName = keyof typeof PROTOCOLS;

export const isProtocol = (name: string): name is ProtocolName => Object.hasOwn(PROTOCOLS, name);

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    link(token: Tokens.Link) {
      // "fd1.md" in fd2.md opens the portal's fd1 page.
      const doc = /^(fd\d)\.md(#.*)?$/.exec(token.href);
      if (doc && isProtocol(doc[1])) return `<a href="/portal/protocol/${doc[1]}${doc[2] ?? ''}">${this.parser.parseInline(token.tokens)}</a>`;
      return false;
    },
  },
});

/** The protocol's document as HTML (the repository's own text: trusted, nothing a user wrote). */
export function protocolHtml(name: ProtocolName): string {
  return marked.parse(PROTOCOLS[name]) as string;
}
