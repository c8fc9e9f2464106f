// Who may read the standard outcome codes (see access-rows.ts): every signed-in role; results entry needs them.
import { only, type Expectation } from '../access-rows.ts';

export const outcomeCodesAccess: Record<string, Expectation> = {
  'GET /api/results/outcome-codes': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
};
