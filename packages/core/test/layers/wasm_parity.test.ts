import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WASM_TRAINING_KERNELS, initBackend } from '../../src/backend/index.js';
import {
  AttentionGate,
  DomainSpecificBatchNorm,
  DomainSpecificHeads,
  InstanceNormalization,
  MultiDomainAttentionGate,
  MultiDomainConvBlock,
  MultiDomainMBConv,
  PcaShapeLayer,
  SqueezeExcitation,
  loadModel,
  saveModel,
} from '@pedseg/core';
import { analyticGradients, domains, expectClose, projectionsFor, seeded, useCpu } from './helpers.js';

/**
 * tfjs-wasm 4.22's own Conv3DBackpropInputV2 returns wrong, run-to-run varying input gradients (forward
 * Conv3D and Conv3DBackpropFilterV2 agree with cpu; repeated calls with the same inputs disagree with each
 * other, which points at an output buffer that is not cleared). Until the backend
 * registers its own Conv3DBackpropInputV2, the input gradients of 3D-convolution cases are not compared.
 */
const CONV3D_INPUT_GRAD_FIXED = WASM_TRAINING_KERNELS.includes('Conv3DBackpropInputV2');

interface Case {
  name: string;
  /** The case's input gradient goes through a 3D convolution. */
  conv3d?: boolean;
  layer: tfl.layers.Layer;
  shapes: number[][]; // float inputs
  domain?: number[];
}

const cases = (): Case[] => [
  { name: 'DomainSpecificBatchNorm', layer: new DomainSpecificBatchNorm({ numDomains: 3 }), shapes: [[4, 3, 3, 2]], domain: [2, 0, 2, 1] },
  { name: 'InstanceNormalization', layer: new InstanceNormalization(), shapes: [[2, 2, 3, 2, 2]] },
  { name: 'MultiDomainConvBlock 2D', layer: new MultiDomainConvBlock({ numDomains: 2, filters: 3, strides: 2, activation: 'silu' }), shapes: [[3, 5, 5, 2]], domain: [1, 0, 1] },
  { name: 'MultiDomainConvBlock 3D', conv3d: true, layer: new MultiDomainConvBlock({ numDomains: 2, filters: 2 }), shapes: [[2, 3, 3, 3, 1]], domain: [1, 0] },
  { name: 'AttentionGate', layer: new AttentionGate({ intermediateChannels: 2, returnAttention: true }), shapes: [[2, 3, 3, 2], [2, 3, 3, 3]] },
  { name: 'MultiDomainAttentionGate', layer: new MultiDomainAttentionGate({ numDomains: 2, intermediateChannels: 2, returnAttention: true }), shapes: [[3, 3, 3, 2], [3, 3, 3, 1]], domain: [0, 1, 1] },
  { name: 'DomainSpecificHeads', layer: new DomainSpecificHeads({ classCounts: [2, 4] }), shapes: [[3, 3, 3, 3]], domain: [1, 0, 1] },
  { name: 'SqueezeExcitation', layer: new SqueezeExcitation({ squeezeChannels: 2 }), shapes: [[2, 3, 3, 4]] },
  { name: 'MultiDomainMBConv', layer: new MultiDomainMBConv({ numDomains: 2, filters: 2, expandRatio: 3, kernelSize: 3 }), shapes: [[3, 4, 4, 2]], domain: [1, 1, 0] },
  {
    name: 'PcaShapeLayer',
    layer: new PcaShapeLayer({ dims: 3, numLandmarks: 2, numComponents: 1, shapeModel: { mean: [1, 0, 0, 0, 1, 0], components: [[0, 0, 1, 1, 0, 0]] } }),
    shapes: [[2, 10]],
  },
];

interface Result {
  outputs: number[][];
  inputGrads: number[][];
  weightGrads: number[][];
}

