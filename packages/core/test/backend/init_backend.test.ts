import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  BackendError,
  BackendLoadError,
  BackendUnavailableError,
  InvalidBackendOptionError,
  TENSORFLOW_PACKAGES,
  UnknownBackendError,
  initBackend,
} from '@pedseg/core';

// Backend selection without starting wasm (that lives in the wasm_*.test.ts files).

const roots: string[] = [];

/** A directory with fake optional peers: `node_modules/<name>/index.js` with the given body. */
function fakePackages(packages: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pedseg-fake-peers-'));
  roots.push(root);
  for (const [name, body] of Object.entries(packages)) {
    const dir = join(root, 'node_modules', ...name.split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '4.22.0', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), body);
  }
  return root;
}

// A fake native package: records that it was loaded and registers a 'tensorflow' backend (the cpu one).
const loaded: string[] = [];
(globalThis as Record<string, unknown>)['__pedsegFakeTensorflow'] = (name: string) => {
  loaded.push(name);
  tf.registerBackend('tensorflow', () => new MathBackendCPU());
};
const fakeBody = (name: string) => `globalThis.__pedsegFakeTensorflow(${JSON.stringify(name)});\n`;

afterEach(() => {
  loaded.length = 0;
  if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
});
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('initBackend: forcing and errors', () => {
  it('rejects an unknown name from the option, naming it and the valid ones', async () => {
    const error = await initBackend({ backend: 'webgpu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as UnknownBackendError).name).toBe('UnknownBackendError');
    expect((error as UnknownBackendError).backend).toBe('webgpu');
    expect((error as Error).message).toMatch(/'webgpu'.*options\.backend.*'tensorflow', 'wasm', 'cpu'/);
  });

  it('rejects an unknown PEDSEG_BACKEND', async () => {
    const error = await initBackend({ env: { PEDSEG_BACKEND: 'gpu' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownBackendError);
    expect((error as Error).message).toContain('PEDSEG_BACKEND');
  });

  it('rejects an invalid thread count before starting anything', async () => {
    for (const threads of [0, -2, 1.5, Number.NaN]) {
      const error = await initBackend({ threads, env: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidBackendOptionError);
      expect((error as Error).message).toContain("'threads'");
    }
  });

  it('fails clearly when tensorflow is forced but neither package resolves', async () => {
    for (const options of [{ backend: 'tensorflow' }, { env: { PEDSEG_BACKEND: 'tensorflow' } }, { backend: 'tensorflow', resolveFrom: [fakePackages({})] }]) {
      const error = await initBackend(options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as BackendUnavailableError).backend).toBe('tensorflow');
      expect((error as BackendUnavailableError).packages).toEqual(TENSORFLOW_PACKAGES);
      expect((error as Error).message).toContain('@tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node');
    }
  });

  it('reports a package that resolves but throws while loading as a load error', async () => {
    const root = fakePackages({ '@tensorflow/tfjs-node': 'throw new Error("libtensorflow.so: cannot open shared object file");' });
    const error = await initBackend({ backend: 'tensorflow', resolveFrom: [root] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendLoadError);
    expect((error as Error).message).toMatch(/'tensorflow'.*libtensorflow\.so/);
  });

  it('starts a forced cpu backend and says why', async () => {
    const result = await initBackend({ backend: 'cpu' });
    expect(result.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(result.reason).toContain("forced by options.backend='cpu'");
    const fromEnv = await initBackend({ env: { PEDSEG_BACKEND: ' CPU ' } });
    expect(fromEnv.backend).toBe('cpu');
    expect(fromEnv.reason).toContain('PEDSEG_BACKEND');
  });
});

describe('initBackend: automatic choice prefers native TensorFlow', () => {
  it('uses @tensorflow/tfjs-node-gpu when it resolves, before @tensorflow/tfjs-node', async () => {
    const root = fakePackages({
      '@tensorflow/tfjs-node-gpu': fakeBody('gpu'),
      '@tensorflow/tfjs-node': fakeBody('node'),
    });
    const result = await initBackend({ resolveFrom: [root], env: {} });
    expect(result.backend).toBe('tensorflow');
    expect(result.package).toBe('@tensorflow/tfjs-node-gpu');
    expect(loaded).toEqual(['gpu']);
    expect(tf.getBackend()).toBe('tensorflow');
    expect(result.reason).toContain('first available');
  });

  it('falls back to @tensorflow/tfjs-node', async () => {
    const root = fakePackages({ '@tensorflow/tfjs-node': fakeBody('node') });
    const result = await initBackend({ resolveFrom: [root], env: {} });
    expect(result.package).toBe('@tensorflow/tfjs-node');
    expect(loaded).toEqual(['node']);
  });
});
