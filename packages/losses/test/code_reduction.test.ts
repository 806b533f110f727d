import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combinedRegularizationObjective,
  InvalidLossOptionError,
  multiJointAnatomicalPriorsLoss,
  multiTaskObjective,
  shapeCodeDistance,
  shapePriorsLoss,
} from '@pedseg/losses';
import type { CodeReduction } from '@pedseg/losses';
import { expectClose, t, useCpu, value } from './helpers.js';

beforeAll(useCpu);

// The identity "encoder": the mask itself is the code, so every distance below is hand-computable.
const identity = (m: tf.Tensor): tf.Tensor => tf.clone(m);
const domainIdentity = (m: tf.Tensor): tf.Tensor => tf.clone(m);

describe("code distance reduction: 'sum' (papers' ‖·‖²₂) vs 'mean' over code elements", () => {
  it('shapeCodeDistance: hand-computed values', () => {
    // Per-sample squared distances: 1 + 4 = 5 and 2² = 4, over 4 code elements each.
    const zt = t([0, 0, 0, 0, 1, 1, 1, 1], [2, 2, 2]);
    const zp = t([1, 2, 0, 0, 1, 1, 1, -1], [2, 2, 2]);
    expectClose(value(shapeCodeDistance(zt, zp)), (5 + 4) / 2);
    expectClose(value(shapeCodeDistance(zt, zp, { reduction: 'sum' })), 4.5);
    expectClose(value(shapeCodeDistance(zt, zp, { reduction: 'mean' })), (5 / 4 + 4 / 4) / 2);
    tf.dispose([zt, zp]);
  });

  it('shapePriorsLoss: hand-computed values', () => {
    const y = t([1, 0, 0, 1], [1, 2, 2, 1]);
    const p = t([0.5, 0, 0, 0.25], [1, 2, 2, 1]);
    // 0.5² + 0.75² = 0.8125 over 4 elements.
    expectClose(value(shapePriorsLoss(y, p, identity)), 0.8125);
    expectClose(value(shapePriorsLoss(y, p, identity, { reduction: 'mean' })), 0.203125);
    const terms = combinedRegularizationObjective(y, p, { encoder: identity, lambda2: 0, codeDistance: 'mean' });
    expectClose(value(terms.shapePriors), 0.203125);
    tf.dispose([y, p, terms.total, terms.crossEntropy, terms.adversarial]);
  });

  it('multiJointAnatomicalPriorsLoss: hand-computed values (mean over domains of per-domain means)', () => {
    const y = tf.zeros([3, 1, 2, 1]);
    const p = t([1, 0, 1, 1, 0, 2], [3, 1, 2, 1]);
    // Squared distances 1, 2, 4; domains [0, 0, 1]: ½((1 + 2)/2 + 4) = 2.75, and ÷ 2 code elements.
    expectClose(value(multiJointAnatomicalPriorsLoss(y, p, [0, 0, 1], domainIdentity)), 2.75);
    expectClose(value(multiJointAnatomicalPriorsLoss(y, p, [0, 0, 1], domainIdentity, { reduction: 'mean' })), 1.375);
    tf.dispose([y, p]);
  });

  it("the 'mean' gradient is the 'sum' gradient divided by the code size", () => {
    const y = t([1, 0, 0, 1, 0, 1], [1, 3, 2, 1]);
    const p = t([0.2, 0.7, 0.1, 0.9, 0.4, 0.6], [1, 3, 2, 1]);
    const gSum = tf.grad((q: tf.Tensor) => shapePriorsLoss(y, q, identity))(p);
    const gMean = tf.grad((q: tf.Tensor) => shapePriorsLoss(y, q, identity, { reduction: 'mean' }))(p);
    const a = gSum.dataSync();
    const b = gMean.dataSync();
    for (let i = 0; i < a.length; i++) expectClose((b[i] as number) * 6, a[i] as number);
    tf.dispose([y, p, gSum, gMean]);
  });

  it('property: mean · (code elements) == sum, for any codes', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }));
    fc.assert(
      fc.property(
        dims.chain(([b, h, w, c]) =>
          fc.record({
            shape: fc.constant([b, h, w, c]),
            a: fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: b * h * w * c, maxLength: b * h * w * c }),
            d: fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: b * h * w * c, maxLength: b * h * w * c }),
          }),
        ),
        ({ shape, a, d }) => {
          const n = (shape[1] as number) * (shape[2] as number) * (shape[3] as number);
          const za = t(a, [...shape]);
          const zb = t(d, [...shape]);
          const s = value(shapeCodeDistance(za, zb, { reduction: 'sum' }));
          const m = value(shapeCodeDistance(za, zb, { reduction: 'mean' }));
          tf.dispose([za, zb]);
          expect(m).toBeGreaterThanOrEqual(0);
          expectClose(m * n, s, 1e-5, 1e-4);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects an unknown reduction with InvalidLossOptionError', () => {
    const y = t([1, 0, 0, 1], [1, 2, 2, 1]);
    const bad = 'max' as CodeReduction;
    expect(() => shapeCodeDistance(y, y, { reduction: bad })).toThrow(InvalidLossOptionError);
    expect(() => shapePriorsLoss(y, y, identity, { reduction: bad })).toThrow(InvalidLossOptionError);
    expect(() => multiJointAnatomicalPriorsLoss(y, y, [0], domainIdentity, { reduction: bad })).toThrow(InvalidLossOptionError);
    expect(() => combinedRegularizationObjective(y, y, { encoder: identity, lambda2: 0, codeDistance: bad })).toThrow(InvalidLossOptionError);
    expect(() => multiTaskObjective(y, y, [0], { classCounts: [1], lambda2: 0, lambda3: 0, codeDistance: bad })).toThrow(InvalidLossOptionError);
    y.dispose();
  });
});
