import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCohort } from '@pedseg/data';
import { Trainer, TrainConfigError, combinedRegularizationSteps, individualRegularizationSteps, runExperiment } from '@pedseg/train';
import type { IndividualMember, TermValues } from '@pedseg/train';
import { sameArrays, tempDir, tinyAnkleExperiment, tinyDiscriminator, useCpu } from './helpers.js';

beforeAll(useCpu);

const init = (seed: number) => tfl.initializers.glorotUniform({ seed });

/** The layers of one member network: conv–BN–ReLU, conv, 1×1 sigmoid (16×16×1 → 16×16×1). */
function memberLayers(seed: number): tfl.layers.Layer[] {
  return [
    tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(seed) }),
    tfl.layers.batchNormalization(),
    tfl.layers.activation({ activation: 'relu' }),
    tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(seed + 1) }),
    tfl.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid', kernelInitializer: init(seed + 2) }),
  ];
}

function applyAll(layers: tfl.layers.Layer[], x: tfl.SymbolicTensor): tfl.SymbolicTensor {
  return layers.reduce((h, l) => l.apply(h) as tfl.SymbolicTensor, x);
}

/** C independent members concatenated on the channel axis (as `@pedseg/models`' individual strategy), and each member's layers. */
function composite(seeds: number[]): { model: tfl.LayersModel; members: tfl.layers.Layer[][] } {
  const x = tfl.input({ shape: [16, 16, 1] });
  const members = seeds.map(memberLayers);
  const outs = members.map((m) => applyAll(m, x));
  return { model: tfl.model({ inputs: x, outputs: tfl.layers.concatenate({ axis: -1 }).apply(outs) as tfl.SymbolicTensor }), members };
}

function solo(seed: number): { model: tfl.LayersModel; layers: tfl.layers.Layer[] } {
  const x = tfl.input({ shape: [16, 16, 1] });
  const layers = memberLayers(seed);
  return { model: tfl.model({ inputs: x, outputs: applyAll(layers, x) }), layers };
}

/** Shape encoder F_c on one-channel masks → 8×8×3 codes. */
function encoder(seed: number): tfl.LayersModel {
  return tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [16, 16, 1], filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(seed) })] });
}

function values(layers: tfl.layers.Layer[]): Float32Array[] {
  return layers.flatMap((l) => l.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)));
}

function modelValues(m: tfl.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  a.forEach((x, i) => x.forEach((v, j) => (m = Math.max(m, Math.abs(v - ((b[i] as Float32Array)[j] as number))))));
  return m;
}

/** Two bones: a disc (channel 0) and a bar (channel 1) on a noisy background; 4 images. */
function batch(): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const xs = new Float32Array(4 * 256);
  const ys = new Float32Array(4 * 256 * 2);
  for (let i = 0; i < 4; i += 1) {
    for (let p = 0; p < 256; p += 1) {
      const [r, c] = [Math.floor(p / 16), p % 16];
      const disc = (r - 5 - i) ** 2 + (c - 5) ** 2 <= 9;
      const bar = !disc && c >= 10 + (i % 2) && c <= 12 + (i % 2) && r >= 3 && r <= 13;
      xs[i * 256 + p] = disc ? 0.9 : bar ? 0.6 : 0.1 + 0.05 * Math.sin(p * 1.7 + i);
      if (disc) ys[(i * 256 + p) * 2] = 1;
      if (bar) ys[(i * 256 + p) * 2 + 1] = 1;
    }
  }
  return { x: tf.tensor4d(xs, [4, 16, 16, 1]), y: tf.tensor4d(ys, [4, 16, 16, 2]) };
}

const LAMBDAS = { lambda1: 0.5, lambda2: 0.2 };