function run(c: Case, weights: tf.Tensor[] | null, training: boolean): { result: Result; weights: tf.Tensor[] } {
  const floats = c.shapes.map((s, i) => tf.tensor(seeded(s.reduce((a, b) => a * b, 1), 11 + i), s));
  const inputs = c.domain ? [...floats, domains(c.domain)] : floats;
  const apply = () => c.layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training }) as tf.Tensor | tf.Tensor[];
  tf.dispose(apply()); // builds on first use
  if (weights) c.layer.setWeights(weights);
  const saved = c.layer.getWeights().map((w) => tf.tensor(w.dataSync().slice(), w.shape));
  const projections = projectionsFor(c.layer, inputs, training, 5);
  c.layer.setWeights(saved);
  const outs = apply();
  const outputs = (Array.isArray(outs) ? outs : [outs]).map((o) => Array.from(o.dataSync()));
  c.layer.setWeights(saved);
  const g = analyticGradients(c.layer, inputs, floats.map((_, i) => i), training, projections);
  tf.dispose([outs, projections, inputs]);
  return {
    result: { outputs, inputGrads: g.inputs.map((a) => Array.from(a)), weightGrads: g.weights.map((a) => Array.from(a)) },
    weights: saved.map((w) => tf.tensor(w.dataSync().slice(), w.shape)),
  };
}

describe('cpu ↔ wasm parity (forward and gradients)', () => {
  const list = cases();
  const reference = new Map<string, { result: Result; weights: number[][]; shapes: number[][] }>();

  beforeAll(async () => {
    await useCpu();
    for (const c of list) {
      for (const training of [true, false]) {
        const { result, weights } = run(c, null, training);
        reference.set(`${c.name}/${training}`, { result, weights: weights.map((w) => Array.from(w.dataSync())), shapes: weights.map((w) => w.shape) });
        tf.dispose(weights);
      }
    }
    const started = await initBackend({ backend: 'wasm', threads: 1, onWarning: () => undefined });
    expect(started.backend).toBe('wasm');
  });

  afterAll(async () => {
    await useCpu();
  });

  for (const c of list) {
    for (const training of [true, false]) {
      it(`${c.name} (${training ? 'training' : 'inference'})`, () => {
        expect(tf.getBackend()).toBe('wasm');
        const ref = reference.get(`${c.name}/${training}`)!;
        const weights = ref.weights.map((w, i) => tf.tensor(w, ref.shapes[i]));
        const { result, weights: used } = run(c, weights, training);
        tf.dispose([weights, used]);
        result.outputs.forEach((o, i) => expectClose(o, ref.result.outputs[i]!, 1e-5, 1e-4));
        if (!c.conv3d || CONV3D_INPUT_GRAD_FIXED) {
          result.inputGrads.forEach((g, i) => expectClose(g, ref.result.inputGrads[i]!, 1e-4, 1e-3));
        }
        result.weightGrads.forEach((g, i) => expectClose(g, ref.result.weightGrads[i]!, 1e-4, 1e-3));
      });
    }
  }

  it('saveModel / loadModel round trip on wasm', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const image = tfl.input({ shape: [3, 3, 2] });
    const domain = tfl.input({ shape: [1], dtype: 'int32' });
    const block = new MultiDomainConvBlock({ numDomains: 2, filters: 2 }).apply([image, domain]) as tfl.SymbolicTensor;
    const probs = new DomainSpecificHeads({ classCounts: [2, 3] }).apply([block, domain]) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [image, domain], outputs: probs });
    const x = tf.tensor(seeded(36, 3), [2, 3, 3, 2]);
    const d = tf.tensor2d([[1], [0]], [2, 1], 'int32');
    tf.dispose(model.apply([x, d], { training: true }) as tf.Tensor);
    const dir = await mkdtemp(join(tmpdir(), 'pedseg-wasm-'));
    try {
      await saveModel(model, join(dir, 'm'));
      const loaded = await loadModel(join(dir, 'm'));
      const a = Array.from((model.predict([x, d]) as tf.Tensor).dataSync());
      const b = Array.from((loaded.predict([x, d]) as tf.Tensor).dataSync());
      expect(b).toEqual(a);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
