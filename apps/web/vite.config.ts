import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { defineConfig } from 'vitest/config';

/**
 * `@dg/survey-model` is bundled from its TypeScript source (the same validators intake runs),
 * through its browser entry: the package's main entry also exports the sample questionnaire,
 * which Node loads with `require` and the portal never needs.
 */
const surveyModel = fileURLToPath(new URL('../../packages/survey-model/src/browser.ts', import.meta.url));
/**
 * The platform's CSV writer (formula neutralising, quoting) from the contracts' source, this one
 * module alone: the rest of `@dg/contracts` stays types only in the browser (ADR 0019).
 */
const contractsCsv = fileURLToPath(new URL('../../packages/contracts/src/csv.ts', import.meta.url));

export default defineConfig({
  plugins: [
    react(),
    // index.html.gz / .br beside each file: the gateway sends them as they are (@fastify/static's
    // preCompressed) instead of compressing on every request or not at all.
    compression({ algorithms: ['gzip', 'brotliCompress'], include: /\.(js|css|html|svg|json)$/, threshold: 1024 }),
  ],
  resolve: { alias: { '@dg/survey-model': surveyModel, '@dg/contracts/csv': contractsCsv } },
  server: {
    port: 5173,
    // Same origin as in production: the gateway's refresh cookie (Path=/api/v1/auth) just works.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: { proxy: { '/api': { target: 'http://127.0.0.1:3000' } } },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // Component tests render the whole app: generous on a busy 2-core machine.
    testTimeout: 30_000,
  },
});
