import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DomainLabelError,
  InvalidLossOptionError,
  LossRankError,
  LossShapeError,
  multiScaleContrastiveLoss,
  supervisedContrastiveLoss,
} from '@pedseg/losses';
import { expectClose, loadFixtures, useCpu, value } from './helpers.js';

const fx = loadFixtures();

beforeAll(useCpu);

function supcon(rows: number[][], domains: number[], temperature = 0.1): number {
  const z = tf.tensor2d(rows);
  const v = value(supervisedContrastiveLoss(z, domains, { temperature }));
  z.dispose();
  return v;
}

describe('supervisedContrastiveLoss — analytic cases (shared/reference)', () => {
  it('n identical embeddings in one domain: log(n − 1)', () => {
    expectClose(supcon([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]], [0, 0, 0, 0]), 1.0986123, 1e-6);
    expectClose(supcon(Array.from({ length: 6 }, () => [0.5, -1]), [2, 2, 2, 2, 2, 2], 0.3), Math.log(5), 1e-6);
  });

  it('two domains of two, identical within and orthogonal across: log(1 + 2e^(−1/τ))', () => {
    const rows = [[1, 0], [1, 0], [0, 3], [0, 3]];
    // float32: 1 + 2e^(−10) is rounded to a 1.2e-7 grid before the log, so ~1e-7 absolute.
    expectClose(supcon(rows, [0, 0, 1, 1], 0.1), 9.07957e-5, 0, 1e-7);
    expectClose(supcon(rows, [0, 0, 1, 1], 0.5), Math.log(1 + 2 * Math.exp(-2)), 1e-5);
  });
});

describe('supervisedContrastiveLoss — numpy reference (Eq. 3)', () => {
  for (const c of fx.supcon) {
    it(`${c.name}`, () => {
      const z = tf.tensor2d(c.embeddings);
      const d = tf.tensor1d(c.domains, 'int32');
      const v = value(supervisedContrastiveLoss(z as tf.Tensor2D, d as tf.Tensor1D, { temperature: c.temperature }));
      expectClose(v, c.loss, 2e-5, 1e-6);
      tf.dispose([z, d]);
    });
  }

  it('all-zero and all-identical embeddings stay finite, gradients too', () => {
    const zero = tf.zeros([4, 3]) as tf.Tensor2D;
    expectClose(value(supervisedContrastiveLoss(zero, [0, 0, 1, 1])), Math.log(3), 1e-6);
    const same = tf.ones([5, 3]) as tf.Tensor2D;
    const g = tf.grad((x: tf.Tensor) => supervisedContrastiveLoss(x as tf.Tensor2D, [0, 1, 0, 1, 1]))(same);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    const gz = tf.grad((x: tf.Tensor) => supervisedContrastiveLoss(x as tf.Tensor2D, [0, 1, 0, 1]))(zero);
    expect(Array.from(gz.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([zero, same, g, gz]);
  });

  it('a single sample, or only singletons, gives 0', () => {
    expect(Math.abs(supcon([[1, 2]], [0]))).toBe(0);
    expect(Math.abs(supcon([[1, 2], [3, 1]], [0, 1]))).toBe(0);
  });
});

const embeddingArb = fc
  .tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 1, max: 4 }))
  .chain(([n, d]) =>
    fc.record({
      rows: fc.array(fc.array(fc.integer({ min: -24, max: 24 }).map((i) => i / 8), { minLength: d, maxLength: d }), {
        minLength: n,
        maxLength: n,
      }),
      domains: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }),
      perm: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
      scale: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      rowScales: fc.array(fc.double({ min: 1e-2, max: 1e2, noNaN: true }), { minLength: n, maxLength: n }),
      tau: fc.constantFrom(0.05, 0.1, 0.5, 1),
    }),
  );

