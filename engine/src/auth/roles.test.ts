import { describe, it, expect } from 'vitest';
import { decideAccess, departmentProblem, isValidAccess, type Principal } from './roles.ts';

const admin: Principal = { username: 'a', role: 'admin', department: null };
const leader: Principal = { username: 'l', role: 'leader', department: null };
const samr: Principal = { username: 'o', role: 'operator', department: 'SAMR' };

describe('access rules', () => {
  it('decides public, authenticated and role lists', () => {
    expect(decideAccess('public', null)).toBe('allow');
    expect(decideAccess('authenticated', null)).toBe('unauthenticated');
    expect(decideAccess('authenticated', samr)).toBe('allow');
    expect(decideAccess(['admin'], null)).toBe('unauthenticated');
    expect(decideAccess(['admin'], leader)).toBe('forbidden');
    expect(decideAccess(['admin', 'leader'], leader)).toBe('allow');
  });

  it('lets an auditor read what a leader reads and write only where it is named', () => {
    const auditor: Principal = { username: 'au', role: 'auditor', department: 'SAMR' };
    expect(decideAccess(['admin', 'leader'], auditor, 'GET')).toBe('allow');
    expect(decideAccess(['admin', 'leader'], auditor, 'HEAD')).toBe('allow');
    expect(decideAccess(['admin', 'operator'], auditor, 'GET')).toBe('forbidden');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(decideAccess(['admin', 'leader', 'operator'], auditor, method)).toBe('forbidden');
    expect(decideAccess(['auditor'], auditor, 'POST')).toBe('allow');
  });

  it('accepts only the declared forms', () => {
    expect(isValidAccess('public')).toBe(true);
    expect(isValidAccess(['operator'])).toBe(true);
    expect(isValidAccess(undefined)).toBe(false);
    expect(isValidAccess([])).toBe(false);
    expect(isValidAccess(['root'])).toBe(false);
    expect(isValidAccess('admin')).toBe(false);
  });

  it('binds only operators to their department', () => {
    expect(departmentProblem(samr, 'SAMR')).toBeNull();
    expect(departmentProblem(samr, 'TAX')).toMatch(/own department \(SAMR\).*TAX/);
    expect(departmentProblem(admin, 'TAX')).toBeNull();
    expect(departmentProblem(leader, 'TAX')).toBeNull();
  });
});
