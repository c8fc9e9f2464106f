// Authorisation rows of the audit log (see access.test.ts). Operators read only trails of their department's
// tasks and draws (the route answers 404 for 'x', which names neither).
import { only, AUTHENTICATED, type Expectation } from '../access-rows.ts';

export const auditAccess: Record<string, Expectation> = {
  'GET /api/audit/verify': only('admin', 'leader', 'analyst', 'auditor'),
  'GET /api/audit': { ...AUTHENTICATED, url: '/api/audit?subject=x' },
};
