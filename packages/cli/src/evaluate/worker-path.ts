import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The built worker next to the built CLI (tsup emits `dist/evaluate/worker.js` beside `dist/main.js`
 * and `dist/index.js`). Run from sources (tests, tsx) there is no such file: callers then work on the
 * main thread.
 */
export function builtWorkerPath(): string | null {
  try {
    const path = fileURLToPath(new URL('./evaluate/worker.js', import.meta.url));
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
