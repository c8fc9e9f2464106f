// Security headers on every answer (@fastify/helmet): a Content-Security-Policy the dashboard's pages pass (their
// inline boot scripts allowed by hash, charts drawn without eval through vega-interpreter), no framing, nosniff, and
// no referrer beyond this origin.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** 'sha256-…' sources for each inline <script> of the built app's index.html (SvelteKit's boot script and ours). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi))
    hashes.push(`'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`);
  return hashes;
}

export const securityPlugin = fp<{ webRoot?: string }>(
  async (app, { webRoot }) => {
    const index = webRoot ? join(webRoot, 'index.html') : undefined;
    const scriptHashes = index && existsSync(index) ? inlineScriptHashes(readFileSync(index, 'utf8')) : [];
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", ...scriptHashes],
          // Svelte's scoped styles and vega-embed's own stylesheet are injected <style> elements
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // the pages load nothing from other origins; keep the defaults that would block their own workers and fonts off
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: false, // HTTPS is the proxy's to declare
      referrerPolicy: { policy: 'same-origin' },
    });
  },
  { name: 'fairdraw-security' },
);

/**
 * FAIRDRAW_TRUST_PROXY as Fastify's trustProxy: unset or 'false' trusts no proxy (request.protocol is the socket's);
 * 'true' trusts any; otherwise a comma-separated list of the proxies' addresses or CIDR ranges (127.0.0.1,10.0.0.0/8).
 * Behind a TLS proxy it is what makes the session cookie Secure.
 */
export function trustProxyFrom(value: string | undefined): boolean | string[] {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
