import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run on sources: the custom condition makes `@pedseg/*` imports resolve to `src/index.ts`.
const conditions = ['@pedseg/source', 'module', 'node', 'import', 'default'];
const packages = readdirSync('packages').filter((name) => existsSync(`packages/${name}/test`));
// The guides' code blocks are executed by docs/test (a project of its own).
const extraProjects = existsSync('docs/test') ? [{ extends: true as const, test: { name: 'docs', root: 'docs', include: ['test/**/*.test.ts'] } }] : [];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@pedseg/source'] } },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Seeds Math.random and fast-check per test: unseeded tfjs initializers and generated inputs are the
    // same on every run, so CI passes exactly when a local run does (FC_SEED=random explores; vitest.setup.ts).
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
    projects: packages.map((name) => ({
      extends: true as const,
      test: {
        name,
        root: `packages/${name}`,
        include: ['test/**/*.test.ts'],
      },
    })).concat(extraProjects),
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      reporter: ['text-summary', 'html', 'json-summary'],
    },
  },
});
