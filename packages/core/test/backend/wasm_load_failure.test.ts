import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendLoadError, initBackend } from '@pedseg/core';

// Its own file (own process): wasm's binary location can be set only once per process.
const corrupt = mkdtempSync(join(tmpdir(), 'pedseg-corrupt-wasm-'));
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  writeFileSync(join(corrupt, name), 'not a wasm module');
}
afterAll(() => rmSync(corrupt, { recursive: true, force: true }));
const quiet = { threads: 1, onWarning: () => {} };

describe('a wasm backend that fails to load', () => {
  it('names the missing binary when the directory has none', async () => {
    const error = await initBackend({ ...quiet, backend: 'wasm', wasmBinaryDir: '/nonexistent/pedseg-wasm/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendLoadError);
    expect((error as BackendLoadError).backend).toBe('wasm');
    expect((error as Error).message).toBe(
      "Backend 'wasm' failed to initialise: wasm binary not found: /nonexistent/pedseg-wasm/tfjs-backend-wasm-simd.wasm.",
    );
  });

  it('raises BackendLoadError with the cause when the binary does not instantiate', async () => {
    const error = await initBackend({ ...quiet, backend: 'wasm', wasmBinaryDir: join(corrupt, '/') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendLoadError);
    expect((error as BackendLoadError).backend).toBe('wasm');
    expect((error as Error).message).toMatch(/^Backend 'wasm' failed to initialise: .+/);
    expect((error as Error).message).toContain('CompileError');
  });

  it('is skipped, with its reason, by the automatic choice, which falls back to cpu', async () => {
    const result = await initBackend({ ...quiet, env: {} });
    expect(result.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(result.skipped.map((s) => s.backend)).toEqual(['tensorflow', 'wasm']);
    expect(result.skipped[1]!.error).toBeInstanceOf(BackendLoadError);
    expect(result.reason).toContain("skipped tensorflow: Backend 'tensorflow' is not available");
    expect(result.reason).toContain("wasm: Backend 'wasm' failed to initialise");
  });
});
