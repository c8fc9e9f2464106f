import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  test: {
    include: ['engine/**/*.test.ts', 'data/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    env: { TZ: 'Asia/Shanghai' },
    testTimeout: 120_000,
    // Browser-test files wait in beforeAll for the demo province the first of them builds.
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
