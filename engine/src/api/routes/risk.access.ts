// Who may call the policy, model, score and alert routes (see access-rows.ts): analysts change policy and models,
// leaders preview and read scores and alerts, operators read only the current policy and the model list.
import { AUTHENTICATED, only, type Expectation } from '../access-rows.ts';

export const riskAccess: Record<string, Expectation> = {
  'GET /api/policy': AUTHENTICATED,
  'GET /api/policy/versions': AUTHENTICATED,
  'POST /api/policy': only('admin', 'analyst'),
  'POST /api/policy/preview': only('admin', 'analyst', 'leader'),
  'GET /api/models': AUTHENTICATED,
  // {} on an empty database: access passes, then 409 (no data to fit on).
  'POST /api/models': only('admin', 'analyst'),
  'GET /api/models/:version/backtest': { ...AUTHENTICATED, url: '/api/models/1/backtest' },
  'GET /api/scores/tiers': { ...only('admin', 'analyst', 'leader', 'auditor'), url: '/api/scores/tiers?by=city' },
  'GET /api/scores': only('admin', 'analyst', 'leader', 'auditor'),
  'GET /api/scores/:objectId': only('admin', 'analyst', 'leader', 'auditor'),
  'GET /api/alerts': only('admin', 'analyst', 'leader', 'auditor'),
};
