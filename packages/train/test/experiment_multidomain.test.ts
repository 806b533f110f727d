import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { generateCohort } from '@pedseg/data';
import { TrainConfigError, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import type { ExperimentConfig } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

function tiny(dir: string, extra: Partial<ExperimentConfig>): ExperimentConfig {
  return {
    name: 'mtmd',
    outputDir: dir,
    seed: 5,
    data: { domains: ['ankle', 'shoulder'], cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
    network: { inputSize: [16, 16], depth: 1, filters: 4, attention: true },
    learningRate: 1e-2,
    batchSize: 8,
    epochs: 1,
    closingRadius: 1,
    folds: [0],
    ...extra,
  };
}

function lastState(dir: string): { history: { train: Record<string, number> }[] } {
  const ckpt = join(dir, 'fold-0/checkpoints');
  const latest = JSON.parse(readFileSync(join(ckpt, 'latest.json'), 'utf8')).checkpoint as string;
  return JSON.parse(readFileSync(join(ckpt, latest, 'state.json'), 'utf8'));
}

describe('runExperiment multi-domain', () => {
  it('dsl: MJAE pre-training, multi-scale contrastive + MJAP, lock-step folds, per-joint evaluation', async () => {
    const dir = tempDir('dsl');
    const before = tf.memory().numTensors;
    const report = await runExperiment(tiny(dir, { domainStrategy: 'dsl', lambda2: 0.5, lambda3: 0.1 }));
    expect(tf.memory().numTensors).toBe(before);
    // Fold 0 tests case 0 of each joint.
    expect(report.cases.map((c) => c.caseId)).toEqual(['ankle_001', 'shoulder_001']);
    expect(report.cases.map((c) => c.domain)).toEqual(['ankle', 'shoulder']);
    expect(Object.keys(report.summary).sort()).toEqual(['ankle/calcaneus', 'ankle/talus', 'ankle/tibia', 'shoulder/humerus', 'shoulder/scapula']);
    const train = lastState(dir).history[0]!.train;
    expect(Object.keys(train).sort()).toEqual(['anatomicalPriors', 'contrastive', 'crossEntropy', 'total']);
    for (const v of Object.values(train)) expect(Number.isFinite(v)).toBe(true);
    expect(train['contrastive']).toBeGreaterThan(0);
    expect(train['anatomicalPriors']).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'fold-0/autoencoder/latest.json'))).toBe(true);
    for (const id of ['ankle_001', 'shoulder_001']) expect(existsSync(join(dir, `fold-0/${id}_prediction.nii.gz`))).toBe(true);
    // Slice Dice is kept for the statistical tests, one value per reference slice of the bone.
    const c0 = report.cases[0]!;
    expect(c0.sliceDice?.['ankle/tibia']?.length).toBeGreaterThan(0);
    // Figures: a t-SNE of the test slices' bottleneck codes with one colour per joint, contours per joint.
    const figures = readdirSync(join(dir, 'fold-0/figures'));
    expect(figures).toContain('tsne-bottleneck.svg');
    const scatter = readFileSync(join(dir, 'fold-0/figures/tsne-bottleneck.svg'), 'utf8');
    expect(scatter).toContain('ankle');
    expect(scatter).toContain('shoulder');
    for (const id of ['ankle_001', 'shoulder_001']) expect(figures.some((f) => f.startsWith(`contours-${id}-z`))).toBe(true);
    // The multi-joint auto-encoder's pre-training logs its MSC term (L_AE = CE + λ1·MSC, λ1 = 0.05).
    const aeDir = join(dir, 'fold-0/autoencoder');
    const aeState = JSON.parse(readFileSync(join(aeDir, JSON.parse(readFileSync(join(aeDir, 'latest.json'), 'utf8')).checkpoint as string, 'state.json'), 'utf8'));
    const aeTrain = aeState.history[0].train as Record<string, number>;
    expect(Object.keys(aeTrain).sort()).toEqual(['contrastive', 'crossEntropy', 'total']);
    expect(aeTrain['contrastive']).toBeGreaterThan(0);
    expect(aeTrain['total']).toBeCloseTo((aeTrain['crossEntropy'] as number) + 0.05 * (aeTrain['contrastive'] as number), 4);
    expect(existsSync(join(dir, 'fold-0/autoencoder_learning_curves.svg'))).toBe(true);
    // t-SNE of the auto-encoder's codes: one point per non-empty training / validation label map of each joint.
    const points = JSON.parse(readFileSync(join(dir, 'fold-0/figures/tsne-autoencoder-codes.json'), 'utf8')) as { group: string; kind: string; caseId: string }[];
    const svg = readFileSync(join(dir, 'fold-0/figures/tsne-autoencoder-codes.svg'), 'utf8');
    expect((svg.match(/fill-opacity="0.8"/g) ?? []).length + (svg.match(/<path d="M/g) ?? []).length).toBe(points.length);
    let expected = 0;
    for (const joint of ['ankle', 'shoulder'] as const) {
      for (const p of generateCohort(joint, { seed: 5, count: 3, landmarksPerBone: 0, size: { shape: [16, 16, 8] } })) {
        if (p.caseId.endsWith('_001')) continue; // the test cases of fold 0
        const [nx, ny, nz] = p.label.shape;
        for (let z = 0; z < nz; z += 1) if (Array.from((p.label.data as Uint8Array).subarray(z * nx * ny, (z + 1) * nx * ny)).some((l) => l > 0)) expected += 1;
      }
    }
    expect(points.length).toBe(expected);
    expect(new Set(points.map((p) => p.group))).toEqual(new Set(['ankle', 'shoulder']));
    expect(new Set(points.map((p) => p.kind))).toEqual(new Set(['train', 'validation']));
    expect(points.some((p) => p.caseId.endsWith('_001'))).toBe(false);
  });

  it('shared: one head over the union of labels, single-scale contrastive, no MJAP', async () => {
    const dir = tempDir('shared');
    const before = tf.memory().numTensors;
    const report = await runExperiment(tiny(dir, { domainStrategy: 'shared', lambda3: 0, multiScale: false, data: { domains: ['shoulder', 'ankle'], cases: 3, shape: [16, 16, 8], emptyFraction: 0 } }));
    expect(tf.memory().numTensors).toBe(before);
    expect(report.cases.map((c) => c.domain)).toEqual(['shoulder', 'ankle']);
    const train = lastState(dir).history[0]!.train;
    expect(train['anatomicalPriors']).toBe(0);
    expect(train['contrastive']).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'fold-0/autoencoder'))).toBe(false);
    const model = JSON.parse(readFileSync(join(dir, 'fold-0/checkpoints/best/networks/segmentation/model.json'), 'utf8'));
    // 1 background + 2 shoulder bones + 3 ankle bones.
    expect(JSON.stringify(model)).toMatch(/"filters":6/);
  });

  it('validates multi-domain fields', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domains: ['ankle', 'knee'] as ('ankle' | 'knee')[], cases: 4 } };
    expect(resolveExperimentConfig(base)).toMatchObject({ procedure: 'multi-task', domainStrategy: 'dsl', lambda2: 0.5, lambda3: 0.1, multiScale: true });
    expect(resolveExperimentConfig({ ...base, preset: 'mtmd/dense-unet' })).toMatchObject({ lambda2: 0.05, batchSize: 12 });
    expect(() => resolveExperimentConfig({ ...base, batchSize: 9 })).toThrow(/multiple of the 2 domains/);
    expect(() => resolveExperimentConfig({ ...base, procedure: 'baseline' })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, strategy: 'global' })).toThrow(/multi-domain/);
    expect(() => resolveExperimentConfig({ ...base, data: { domains: ['ankle', 'ankle'], cases: 4 } })).toThrow(/duplicates/);
    expect(() => resolveExperimentConfig({ ...base, domainStrategy: 'transfer' as never })).toThrow(/domainStrategy/);
    expect(() => resolveExperimentConfig({ ...base, data: { domain: 'knee', domains: ['ankle', 'knee'], cases: 4 } })).toThrow(/not both/);
    expect(() => resolveExperimentConfig({ ...base, data: { domains: [], cases: 4 } })).toThrow(/non-empty/);
  });
});
