import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { generateCohort } from '@pedseg/data';
import { runExperiment } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

/** Non-empty z slices of the fold-0 test case (`_001`) of a joint, counted from the phantom's label volume. */
function testSlices(joint: 'ankle' | 'shoulder'): number {
  const p = [...generateCohort(joint, { seed: 3, count: 3, landmarksPerBone: 0, size: { shape: [16, 16, 8] } })].find((c) => c.caseId.endsWith('_001'));
  if (p === undefined) throw new Error('no _001 case');
  const [nx, ny, nz] = p.label.shape;
  let n = 0;
  for (let z = 0; z < nz; z += 1) if ((p.label.data as Uint8Array).subarray(z * nx * ny, (z + 1) * nx * ny).some((l) => l > 0)) n += 1;
  return n;
}

describe('multi-domain fold figures: t-SNE per embedding scale (paper 002, Fig. 8)', () => {
  it('writes tsne-scale-1 … tsne-scale-(2·depth+1), one point per test slice, coloured by joint', async () => {
    const dir = tempDir('tsne-scales');
    const before = tf.memory().numTensors;
    await runExperiment({
      name: 'scales',
      outputDir: dir,
      seed: 3,
      data: { domains: ['ankle', 'shoulder'], cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
      network: { inputSize: [16, 16], depth: 2, filters: 4, attention: false },
      domainStrategy: 'shared',
      lambda2: 0,
      lambda3: 0,
      batchSize: 4,
      epochs: 1,
      closingRadius: 1,
      folds: [0],
    });
    expect(tf.memory().numTensors).toBe(before);
    const figures = readdirSync(join(dir, 'fold-0/figures'));
    const expected = { ankle: testSlices('ankle'), shoulder: testSlices('shoulder') };
    expect(expected.ankle).toBeGreaterThan(0);
    for (let s = 1; s <= 5; s += 1) {
      expect(figures).toContain(`tsne-scale-${s}.svg`);
      const points = JSON.parse(readFileSync(join(dir, `fold-0/figures/tsne-scale-${s}.json`), 'utf8')) as { group: string; kind: string; caseId: string; slice: number; xy: number[] }[];
      expect(points.filter((p) => p.group === 'ankle')).toHaveLength(expected.ankle);
      expect(points.filter((p) => p.group === 'shoulder')).toHaveLength(expected.shoulder);
      for (const p of points) {
        expect(p.kind).toBe('test');
        expect(p.xy.every(Number.isFinite)).toBe(true);
      }
      // Each slice appears once.
      expect(new Set(points.map((p) => `${p.caseId}:${p.slice}`)).size).toBe(points.length);
      const svg = readFileSync(join(dir, `fold-0/figures/tsne-scale-${s}.svg`), 'utf8');
      expect((svg.match(/fill-opacity="0.8"/g) ?? []).length).toBe(points.length);
    }
    expect(figures).not.toContain('tsne-scale-6.svg');
    expect(figures).toContain('tsne-bottleneck.svg');
    // The bottleneck figure is scale 3's embedding drawn again.
    const middle = JSON.parse(readFileSync(join(dir, 'fold-0/figures/tsne-scale-3.json'), 'utf8')) as unknown[];
    expect((readFileSync(join(dir, 'fold-0/figures/tsne-bottleneck.svg'), 'utf8').match(/fill-opacity="0.8"/g) ?? []).length).toBe(middle.length);
    // Small multiples: one panel per scale, one marker per test slice in each.
    const overview = readFileSync(join(dir, 'fold-0/figures/tsne-scales.svg'), 'utf8');
    const panels = overview.split('<g data-panel=').slice(1);
    expect(panels).toHaveLength(5);
    for (const panel of panels) expect((panel.match(/class="point"/g) ?? []).length).toBe(expected.ankle + expected.shoulder);
  }, 30_000);
});
