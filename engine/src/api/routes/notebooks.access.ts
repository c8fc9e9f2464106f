// Who may read the analysts' notebooks (see access-rows.ts): analysts, leaders and admins; operators and the public not.
import { only, type Expectation } from '../access-rows.ts';

export const notebooksAccess: Record<string, Expectation> = {
  'GET /api/notebooks': only('admin', 'analyst', 'leader', 'auditor'),
  // 'x' names no notebook: 404 once access passed (running a real one here would only cost time).
  'GET /api/notebooks/:name': only('admin', 'analyst', 'leader', 'auditor'),
  'GET /api/notebooks/:name/html': only('admin', 'analyst', 'leader', 'auditor'),
};
