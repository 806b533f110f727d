import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';

/** Selects the pure-JS cpu backend (call from beforeAll). */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Deterministic pseudo-random values in [-1, 1) (LCG), so fixtures do not depend on tf's RNG. */
export function seeded(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A float32 tensor of seeded values. */
export function rand(shape: number[], seed = 1, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(seeded(n, seed).map((v) => v * scale), shape);
}

/** An int32 domain index tensor. */
export function domains(values: number[]): tf.Tensor1D {
  return tf.tensor1d(values, 'int32');
}

/** Elementwise |a − b| ≤ atol + rtol·|b|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

type LayerInputs = tf.Tensor[];

/** Sum of every output multiplied by a fixed random projection: a scalar whose gradient touches all outputs. */
function projectedLoss(layer: tfl.layers.Layer, inputs: LayerInputs, training: boolean, projections: tf.Tensor[]): tf.Scalar {
  const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training }) as tf.Tensor | tf.Tensor[];
  const outs = Array.isArray(out) ? out : [out];
  return outs.map((o, i) => tf.sum(tf.mul(o, projections[i]!))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
}

/** Output projections matching the layer's output shapes. */
export function projectionsFor(layer: tfl.layers.Layer, inputs: LayerInputs, training: boolean, seed = 99): tf.Tensor[] {
  return tf.tidy(() => {
    const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training }) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    return outs.map((o, i) => rand(o.shape, seed + i));
  });
}

/** Analytic gradients of the projected loss w.r.t. the float inputs listed and all trainable weights. */
export function analyticGradients(
  layer: tfl.layers.Layer,
  inputs: LayerInputs,
  floatInputs: number[],
  training: boolean,
  projections: tf.Tensor[],
): { inputs: Float32Array[]; weights: Float32Array[] } {
  return tf.tidy(() => {
    const inputGrads = floatInputs.map((idx) =>
      tf.grad((x: tf.Tensor) => projectedLoss(layer, inputs.map((t, j) => (j === idx ? x : t)), training, projections))(inputs[idx]!),
    );
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads: Record<string, tf.Tensor> =
      vars.length > 0 ? tf.variableGrads(() => projectedLoss(layer, inputs, training, projections), vars).grads : {};
    return {
      inputs: inputGrads.map((g) => g.dataSync() as Float32Array),
      weights: vars.map((v) => grads[v.name]!.dataSync() as Float32Array),
    };
  });
}

/**
 * Central difference at steps eps and eps/2 combined by Richardson extrapolation, (4·D(eps/2) − D(eps)) / 3:
 * the O(eps²) truncation error cancels, which matters for the strongly curved batch-statistics paths.
 */
function richardson(at: (delta: number) => number, eps: number): number {
  const d1 = (at(eps) - at(-eps)) / (2 * eps);
  const d2 = (at(eps / 2) - at(-eps / 2)) / eps;
  return (4 * d2 - d1) / 3;
}

/** Central finite differences (eps 1e-2, Richardson-extrapolated) of the projected loss, with the same layout as {@link analyticGradients}. */
export function numericGradients(
  layer: tfl.layers.Layer,
  inputs: LayerInputs,
  floatInputs: number[],
  training: boolean,
  projections: tf.Tensor[],
  eps = 1e-2,
): { inputs: Float32Array[]; weights: Float32Array[] } {
  const evaluate = (ins: LayerInputs): number => tf.tidy(() => projectedLoss(layer, ins, training, projections).dataSync()[0] as number);
  const inputGrads = floatInputs.map((idx) => {
    const base = inputs[idx]!;
    const values = base.dataSync().slice() as Float32Array;
    const grad = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const at = (delta: number): number => {
        const v = values.slice();
        v[i] = (v[i] as number) + delta;
        const t = tf.tensor(v, base.shape);
        const r = evaluate(inputs.map((x, j) => (j === idx ? t : x)));
        t.dispose();
        return r;
      };
      grad[i] = richardson(at, eps);
    }
    return grad;
  });
  const weightGrads = layer.trainableWeights.map((w) => {
    const variable = w.read() as tf.Variable;
    const values = variable.dataSync().slice() as Float32Array;
    const grad = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const at = (delta: number): number => {
        const v = values.slice();
        v[i] = (v[i] as number) + delta;
        tf.tidy(() => variable.assign(tf.tensor(v, variable.shape)));
        return evaluate(inputs);
      };
      grad[i] = richardson(at, eps);
    }
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
    return grad;
  });
  return { inputs: inputGrads, weights: weightGrads };
}

