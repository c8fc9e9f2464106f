import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256Sync } from './sha256';

describe('SHA-256 in the page', () => {
  it('matches the committed vectors and node:crypto across block boundaries and UTF-8', () => {
    const vectors = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../data/fixtures/fd2/vectors.json'), 'utf8')).sha256 as Array<{ text: string; hex: string }>;
    expect(vectors.length).toBeGreaterThan(3);
    for (const v of vectors) expect(sha256Sync(v.text)).toBe(v.hex);
    for (let n = 0; n < 200; n++) {
      const text = '深'.repeat(n % 7) + 'x'.repeat(n);
      expect(sha256Sync(text), `${n}`).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});
