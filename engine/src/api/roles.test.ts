import { describe, expect, it } from 'vitest';
import { decideAccess, ROLES } from '../auth/roles.ts';
import { EVIDENCE_READERS } from '../results/evidence.ts';
import { ON_SITE_READERS } from './roles.ts';

describe('route role lists', () => {
  it('the on-site gate lets in exactly the evidence readers and operators (whom the engine holds to their department)', () => {
    const admitted = ROLES.filter((role) => decideAccess(ON_SITE_READERS, { username: 'u', role, department: role === 'operator' ? 'SAMR' : null }, 'GET') === 'allow');
    expect(admitted.sort()).toEqual([...EVIDENCE_READERS, 'operator'].sort());
  });
});
