// The role lists routes declare in `config.access` (plugins/auth.ts enforces them; access.test.ts checks every route).
import type { Role } from '../auth/roles.ts';
import { EVIDENCE_READERS } from '../results/evidence.ts';

export const EVERY_ROLE = ['admin', 'analyst', 'leader', 'operator'] as const;
/** Department writes: operators for their own department, admins for any. */
export const DEPARTMENT_WRITERS = ['admin', 'operator'] as const;
/** Policy and models: analysts change them. */
export const ANALYSTS = ['admin', 'analyst'] as const;
/** Province-wide reading: leaders, analysts, admins. */
export const LEADERS = ['admin', 'analyst', 'leader'] as const;
/**
 * Visit sheets and evidence (they name inspectors and show the site): the route's coarse gate. The rule is the engine's
 * EVIDENCE_READERS (results/evidence.ts), plus operators, whom the engine holds to their own departments. The auditor
 * is left off: it reads what leaders read (decideAccess).
 */
export const ON_SITE_READERS: readonly Role[] = [...EVIDENCE_READERS.filter((role) => role !== 'auditor'), 'operator'];
/** Attestations: auditors only (an admin can change the data, so it is not independent). */
export const AUDITORS = ['auditor'] as const;
