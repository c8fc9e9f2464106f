import { describe, expect, it } from 'vitest';
import { regionPrefix } from './score-views.ts';

describe('score views', () => {
  it('reads region filters as code prefixes', () => {
    expect([regionPrefix('440000'), regionPrefix('440300'), regionPrefix('440305'), regionPrefix('441900')]).toEqual(['44', '4403', '440305', '4419']);
  });
});