describe('supervisedContrastiveLoss — properties', () => {
  it('≥ 0, finite, invariant to permuting the batch and to scaling embeddings (globally or per row)', () => {
    fc.assert(
      fc.property(embeddingArb, ({ rows, domains, perm, scale, rowScales, tau }) => {
        const base = supcon(rows, domains, tau);
        const permuted = supcon(
          perm.map((i) => rows[i] as number[]),
          perm.map((i) => domains[i] as number),
          tau,
        );
        const scaled = supcon(
          rows.map((r) => r.map((x) => x * scale)),
          domains,
          tau,
        );
        // Cosine similarity is also invariant to a different positive scale per embedding.
        const rowScaled = supcon(
          rows.map((r, i) => r.map((x) => x * (rowScales[i] as number))),
          domains,
          tau,
        );
        const tol = 1e-4 * (1 + Math.abs(base));
        return (
          Number.isFinite(base) &&
          base >= -1e-6 &&
          Math.abs(permuted - base) <= tol &&
          Math.abs(scaled - base) <= tol &&
          Math.abs(rowScaled - base) <= tol
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('multiScaleContrastiveLoss', () => {
  const m = fx.multiScale;
  it('matches the numpy reference for GAP / GMP, mean / sum and per-scale τ', () => {
    const maps = m.maps.map((a: number[][][][]) => tf.tensor4d(a));
    expectClose(value(multiScaleContrastiveLoss(maps, m.domains)), m.meanAverage, 2e-5);
    expectClose(value(multiScaleContrastiveLoss(maps, m.domains, { reduction: 'sum' })), m.sumAverage, 2e-5);
    expectClose(value(multiScaleContrastiveLoss(maps, m.domains, { pooling: 'max' })), m.meanMax, 2e-5);
    expectClose(value(multiScaleContrastiveLoss(maps, m.domains, { temperature: m.perScaleTau })), m.meanPerScaleTau, 2e-5);
    tf.dispose(maps);
  });

  it('one pre-pooled scale equals the single-scale loss', () => {
    const z = tf.tensor2d(fx.supcon[0].embeddings) as tf.Tensor2D;
    expectClose(value(multiScaleContrastiveLoss([z], fx.supcon[0].domains)), value(supervisedContrastiveLoss(z, fx.supcon[0].domains)), 1e-6);
    z.dispose();
  });

  it('rejects bad input with typed errors', () => {
    const a = tf.zeros([4, 2, 2, 3]);
    const b = tf.zeros([3, 2, 2, 3]);
    expect(() => multiScaleContrastiveLoss([], [0, 0, 1, 1])).toThrow(LossShapeError);
    expect(() => multiScaleContrastiveLoss([a, b], [0, 0, 1, 1])).toThrow(LossShapeError);
    expect(() => multiScaleContrastiveLoss([a], [0, 0, 1])).toThrow(DomainLabelError);
    expect(() => multiScaleContrastiveLoss([a], [0, 0, 1, 1], { temperature: [0.1, 0.2] })).toThrow(InvalidLossOptionError);
    expect(() => multiScaleContrastiveLoss([a], [0, 0, 1, 1], { temperature: 0 })).toThrow(InvalidLossOptionError);
    expect(() => multiScaleContrastiveLoss([tf.zeros([4])], [0, 0, 1, 1])).toThrow(LossRankError);
    tf.dispose([a, b]);
  });
});

describe('supervisedContrastiveLoss bad input', () => {
  it('rejects wrong ranks, domain mismatches and τ ≤ 0', () => {
    const z = tf.zeros([4, 3]) as tf.Tensor2D;
    expect(() => supervisedContrastiveLoss(tf.zeros([4, 3, 1]) as unknown as tf.Tensor2D, [0, 0, 1, 1])).toThrow(LossRankError);
    expect(() => supervisedContrastiveLoss(z, [0, 0, 1])).toThrow(DomainLabelError);
    expect(() => supervisedContrastiveLoss(z, tf.tensor1d([0, 0, 1, 1, 1], 'int32') as tf.Tensor1D)).toThrow(DomainLabelError);
    expect(() => supervisedContrastiveLoss(z, [0, 0, -1, 1])).toThrow(DomainLabelError);
    expect(() => supervisedContrastiveLoss(z, [0, 0, 1, 1], { temperature: -0.1 })).toThrow(InvalidLossOptionError);
    expect(() => supervisedContrastiveLoss(z, [0, 0, 1, 1], { temperature: Number.NaN })).toThrow(InvalidLossOptionError);
    expect(() => supervisedContrastiveLoss(tf.zeros([0, 3]) as tf.Tensor2D, [])).toThrow(LossShapeError);
    z.dispose();
  });
});
