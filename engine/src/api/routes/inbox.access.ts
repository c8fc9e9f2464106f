// Authorisation rows of the inbox (see access.test.ts): every account has one, filled by its role.
import { only, type Expectation } from '../access-rows.ts';

export const inboxAccess: Record<string, Expectation> = {
  'GET /api/inbox': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
};
