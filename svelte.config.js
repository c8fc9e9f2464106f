// SvelteKit lives in web/; the config stays at the root so one package.json drives engine and pages.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app served by the Fastify process: the pages talk to /api, never to DuckDB.
    adapter: adapter({ pages: 'build/web', assets: 'build/web', fallback: 'index.html' }),
    files: {
      src: 'web/src',
      assets: 'web/static',
      routes: 'web/src/routes',
      lib: 'web/src/lib',
      appTemplate: 'web/src/app.html',
    },
    // The pages take the API's types from the engine, and only those: `import type { Task } from '$engine/api/types'`.
    alias: { $engine: 'engine/src' },
  },
};
