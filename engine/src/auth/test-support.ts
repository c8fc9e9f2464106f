// Test support for API tests: one account per kind of caller, and ready-made session headers (cookie and
// CSRF token) without paying for a scrypt login per request.
import type { Db } from '../db/duckdb.ts';
import { createUser } from './users.ts';
import { createSession, SESSION_COOKIE } from './sessions.ts';
import type { Role } from './roles.ts';

/** The callers of the authorisation matrix: anonymous, each role, and operators of two departments. */
export type Caller = 'anonymous' | 'admin' | 'analyst' | 'leader' | 'operatorSAMR' | 'operatorTAX' | 'auditor';
export const CALLERS: readonly Caller[] = ['anonymous', 'admin', 'analyst', 'leader', 'operatorSAMR', 'operatorTAX', 'auditor'];

export const TEST_ACCOUNTS: Record<Exclude<Caller, 'anonymous'>, { username: string; role: Role; department: string | null; password: string }> = {
  admin: { username: 't-admin', role: 'admin', department: null, password: 'test admin password' },
  analyst: { username: 't-analyst', role: 'analyst', department: null, password: 'test analyst password' },
  leader: { username: 't-leader', role: 'leader', department: null, password: 'test leader password' },
  operatorSAMR: { username: 't-op-samr', role: 'operator', department: 'SAMR', password: 'test samr operator password' },
  operatorTAX: { username: 't-op-tax', role: 'operator', department: 'TAX', password: 'test tax operator password' },
  auditor: { username: 't-auditor', role: 'auditor', department: 'SAMR', password: 'test auditor password' },
};

/** Creates the six test accounts (needs the departments reference data: tempDb({ reference: true })). */
export async function createTestAccounts(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const account of Object.values(TEST_ACCOUNTS)) await createUser(tx, account, 'test');
  });
}

/** Request headers for `caller`: a fresh session cookie and its CSRF token ({} for anonymous). */
export async function headersFor(db: Db, caller: Caller): Promise<Record<string, string>> {
  if (caller === 'anonymous') return {};
  const session = await createSession(db, { username: TEST_ACCOUNTS[caller].username });
  return { cookie: `${SESSION_COOKIE}=${session.sessionId}`, 'x-csrf-token': session.csrfToken };
}
