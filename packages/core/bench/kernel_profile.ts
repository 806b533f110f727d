import { profile } from '@tensorflow/tfjs-core';

/**
 * Runs `body` under `tf.profile` and renders kernel time by kernel name (descending) as a table:
 * `kernel ms calls`. Used by the training benchmark's `--profile`.
 */
export async function kernelProfile(body: () => unknown): Promise<string> {
  const info = await profile(async () => {
    await body();
  });
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    // tf.profile also lists named ops (`fusedConv2d__op`) around their kernels: counting both doubles the time.
    if (k.name.endsWith('__op')) continue;
    const time = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += time;
    entry.calls += 1;
    byName.set(k.name, entry);
  }
  const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, v]) => s + v.ms, 0);
  return [
    `kernel time total ${total.toFixed(0)} ms in ${rows.reduce((n, [, v]) => n + v.calls, 0)} kernel calls`,
    ...rows.map(([name, v]) => `${name.padEnd(36)} ${v.ms.toFixed(1).padStart(9)} ms ${String(v.calls).padStart(6)} calls`),
  ].join('\n');
}
