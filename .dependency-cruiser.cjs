// Imports go one way: db -> kernel -> domain modules -> api, cli -> web (through the API's types only).
// `npm run check` runs it; any forbidden import below fails the check. Tests, fixtures and the browser-test harness
// may import what they need and are not cruised.
const OURS = '^(engine|data|web|scripts)/';
const ENGINE = '^engine/';
const ENGINE_ALIAS = '^\\$engine/';
const API_TYPES = '^engine/src/api/types\\.ts$';
const API_TYPES_ALIAS = '^\\$engine/api/types$';
// That the pages take those types as types only is checked by engine/src/api/types.test.ts (the module has no
// runtime exports) and by verbatimModuleSyntax (a value import of a type fails tsc).

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No file imports itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      comment: 'No two folders import each other, directly or round about (draw and policy did).',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'db-is-the-bottom',
      comment: 'engine/src/db (the DuckDB wrapper, sql.ts, migrations) imports nothing of ours.',
      severity: 'error',
      from: { path: '^engine/src/db/' },
      to: { path: OURS, pathNot: '^engine/src/db/' },
    },
    {
      name: 'kernel-over-db-only',
      comment: 'engine/src/kernel (time, quota, errors, derived tables, config) imports only db.',
      severity: 'error',
      from: { path: '^engine/src/kernel/' },
      to: { path: OURS, pathNot: '^engine/src/(db|kernel)/' },
    },
    {
      name: 'domain-below-api-and-cli',
      comment: 'Domain modules (everything in the engine but api/ and cli/, and the generator) never import api/ or cli/.',
      severity: 'error',
      from: { path: '^(engine/src|data)/', pathNot: '^engine/src/(api|cli)/' },
      to: { path: '^engine/src/(api|cli)/' },
    },
    {
      name: 'web-through-api-types',
      comment: 'The pages talk to the API: from the engine they may import only the API types ($engine/api/types), as types.',
      severity: 'error',
      from: { path: '^web/src/' },
      // an alias the cruiser cannot resolve is matched as written
      to: { path: [ENGINE, ENGINE_ALIAS], pathNot: [API_TYPES, API_TYPES_ALIAS] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.(test|e2e\\.test|fixture)\\.ts$', 'test-support\\.ts$', '^engine/src/testing/', '^web/e2e/'] },
    // type-only imports count: a type is part of what a module depends on
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
