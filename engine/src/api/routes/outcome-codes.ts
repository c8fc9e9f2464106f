// The standard outcome codes (标准结果代码) the results entry form offers: GET /api/results/outcome-codes.
import type { FastifyPluginAsync } from 'fastify';

const TAGS = ['results'];

// Every standard outcome code, problems-found last. Grain: one row per code.
const OUTCOME_CODES_SQL = `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", is_finding AS "isFinding"
  FROM outcome_codes ORDER BY is_finding, code`;

export const outcomeCodeRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/results/outcome-codes',
    {
      config: { access: ['admin', 'analyst', 'leader', 'operator'] },
      schema: {
        tags: TAGS,
        summary: '标准结果代码 The standard outcome codes a result is entered with',
        response: {
          200: {
            type: 'object',
            required: ['codes'],
            properties: {
              codes: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['code', 'nameZh', 'nameEn', 'isFinding'],
                  properties: {
                    code: { type: 'string', description: '代码 e.g. NO_PROBLEM, FIXED' },
                    nameZh: { type: 'string' },
                    nameEn: { type: 'string' },
                    isFinding: { type: 'boolean', description: '是否发现问题 whether it records a problem found' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => ({ codes: await app.db.query(OUTCOME_CODES_SQL) }),
  );
};
