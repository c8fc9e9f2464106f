// Authorisation rows of plans, tasks and draws (see access.test.ts). Operators are further limited to tasks their
// department leads or takes part in by the routes; 'x' names no task or draw, so an allowed call ends in 400/404.
import { only, AUTHENTICATED, type Expectation } from '../access-rows.ts';

const READERS = only('admin', 'analyst', 'leader', 'operator', 'auditor'); // auditors read what leaders read
const WRITERS = only('admin', 'operator');

export const drawsAccess: Record<string, Expectation> = {
  'GET /api/plans': READERS,
  'POST /api/plans': WRITERS,
  'GET /api/task-options': READERS,
  'GET /api/tasks': READERS,
  'POST /api/tasks': only('admin', 'analyst', 'leader', 'operator'),
  'POST /api/tasks/staffing': only('admin', 'analyst', 'leader', 'operator'),
  'GET /api/tasks/:taskId': READERS,
  'POST /api/tasks/:taskId/approve': only('admin', 'leader'),
  'POST /api/tasks/:taskId/invitations/:department': WRITERS,
  'POST /api/tasks/:taskId/departments/:department/withdraw': WRITERS,
  'POST /api/tasks/:taskId/draws': WRITERS,
  'POST /api/draws/:drawId/publish-early': only('leader'),
  'GET /api/draws': READERS,
  'GET /api/draws/:drawId': READERS,
  'POST /api/draws/:drawId/beacon': WRITERS,
  'POST /api/draws/:drawId/run': WRITERS,
  'POST /api/draws/:drawId/void': WRITERS,
  'GET /api/draws/:drawId/export': READERS,
  'GET /api/draws/:drawId/verify': READERS,
  'GET /api/draws/:drawId/attestations': READERS,
  'POST /api/draws/:drawId/attestations': only('auditor'),
  'POST /api/draws/:drawId/attestations/upload': only('auditor'),
  // A JSON body instead of a multipart upload: 415 once access has passed.
  'POST /api/draws/verify': AUTHENTICATED,
};
