// Authorisation rows of data imports (see access.test.ts): the data office's job, admin only.
import { only, type Expectation } from '../access-rows.ts';

export const importsAccess: Record<string, Expectation> = {
  // A JSON body instead of a multipart upload: 415 once access has passed.
  'POST /api/imports/:kind': { ...only('admin'), url: '/api/imports/entities' },
};
