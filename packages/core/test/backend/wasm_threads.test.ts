import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { threadOutputs } from './fixtures/thread_outputs.js';

// The thread shims reach into tfjs-wasm internals; this file catches a tfjs upgrade that breaks them.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..', '..');
const shimDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('pedseg-wasm-threads-'));

describe('threaded wasm backend', () => {
  it('starts 2 threads, restores the patched globals, removes its temp files and matches 1 thread', async () => {
    const os = createRequire(import.meta.url)('node:os') as { cpus: () => unknown[] };
    const before = { Blob: globalThis.Blob, createObjectURL: URL.createObjectURL, cpus: os.cpus, dirs: shimDirs() };
    const warnings: string[] = [];
    const result = await initBackend({ backend: 'wasm', threads: 2, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(result.backend).toBe('wasm');
    expect(result.threads).toBe(2);
    expect(globalThis.Blob).toBe(before.Blob);
    expect(URL.createObjectURL).toBe(before.createObjectURL);
    expect(os.cpus).toBe(before.cpus);
    expect(shimDirs()).toEqual(before.dirs);

    const threaded = await threadOutputs();
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const child = spawnSync(tsx, ['--conditions=@pedseg/source', join(here, 'fixtures', 'thread_outputs.ts'), '1'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.status, child.stderr.slice(0, 500)).toBe(0);
    const single = JSON.parse(child.stdout) as number[][];
    expect(threaded.length).toBe(single.length);
    threaded.forEach((values, i) => {
      const reference = single[i]!;
      const scale = Math.max(1e-6, ...reference.map(Math.abs));
      const error = Math.max(...values.map((v, j) => Math.abs(v - reference[j]!))) / scale;
      expect(error, `output ${i}`).toBeLessThan(1e-5);
    });
  });
});
