// The authorisation matrix's vocabulary: what a caller may get from a route. Each area of routes lists its rows
// in `routes/<area>.access.ts`; access.test.ts checks them all against the routes the app registers.
import { CALLERS, type Caller } from '../auth/test-support.ts';
import type { Role } from '../auth/roles.ts';

/** 'allow': access passed (any answer but 401/403, and no 5xx; an empty body's 400 counts). Else the exact refusal. */
export type Outcome = 'allow' | 401 | 403;

export interface Expectation {
  outcomes: Record<Caller, Outcome>;
  /** The concrete URL to request when the route has parameters (default: each :param becomes `x`). */
  url?: string;
  /** The body sent on POST/PUT/PATCH (default {}: usually a 400, which still proves access passed). */
  body?: unknown;
}

export const PUBLIC: Expectation = { outcomes: { anonymous: 'allow', admin: 'allow', analyst: 'allow', leader: 'allow', operatorSAMR: 'allow', operatorTAX: 'allow', auditor: 'allow' } };
export const AUTHENTICATED: Expectation = { outcomes: { ...PUBLIC.outcomes, anonymous: 401 } };

const ROLE_OF: Record<Exclude<Caller, 'anonymous'>, Role> = { admin: 'admin', analyst: 'analyst', leader: 'leader', operatorSAMR: 'operator', operatorTAX: 'operator', auditor: 'auditor' };

/** Allowed for the roles listed, 403 for other accounts, 401 for anonymous callers. */
export function only(...roles: Role[]): Expectation {
  const outcomes = { anonymous: 401 } as Record<Caller, Outcome>;
  for (const caller of CALLERS) if (caller !== 'anonymous') outcomes[caller] = roles.includes(ROLE_OF[caller]) ? 'allow' : 403;
  return { outcomes };
}
