import { describe, expect, it } from 'vitest';
import { heapLimitMb, parseSize } from './memory.ts';

describe('the memory budget', () => {
  it('reads sizes as DuckDB writes them', () => {
    expect(parseSize('4GB')).toBe(4e9);
    expect(parseSize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseSize('1.5 GB')).toBe(1.5e9);
    expect(parseSize('lots')).toBeNaN();
  });

  it('gives the heap a quarter of FAIRDRAW_MEMORY_LIMIT, from 768 MB to 4 GB', () => {
    expect(heapLimitMb({})).toBe(954); // 4GB default
    expect(heapLimitMb({ FAIRDRAW_MEMORY_LIMIT: '8GB' })).toBe(1907);
    expect(heapLimitMb({ FAIRDRAW_MEMORY_LIMIT: '1GB' })).toBe(768);
    expect(heapLimitMb({ FAIRDRAW_MEMORY_LIMIT: '64GB' })).toBe(4096);
    expect(heapLimitMb({ FAIRDRAW_MEMORY_LIMIT: '8GB', FAIRDRAW_HEAP_MB: '600' })).toBe(600);
  });
});
