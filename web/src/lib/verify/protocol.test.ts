import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isProtocol, protocolHtml, PROTOCOLS } from './protocol';

describe('the protocol pages', () => {
  it('carry the repository documents word for word, rendered, with fd2 linking to the portal\'s fd1 page', () => {
    expect(PROTOCOLS.fd2).toBe(readFileSync(resolve(import.meta.dirname, '../../../../docs/fd2.md'), 'utf8'));
    const html = protocolHtml('fd2');
    expect(html).toContain('<h1>fd2 — Fairdraw&#39;s draw protocol, second version</h1>');
    expect(html).toContain('<table>');
    expect(html).toContain('committed_at &lt; beacon_due &lt;= beacon_recorded_at &lt;= drawn_at');
    expect(html).toContain('<a href="/portal/protocol/fd1">fd1</a>');
    expect(html).not.toContain('href="fd1.md"');
    expect(protocolHtml('fd1')).toContain('population_digest');
    expect([isProtocol('fd1'), isProtocol('fd2'), isProtocol('fd3'), isProtocol('constructor')]).toEqual([true, true, false, false]);
  });
});
