// Access rows of the coverage and outcomes routes (see access-rows.ts). Operators get their own department's coverage.
import { only, PUBLIC, type Expectation } from '../access-rows.ts';

export const coverageAccess: Record<string, Expectation> = {
  'GET /api/coverage': only('admin', 'analyst', 'leader', 'operator', 'auditor'),
  'GET /api/outcomes': only('admin', 'analyst', 'leader', 'auditor'),
  'GET /api/outcomes/results': only('admin', 'analyst', 'leader', 'auditor'),
  'GET /api/public/reference': PUBLIC,
};
