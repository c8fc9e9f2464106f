// The five roles, their labels, and the access rule a route declares (public, any account, or a list of roles).

import { ROLES, type Principal, type Role } from './schemas.ts';

export { ROLES, type Principal, type Role };

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'administrator' },
  analyst: { zh: '数据分析员', en: 'analyst' },
  leader: { zh: '领导', en: 'leader' },
  operator: { zh: '部门操作员', en: 'department operator' },
  auditor: { zh: '纪检监察/审计', en: 'auditor' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Who may call a route: 'public' (no login), 'authenticated' (any account), or the roles listed.
 * Read-everything roles (leader, analyst) are listed on reading routes; an operator listed on a route
 * is further limited to its own department by the route (assertDepartment / departmentScope). An auditor is never
 * listed for reading: it reads whatever a leader may read (decideAccess), and writes only where it is listed.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

const READING_METHODS = ['GET', 'HEAD'];

/**
 * Whether `principal` may call a route of `access` with `method`. The auditor (纪检监察, 审计) is read-only everywhere:
 * it may read (GET) every route a leader may read, and change nothing except where a route lists it by name
 * (recording an attestation).
 */
export function decideAccess(access: Access, principal: Principal | null, method = 'GET'): AccessDecision {
  if (access === 'public') return 'allow';
  if (!principal) return 'unauthenticated';
  if (access === 'authenticated') return 'allow';
  if (access.includes(principal.role)) return 'allow';
  if (principal.role === 'auditor' && READING_METHODS.includes(method) && access.includes('leader')) return 'allow';
  return 'forbidden';
}

export function isValidAccess(value: unknown): value is Access {
  if (value === 'public' || value === 'authenticated') return true;
  return Array.isArray(value) && value.length > 0 && value.every(isRole);
}

export function describeAccess(access: Access): string {
  if (access === 'public') return 'public';
  if (access === 'authenticated') return 'authenticated';
  return access.join(',');
}

/** Null when `principal` may touch data of `departmentCode`; else why not. Only operators are bound to a department. */
export function departmentProblem(principal: Principal, departmentCode: string): string | null {
  if (principal.role !== 'operator') return null;
  if (principal.department === departmentCode) return null;
  return `部门操作员只能访问本部门（${principal.department}）的数据，该资源属于 ${departmentCode}。 / Operators may only access their own department (${principal.department}); this resource belongs to ${departmentCode}.`;
}