describe('individual strategy: one network, auto-encoder and discriminator per bone (paper 000 §3.2.1)', () => {
  it('a joint step on C members equals C separate trainings, each with its own F_c and D_c', () => {
    const { x, y } = batch();
    const F = [encoder(40), encoder(50)];
    // Joint: one composite network, a discriminator per member.
    const joint = composite([1, 11]);
    const D = [tinyDiscriminator(20, 1), tinyDiscriminator(30, 1)];
    const trainer = new Trainer({
      segmentation: { model: joint.model, optimizer: { learningRate: 1e-2 } },
      'discriminator-s0': { model: D[0]!, optimizer: { learningRate: 1e-2 } },
      'discriminator-s1': { model: D[1]!, optimizer: { learningRate: 1e-2 } },
    });
    const members: IndividualMember[] = [0, 1].map((c) => ({ encoder: F[c]!, discriminator: `discriminator-s${c}` }));
    // Separate: member c alone, with an identically initialized D_c, on its own bone's channel.
    const alone = [0, 1].map((c) => {
      const s = solo([1, 11][c]!);
      const d = tinyDiscriminator([20, 30][c]!, 1);
      const t = new Trainer({ segmentation: { model: s.model, optimizer: { learningRate: 1e-2 } }, discriminator: { model: d, optimizer: { learningRate: 1e-2 } } });
      return { ...s, d, t, y: tf.slice(y, [0, 0, 0, c], [-1, -1, -1, 1]) };
    });
    const before = tf.memory().numTensors;
    let jointLogs: TermValues = {};
    const aloneLogs: TermValues[] = [{}, {}];
    for (let step = 0; step < 2; step += 1) {
      jointLogs = individualRegularizationSteps(trainer, { network: 'segmentation', members, image: x, labels: y, ...LAMBDAS });
      alone.forEach((a, c) => {
        aloneLogs[c] = combinedRegularizationSteps(a.t, { network: 'segmentation', discriminator: 'discriminator', encoder: F[c]!, image: x, labels: a.y, crossEntropy: 'binary', ...LAMBDAS });
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(jointLogs).sort()).toEqual([
      'discriminator-s0.total',
      'discriminator-s1.total',
      'segmentation.adversarial',
      'segmentation.crossEntropy',
      'segmentation.shapePriors',
      'segmentation.total',
    ]);
    for (const v of Object.values(jointLogs)) expect(Number.isFinite(v)).toBe(true);
    for (const c of [0, 1]) {
      expect(jointLogs[`discriminator-s${c}.total`]).toBeCloseTo(aloneLogs[c]!['discriminator.total'] as number, 5);
      // Member c's weights and D_c moved exactly as in its own training.
      const a = alone[c]!;
      expect(maxAbsDiff(values(joint.members[c]!), values(a.layers))).toBeLessThan(1e-6);
      expect(maxAbsDiff(modelValues(D[c]!), modelValues(a.d))).toBeLessThan(1e-6);
    }
    // The segmentation terms are sums over the members.
    for (const term of ['total', 'crossEntropy', 'shapePriors', 'adversarial']) {
      expect(jointLogs[`segmentation.${term}`]).toBeCloseTo((aloneLogs[0]![`segmentation.${term}`] as number) + (aloneLogs[1]![`segmentation.${term}`] as number), 5);
    }
    // Every network moved (the comparison above is not between untouched weights).
    const fresh = composite([1, 11]);
    for (const c of [0, 1]) expect(maxAbsDiff(values(joint.members[c]!), values(fresh.members[c]!))).toBeGreaterThan(1e-4);
    trainer.dispose();
    alone.forEach((a) => {
      a.t.dispose();
      a.y.dispose();
    });
    tf.dispose([x, y]);
  });

  it("changing member 1's regularizers changes member 1's update only", () => {
    const { x, y } = batch();
    const run = (seedF1: number, seedD1: number): { members: Float32Array[][]; d0: Float32Array[] } => {
      const net = composite([1, 11]);
      const D = [tinyDiscriminator(20, 1), tinyDiscriminator(seedD1, 1)];
      const trainer = new Trainer({
        segmentation: { model: net.model, optimizer: { learningRate: 1e-2 } },
        'discriminator-s0': { model: D[0]!, optimizer: { learningRate: 1e-2 } },
        'discriminator-s1': { model: D[1]!, optimizer: { learningRate: 1e-2 } },
      });
      const members: IndividualMember[] = [
        { encoder: encoder(40), discriminator: 'discriminator-s0' },
        { encoder: encoder(seedF1), discriminator: 'discriminator-s1' },
      ];
      individualRegularizationSteps(trainer, { network: 'segmentation', members, image: x, labels: y, ...LAMBDAS });
      trainer.dispose();
      return { members: net.members.map(values), d0: modelValues(D[0]!) };
    };
    const a = run(50, 30);
    const b = run(51, 31);
    expect(sameArrays(a.members[0]!, b.members[0]!)).toBe(true);
    expect(sameArrays(a.d0, b.d0)).toBe(true);
    expect(sameArrays(a.members[1]!, b.members[1]!)).toBe(false);
    tf.dispose([x, y]);
  });

  it('typed errors: a member without its networks, shared discriminators, labels of the wrong width', () => {
    const { x, y } = batch();
    const net = composite([1, 11]);
    const D = tinyDiscriminator(20, 1);
    const trainer = new Trainer({ segmentation: { model: net.model, optimizer: { learningRate: 1e-2 } }, discriminator: { model: D, optimizer: { learningRate: 1e-2 } } });
    const F = encoder(40);
    const call = (members: IndividualMember[], labels = y) => () => individualRegularizationSteps(trainer, { network: 'segmentation', members, image: x, labels, ...LAMBDAS });
    expect(call([{ encoder: F, discriminator: 'discriminator' }, { encoder: F, discriminator: 'discriminator' }])).toThrow(/its own discriminator/);
    expect(call([{ encoder: F, discriminator: 'discriminator' }, { discriminator: 'discriminator' }])).toThrow(TrainConfigError);
    expect(call([{ encoder: F, discriminator: 'discriminator' }])).toThrow(/C = 1 members/);
    trainer.dispose();
    tf.dispose([x, y]);
  });

  it('runExperiment: per-bone auto-encoders and discriminators, checkpointed separately; t-SNE of shape codes', async () => {
    const dir = tempDir('individual-members');
    const config = tinyAnkleExperiment(dir, { name: 'ind', strategy: 'individual', procedure: 'combined-regularization' });
    const before = tf.memory().numTensors;
    const report = await runExperiment(config);
    expect(tf.memory().numTensors).toBe(before);
    const fold = join(dir, 'fold-0');
    const latest = (ckpt: string): string => join(ckpt, JSON.parse(readFileSync(join(ckpt, 'latest.json'), 'utf8')).checkpoint as string);
    const seg = latest(join(fold, 'checkpoints'));
    expect(readdirSync(join(seg, 'networks')).sort()).toEqual(['discriminator-s0', 'discriminator-s1', 'discriminator-s2', 'segmentation']);
    const ae = latest(join(fold, 'autoencoder'));
    expect(readdirSync(join(ae, 'networks')).sort()).toEqual(['autoencoder-s0', 'autoencoder-s1', 'autoencoder-s2']);
    // Each auto-encoder learnt its own bone: their reconstruction losses differ.
    const aeTrain = JSON.parse(readFileSync(join(ae, 'state.json'), 'utf8')).history[0].train as Record<string, number>;
    const ce = [0, 1, 2].map((c) => aeTrain[`autoencoder-s${c}.crossEntropy`] as number);
    ce.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    expect(new Set(ce).size).toBe(3);
    // One-channel discriminators, each with its own weights.
    const dWeights = [0, 1, 2].map((c) => readFileSync(join(seg, 'networks', `discriminator-s${c}`, 'weights.bin')));
    const dModel = JSON.parse(readFileSync(join(seg, 'networks', 'discriminator-s0', 'model.json'), 'utf8'));
    expect(JSON.stringify(dModel)).toMatch(/"batch_input_shape":\[null,16,16,1\]/);
    expect(dWeights[0]!.equals(dWeights[1]!)).toBe(false);
    expect(dWeights[1]!.equals(dWeights[2]!)).toBe(false);
    const segTrain = JSON.parse(readFileSync(join(seg, 'state.json'), 'utf8')).history[0].train as Record<string, number>;
    expect(Object.keys(segTrain).sort()).toEqual([
      'discriminator-s0.total',
      'discriminator-s1.total',
      'discriminator-s2.total',
      'segmentation.adversarial',
      'segmentation.crossEntropy',
      'segmentation.shapePriors',
      'segmentation.total',
    ]);
    expect(existsSync(join(fold, 'autoencoder_learning_curves.svg'))).toBe(true);
    // t-SNE of the test case's bone masks: one point per non-empty ground-truth (and predicted) bone mask of a slice.
    const points = JSON.parse(readFileSync(join(fold, 'figures/tsne-shape-codes.json'), 'utf8')) as { group: string; kind: string; slice: number }[];
    const svg = readFileSync(join(fold, 'figures/tsne-shape-codes.svg'), 'utf8');
    const markers = (svg.match(/fill-opacity="0.8"/g) ?? []).length + (svg.match(/<path d="M/g) ?? []).length;
    expect(markers).toBe(points.length);
    const truth = points.filter((p) => p.kind === 'truth');
    const testId = report.cases[0]!.caseId;
    const phantom = [...generateCohort('ankle', { seed: 3, count: 3, landmarksPerBone: 0, size: { shape: [16, 16, 8] } })].find((p) => p.caseId === testId)!;
    let expected = 0;
    const bones = new Set<string>();
    const [nx, ny, nz] = phantom.label.shape;
    for (let z = 0; z < nz; z += 1) {
      const present = new Set<number>();
      for (let k = 0; k < nx * ny; k += 1) present.add((phantom.label.data as ArrayLike<number>)[z * nx * ny + k] as number);
      present.delete(0);
      expected += present.size;
      for (const l of present) bones.add(['background', 'calcaneus', 'talus', 'tibia'][l] as string);
    }
    expect(expected).toBeGreaterThan(3);
    expect(truth.length).toBe(expected);
    expect(new Set(truth.map((p) => p.group))).toEqual(bones);
  });
});
