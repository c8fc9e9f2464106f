// The OpenAPI document of every route (JSON at /api/docs/json) and the Swagger UI at /api/docs, both public.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../../kernel/config.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { CSRF_HEADER } from './auth.ts';

export const DOCS_PREFIX = '/api/docs';

const packageVersion = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Fairdraw API',
          description:
            '双随机、一公开 风险分级抽查平台接口。除 /api/public 与标注为 public 的接口外均需登录；x-access 列出允许的角色。 ' +
            'Risk-based, provably fair random inspections. Routes other than /api/public and those marked public need a session; ' +
            "x-access lists the roles allowed. State-changing requests of a signed-in user carry the csrfToken in the x-csrf-token header.",
          version: packageVersion,
        },
        components: {
          securitySchemes: {
            sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: '由 POST /api/auth/login 设置 set by POST /api/auth/login' },
            csrfToken: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'csrfToken from login or GET /api/auth/me' },
          },
        },
        tags: [
          { name: 'system', description: '系统 System' },
          { name: 'auth', description: '登录与会话 Sign-in and sessions' },
          { name: 'users', description: '用户管理 Accounts (admin)' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  },
  { name: 'fairdraw-openapi', dependencies: ['fairdraw-auth'] },
);