/** Checks analytic against finite-difference gradients for every float input and trainable weight. */
export function expectGradientsMatch(
  layer: tfl.layers.Layer,
  inputs: LayerInputs,
  floatInputs: number[],
  training: boolean,
  atol = 5e-3,
  rtol = 5e-3,
  reseed = true,
  seedBase = 1000,
): void {
  if (reseed && !layer.built) {
    // An unbuilt layer has no weights yet: build it, or the reseeding below would silently do nothing.
    tf.dispose(layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training }) as tf.Tensor | tf.Tensor[]);
  }
  if (reseed) {
    // Glorot initialization is unseeded; fixed weights keep the check deterministic (no kink lottery).
    layer.trainableWeights.forEach((w, i) => {
      const value = rand(w.shape as number[], seedBase + i, 0.8);
      w.write(w.name.endsWith('gamma') ? tf.add(value, 1) : value);
      value.dispose();
    });
  }
  const projections = projectionsFor(layer, inputs, training);
  const analytic = analyticGradients(layer, inputs, floatInputs, training, projections);
  const numeric = numericGradients(layer, inputs, floatInputs, training, projections);
  analytic.inputs.forEach((g, i) => expectClose(g, numeric.inputs[i]!, atol, rtol));
  analytic.weights.forEach((g, i) => {
    // A gradient that is identically zero would pass trivially; make sure something is being compared.
    expectClose(g, numeric.weights[i]!, atol, rtol);
  });
  const magnitude = [...analytic.inputs, ...analytic.weights].reduce((m, g) => Math.max(m, ...Array.from(g, Math.abs)), 0);
  expect(magnitude).toBeGreaterThan(1e-3);
  tf.dispose(projections);
}

/** Rows `idx` (batch axis) of a tensor. */
function rowsOf(t: tf.Tensor, idx: number[]): tf.Tensor {
  return tf.gather(t, tf.tensor1d(idx, 'int32'));
}

/**
 * Checks that applying `layer` to a mixed batch equals applying it to each domain's sub-batch: outputs
 * row by row, gradients w.r.t. the float inputs row by row, and weight gradients as the sum over sub-batches.
 * `floats` are batch-major float inputs; the domain tensor is appended as the last input.
 */
export function expectMixedBatchEquivalence(layer: tfl.layers.Layer, floats: tf.Tensor[], dom: number[], training: boolean): void {
  const all = [...floats, domains(dom)];
  const proj = projectionsFor(layer, all, training);
  const mixedOuts = tf.tidy(() => {
    const out = layer.apply(all, { training }) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out : [out]).map((o) => o.arraySync() as number[][]);
  });
  const floatIdx = floats.map((_, i) => i);
  const mixed = analyticGradients(layer, all, floatIdx, training, proj);
  const inputGrads = floats.map((f) => new Float32Array(f.size));
  const weightGrads = layer.trainableWeights.map((w) => new Float32Array(w.shape.reduce<number>((a, b) => a * (b ?? 1), 1)));
  for (const k of [...new Set(dom)]) {
    const idx = dom.flatMap((dk, i) => (dk === k ? [i] : []));
    const subInputs = [...floats.map((f) => rowsOf(f, idx)), domains(idx.map(() => k))];
    const subOuts = tf.tidy(() => {
      const out = layer.apply(subInputs, { training }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(out) ? out : [out]).map((o) => o.arraySync() as number[][]);
    });
    subOuts.forEach((o, oi) => idx.forEach((i, j) => expectClose((o[j] as unknown as number[]).flat(4), (mixedOuts[oi]![i] as unknown as number[]).flat(4), 1e-5, 1e-4)));
    const g = analyticGradients(layer, subInputs, floatIdx, training, proj.map((p) => rowsOf(p, idx)));
    floats.forEach((f, fi) => {
      const per = f.size / (f.shape[0] as number);
      idx.forEach((i, j) => inputGrads[fi]!.set(g.inputs[fi]!.subarray(j * per, (j + 1) * per), i * per));
    });
    g.weights.forEach((w, wi) => w.forEach((v, vi) => (weightGrads[wi]![vi] = weightGrads[wi]![vi]! + v)));
    tf.dispose(subInputs);
  }
  mixed.inputs.forEach((g, i) => expectClose(g, inputGrads[i]!, 1e-5, 1e-4));
  mixed.weights.forEach((g, i) => expectClose(g, weightGrads[i]!, 1e-5, 1e-4));
  tf.dispose(proj);
}

/** Runs `step` a few times and checks the live tensor count stays flat after the first (warm-up) run. */
export function expectFlatMemory(step: () => void, runs = 3): void {
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < runs; i++) step();
  expect(tf.memory().numTensors).toBe(before);
}
