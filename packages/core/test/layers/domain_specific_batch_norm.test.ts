import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainIndexError, DomainSpecificBatchNorm, LayerConfigError } from '@pedseg/core';
import { analyticGradients, domains, expectClose, expectFlatMemory, expectGradientsMatch, projectionsFor, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

const EPS = 1e-5;

/** [gamma, beta, moving_mean, moving_variance], each [K, C]. */
function setDsbn(layer: DomainSpecificBatchNorm, gamma: number[][], beta: number[][], mean: number[][], variance: number[][]): void {
  layer.setWeights([gamma, beta, mean, variance].map((w) => tf.tensor2d(w)));
}

describe('DomainSpecificBatchNorm (Eq. 2)', () => {
  // Samples (H = 1, W = 2, C = 1): s0 = [1, 3] (domain 0), s1 = [2, 6] (domain 1), s2 = [5, 7] (domain 0).
  // Domain 0 pools {1, 3, 5, 7}: μ = 4, σ² = (9 + 1 + 1 + 9) / 4 = 5. Domain 1 pools {2, 6}: μ = 4, σ² = 4.
  const x = () => tf.tensor4d([1, 3, 2, 6, 5, 7], [3, 1, 2, 1]);
  const d = () => domains([0, 1, 0]);

  it('normalizes each domain with its own batch statistics in training', () => {
    const layer = new DomainSpecificBatchNorm({ numDomains: 3, momentum: 0.9 });
    layer.apply([x(), d()]);
    setDsbn(layer, [[2], [3], [1]], [[0.5], [-1], [0]], [[0], [0], [7]], [[1], [1], [2]]);
    const y = layer.apply([x(), d()], { training: true }) as tf.Tensor;
    const n0 = (v: number) => (2 * (v - 4)) / Math.sqrt(5 + EPS) + 0.5;
    const n1 = (v: number) => (3 * (v - 4)) / Math.sqrt(4 + EPS) - 1;
    expectClose(y.dataSync(), [n0(1), n0(3), n1(2), n1(6), n0(5), n0(7)], 1e-5);
    // Moving statistics: m ← 0.9·m + 0.1·batch for present domains; domain 2 (absent) untouched.
    const [, , mm, mv] = layer.getWeights();
    expectClose(mm!.dataSync(), [0.4, 0.4, 7], 1e-6);
    expectClose(mv!.dataSync(), [0.9 + 0.5, 0.9 + 0.4, 2], 1e-6);
  });

  it('uses each domain’s moving statistics at inference and leaves them unchanged', () => {
    const layer = new DomainSpecificBatchNorm({ numDomains: 2 });
    layer.apply([x(), d()]);
    setDsbn(layer, [[2], [1]], [[1], [0]], [[3], [-1]], [[4], [0.25]]);
    const y = layer.apply([x(), d()]) as tf.Tensor;
    const n0 = (v: number) => (2 * (v - 3)) / Math.sqrt(4 + EPS) + 1;
    const n1 = (v: number) => (v + 1) / Math.sqrt(0.25 + EPS);
    expectClose(y.dataSync(), [n0(1), n0(3), n1(2), n1(6), n0(5), n0(7)], 1e-5);
    expectClose(layer.getWeights()[2]!.dataSync(), [3, -1]);
  });

  it('works on rank-2 (dense) and 3D NDHWC features: 3D equals the 2D result with D and H merged', () => {
    const layer = new DomainSpecificBatchNorm({ numDomains: 2 });
    const x5 = rand([3, 2, 2, 2, 3], 4);
    const dom = domains([1, 0, 1]);
    const y5 = layer.apply([x5, dom], { training: true }) as tf.Tensor;
    expect(y5.shape).toEqual([3, 2, 2, 2, 3]);
    const y4 = layer.apply([tf.reshape(x5, [3, 4, 2, 3]), dom], { training: true }) as tf.Tensor;
    expectClose(y5.dataSync(), y4.dataSync(), 1e-6);
    const dense = new DomainSpecificBatchNorm({ numDomains: 2 }).apply(
      [tf.tensor2d([[1, 2, 3], [3, 6, -1], [0, 0, 0], [4, 2, 2]]), domains([0, 0, 1, 1])],
      { training: true },
    ) as tf.Tensor;
    // Each domain's two samples normalize to ±1 per channel (σ² = (a−b)²/4).
    expectClose(Array.from(dense.dataSync(), Math.abs), Array(12).fill(1), 1e-4);
  });

  it('mixed batch equals running each domain’s sub-batch separately (forward and gradients)', () => {
    const layer = new DomainSpecificBatchNorm({ numDomains: 3 });
    const xs = rand([5, 2, 2, 2], 7, 2);
    const dom = [2, 0, 2, 1, 0];
    layer.apply([xs, domains(dom)]);
    layer.setWeights([rand([3, 2], 8), rand([3, 2], 9), rand([3, 2], 10), tf.add(rand([3, 2], 11), 2)]);
    const proj = projectionsFor(layer, [xs, domains(dom)], true);
    const mixedOut = (layer.apply([xs, domains(dom)], { training: true }) as tf.Tensor).arraySync() as number[][][][];
    const mixed = analyticGradients(layer, [xs, domains(dom)], [0], true, proj);
    const rows = xs.arraySync() as number[][][][];
    const projRows = proj[0]!.arraySync() as number[][][][];
    const xGrad = new Float32Array(mixed.inputs[0]!.length);
    const weightGrads = layer.trainableWeights.map((w) => new Float32Array(w.shape.reduce((a, b) => a! * b!, 1)!));
    for (const k of [0, 1, 2]) {
      const idx = dom.flatMap((dk, i) => (dk === k ? [i] : []));
      const sub = tf.tensor(idx.map((i) => rows[i]!));
      const subOut = (layer.apply([sub, domains(idx.map(() => k))], { training: true }) as tf.Tensor).arraySync() as number[][][][];
      idx.forEach((i, j) => expectClose(subOut[j]!.flat(2), mixedOut[i]!.flat(2), 1e-5));
      const g = analyticGradients(layer, [sub, domains(idx.map(() => k))], [0], true, [tf.tensor(idx.map((i) => projRows[i]!))]);
      const per = 8;
      idx.forEach((i, j) => xGrad.set(g.inputs[0]!.subarray(j * per, (j + 1) * per), i * per));
      g.weights.forEach((w, wi) => w.forEach((v, vi) => (weightGrads[wi]![vi] = weightGrads[wi]![vi]! + v)));
    }
    expectClose(mixed.inputs[0]!, xGrad, 1e-5, 1e-4);
    mixed.weights.forEach((w, i) => expectClose(w, weightGrads[i]!, 1e-5, 1e-4));
  });

  it('property: for any domain assignment, mixed-batch output equals per-domain normalization', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((k) =>
          fc.record({
            k: fc.constant(k),
            dom: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: 1, maxLength: 6 }),
            seed: fc.integer({ min: 1, max: 1000 }),
          }),
        ),
        ({ k, dom, seed }) => {
          tf.tidy(() => {
            const layer = new DomainSpecificBatchNorm({ numDomains: k });
            const xs = rand([dom.length, 2, 2, 3], seed, 3);
            const y = (layer.apply([xs, domains(dom)], { training: true }) as tf.Tensor).arraySync() as number[][][][];
            const rows = xs.arraySync() as number[][][][];
            for (const d of new Set(dom)) {
              const idx = dom.flatMap((v, i) => (v === d ? [i] : []));
              // Oracle: plain moments of the domain's own samples (tf.moments over batch and space).
              const sub = tf.tensor(idx.map((i) => rows[i]!));
              const { mean, variance } = tf.moments(sub, [0, 1, 2]);
              const expected = tf.div(tf.sub(sub, mean), tf.sqrt(tf.add(variance, 1e-5))).arraySync() as number[][][][];
              idx.forEach((i, j) => expectClose(y[i]!.flat(2), expected[j]!.flat(2), 1e-4, 1e-4));
            }
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('gradients match central finite differences (training and inference)', () => {
    const layer = new DomainSpecificBatchNorm({ numDomains: 2 });
    const xs = rand([3, 2, 2, 2], 12, 2);
    layer.apply([xs, domains([0, 1, 0])]);
    layer.setWeights([tf.add(rand([2, 2], 13), 1.5), rand([2, 2], 14), rand([2, 2], 15), tf.add(rand([2, 2], 16), 2)]);
    expectGradientsMatch(layer, [xs, domains([0, 1, 0])], [0], true, 5e-3, 5e-3, false);
    expectGradientsMatch(layer, [xs, domains([0, 1, 0])], [0], false, 5e-3, 5e-3, false);
  });

  it('rejects a wrong domain dtype, length or index at call time with DomainIndexError', () => {
    const layer = new DomainSpecificBatchNorm({ numDomains: 2 });
    const xs = rand([3, 1, 2, 1]);
    expect(() => layer.apply([xs, tf.tensor1d([0, 1, 0], 'float32')])).toThrow(DomainIndexError);
    expect(() => layer.apply([xs, domains([0, 1])])).toThrow(/length 2.*batch size 3/);
    expect(() => layer.apply([xs, domains([0, 2, 0])])).toThrow(DomainIndexError);
    expect(() => layer.apply([xs, domains([0, -1, 0])])).toThrow(/out of range/);
    expect(() => layer.apply([xs, tf.tensor2d([[0, 1, 0]], [1, 3], 'int32')])).toThrow(DomainIndexError);
    // [batch, 1] (what LayersModel.fit makes of [batch] data) is accepted.
    expect((layer.apply([xs, tf.tensor2d([[0], [1], [0]], [3, 1], 'int32')]) as tf.Tensor).shape).toEqual([3, 1, 2, 1]);
    expect(() => new DomainSpecificBatchNorm({ numDomains: 0 })).toThrow(LayerConfigError);
    expect(() => new DomainSpecificBatchNorm({ numDomains: 2, momentum: 1.5 })).toThrow(LayerConfigError);
  });

  it('trains inside a functional model with inputs [image, domain] via fit()', async () => {
    const image = tfl.input({ shape: [3, 3, 2] });
    const domain = tfl.input({ shape: [1], dtype: 'int32' });
    const conv = tfl.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false }).apply(image) as tfl.SymbolicTensor;
    const dsbn = new DomainSpecificBatchNorm({ numDomains: 2, momentum: 0.5 });
    const out = dsbn.apply([conv, domain]) as tfl.SymbolicTensor;
    expect(out.shape).toEqual([null, 3, 3, 2]);
    const model = tfl.model({ inputs: [image, domain], outputs: out });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = rand([4, 3, 3, 2], 20);
    const before = dsbn.getWeights()[2]!.dataSync().slice();
    await model.fit([xs, tf.tensor2d([[0], [0], [1], [1]], [4, 1], 'int32')], rand([4, 3, 3, 2], 21), { epochs: 1, batchSize: 4, verbose: 0 });
    const after = dsbn.getWeights()[2]!.dataSync();
    expect(Array.from(after)).not.toEqual(Array.from(before));
    expect(model.trainableWeights.map((w) => w.name).filter((n) => n.includes('gamma')).length).toBe(1);
    // Memory stays flat across fit() epochs, custom training steps and inference calls.
    const dom = tf.tensor2d([[0], [1], [1], [0]], [4, 1], 'int32');
    const target = rand([4, 3, 3, 2], 22);
    const opt = tf.train.sgd(0.01);
    expectFlatMemory(() => {
      opt.minimize(() => tf.losses.meanSquaredError(target, model.apply([xs, dom], { training: true }) as tf.Tensor) as tf.Scalar);
    });
    expectFlatMemory(() => tf.dispose(model.predict([xs, dom])));
    await model.fit([xs, dom], target, { epochs: 1, verbose: 0 });
    const before2 = tf.memory().numTensors;
    await model.fit([xs, dom], target, { epochs: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before2);
  });
});
