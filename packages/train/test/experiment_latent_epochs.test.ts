import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { generateCohort } from '@pedseg/data';
import { TrainConfigError, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import type { ExperimentConfig } from '@pedseg/train';
import { tempDir, tinyAnkleExperiment, useCpu } from './helpers.js';

beforeAll(useCpu);

function tiny(dir: string, extra: Partial<ExperimentConfig>): ExperimentConfig {
  return tinyAnkleExperiment(dir, { name: 'latent', seed: 4, procedure: 'spar', epochs: 4, ...extra });
}

interface Point {
  group: string;
  kind: string;
  caseId: string;
  slice: number;
  epoch?: number;
  xy: number[];
}

/** (bone, slice) pairs with the bone present in the phantom's label volume (z slices). */
function boneMasks(caseId: string): Set<string> {
  const p = [...generateCohort('ankle', { seed: 4, count: 3, landmarksPerBone: 0, size: { shape: [16, 16, 8] } })].find((c) => c.caseId === caseId);
  if (p === undefined) throw new Error(`no case ${caseId}`);
  const names = ['background', 'calcaneus', 'talus', 'tibia'];
  const [nx, ny, nz] = p.label.shape;
  const out = new Set<string>();
  for (let z = 0; z < nz; z += 1) {
    for (const l of (p.label.data as Uint8Array).subarray(z * nx * ny, (z + 1) * nx * ny)) if (l > 0) out.add(`${names[l]}:${z}`);
  }
  return out;
}

describe('single-domain figures.latentEpochs (SPAR paper, Fig. 3)', () => {
  it('writes one shared t-SNE of the validation truth and the predictions of exactly the listed epochs', async () => {
    const dir = tempDir('latent-epochs');
    const before = tf.memory().numTensors;
    await runExperiment(tiny(dir, { figures: { latentEpochs: [4, 1, 3] } }));
    expect(tf.memory().numTensors).toBe(before);
    const fold = join(dir, 'fold-0');
    expect(readdirSync(join(fold, 'latent_codes')).sort()).toEqual(['epoch-1.json', 'epoch-3.json', 'epoch-4.json']);
    const points = JSON.parse(readFileSync(join(fold, 'figures/tsne-shape-codes-epochs.json'), 'utf8')) as Point[];
    for (const p of points) expect(p.xy.every(Number.isFinite)).toBe(true);
    const truth = points.filter((p) => p.kind === 'truth');
    const predictions = points.filter((p) => p.kind === 'prediction');
    expect(truth.length + predictions.length).toBe(points.length);
    for (const p of truth) expect(p.epoch).toBeUndefined();
    for (const p of predictions) expect([1, 3, 4]).toContain(p.epoch);
    // Each epoch's predictions are the ones stored at its end.
    for (const e of [1, 3, 4]) {
      const stored = JSON.parse(readFileSync(join(fold, `latent_codes/epoch-${e}.json`), 'utf8')) as { epoch: number; codes: number[][] };
      expect(stored.epoch).toBe(e);
      expect(predictions.filter((p) => p.epoch === e)).toHaveLength(stored.codes.length);
    }
    expect(predictions.length).toBeGreaterThan(0);
    // The truth codes: one per (bone, slice) of the validation case, counted from the phantom.
    const cases = new Set(truth.map((p) => p.caseId));
    expect(cases.size).toBe(1);
    const expected = boneMasks([...cases][0] as string);
    expect(new Set(truth.map((p) => `${p.group}:${p.slice}`))).toEqual(expected);
    expect(truth).toHaveLength(expected.size);
    // One panel per listed epoch, in order, each with the truth and that epoch's predictions.
    const svg = readFileSync(join(fold, 'figures/tsne-shape-codes-epochs.svg'), 'utf8');
    const panels = svg.split('<g data-panel=').slice(1);
    expect(panels.map((p) => p.slice(0, p.indexOf('>')))).toEqual(['"epoch 1"', '"epoch 3"', '"epoch 4"']);
    panels.forEach((panel, i) => {
      const e = [1, 3, 4][i];
      expect((panel.match(/<circle class="point"/g) ?? []).length).toBe(truth.length);
      expect((panel.match(/<path class="point"/g) ?? []).length).toBe(predictions.filter((p) => p.epoch === e).length);
    });
  }, 30_000);

  it('is off by default', () => {
    expect(resolveExperimentConfig(tiny('/tmp/unused', {})).figures.latentEpochs).toEqual([]);
    expect(resolveExperimentConfig(tiny('/tmp/unused', { figures: {} })).figures.latentEpochs).toEqual([]);
  });

  it('rejects bad latentEpochs with a TrainConfigError naming the field', () => {
    const bad: [ExperimentConfig['figures'] | unknown, Partial<ExperimentConfig>][] = [
      [{ latentEpochs: [0] }, {}],
      [{ latentEpochs: [5] }, {}], // beyond epochs (4)
      [{ latentEpochs: [1.5] }, {}],
      [{ latentEpochs: [2, 2] }, {}],
      [{ latentEpochs: 3 }, {}],
      [{ latentEpochs: [1] }, { procedure: 'baseline' }], // no shape encoder
      [{ latentEpochs: [1] }, { procedure: 'combined-regularization', lambda1: 0 }],
    ];
    for (const [figures, extra] of bad) {
      const cfg = { ...tiny('/tmp/unused', extra), figures } as ExperimentConfig;
      expect(() => resolveExperimentConfig(cfg)).toThrow(TrainConfigError);
      expect(() => resolveExperimentConfig(cfg)).toThrow(/figures\.latentEpochs/);
    }
    expect(() => resolveExperimentConfig({ ...tiny('/tmp/unused', {}), figures: 'yes' } as unknown as ExperimentConfig)).toThrow(/figures must be an object/);
    const multi = { ...tiny('/tmp/unused', { procedure: 'multi-task' }), data: { domains: ['ankle', 'shoulder'], cases: 3 }, figures: { latentEpochs: [1] } } as ExperimentConfig;
    expect(() => resolveExperimentConfig(multi)).toThrow(/figures\.latentEpochs applies to single-domain runs/);
    // In a comparison every method checks its own procedure; a method turns the figure off with `figures: {}`.
    const compare = (methods: ExperimentConfig['methods']): ExperimentConfig => ({ ...tiny('/tmp/unused', { procedure: 'baseline' }), figures: { latentEpochs: [2] }, methods });
    expect(() => resolveExperimentConfig(compare([{ name: 'ce' }, { name: 'spar', procedure: 'spar' }]))).toThrow(/figures\.latentEpochs needs a shape encoder/);
    const methods = resolveExperimentConfig(compare([{ name: 'ce', figures: {} }, { name: 'spar', procedure: 'spar' }])).methods ?? [];
    expect(methods.map((m) => m.figures.latentEpochs)).toEqual([[], [2]]);
    // Sorted, and allowed for combined regularization with λ1 > 0.
    expect(resolveExperimentConfig(tiny('/tmp/unused', { procedure: 'combined-regularization', figures: { latentEpochs: [3, 1] } })).figures.latentEpochs).toEqual([1, 3]);
  });
});
