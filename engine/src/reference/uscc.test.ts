import { describe, it, expect } from 'vitest';
import { isValidUscc, usccProblem, makeUscc, orgCheckChar } from './uscc.ts';

// Codes published on national enterprise credit records (Huawei, Tencent, Alibaba, BYD).
const REAL = ['914403001922038216', '91440300708461136T', '91330100799655058B', '91440300192317458F'];

describe('USCC (GB 32100-2015)', () => {
  it('accepts real published codes', () => {
    for (const code of REAL) expect(usccProblem(code), code).toBeUndefined();
  });

  it('rejects every single-character corruption of a real code', () => {
    const code = REAL[0];
    for (let i = 0; i < 18; i++) {
      const c = code[i] === '0' ? '1' : '0';
      expect(isValidUscc(code.slice(0, i) + c + code.slice(i + 1)), `position ${i}`).toBe(false);
    }
  });

  it('names what is wrong', () => {
    expect(usccProblem('91440300192203821')).toBe('length');
    expect(usccProblem('9144030019220382I6')).toBe('character');
    expect(usccProblem('914403001922038217')).toBe('check digit');
  });

  it('builds valid codes whose organisation code also checks', () => {
    const code = makeUscc('9', '1', '440300', '19220382');
    expect(code).toBe('914403001922038216');
    expect(orgCheckChar('19220382')).toBe('1');
  });
});
