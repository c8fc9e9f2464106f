// The role lists routes declare in `config.access` (plugins/auth.ts enforces them; access.test.ts checks every route).
export const EVERY_ROLE = ['admin', 'analyst', 'leader', 'operator'] as const;
/** Department writes: operators for their own department, admins for any. */
export const DEPARTMENT_WRITERS = ['admin', 'operator'] as const;
/** Policy and models: analysts change them. */
export const ANALYSTS = ['admin', 'analyst'] as const;
/** Province-wide reading: leaders, analysts, admins. */
export const LEADERS = ['admin', 'analyst', 'leader'] as const;
/** Visit sheets and evidence (they name inspectors and show the site): operators of the departments concerned (checked by the engine), leaders and admins (and auditors, who read what leaders read). */
export const ON_SITE_READERS = ['admin', 'leader', 'operator'] as const;
/** Attestations: auditors only (an admin can change the data, so it is not independent). */
export const AUDITORS = ['auditor'] as const;
