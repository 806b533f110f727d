import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidMetricOptionError, evaluateSegmentation, sliceScores } from '@pedseg/metrics';
import { image } from './helpers/masks.js';

describe('slice-wise scores', () => {
  // 2 × 2 × 3 grid, slices along z: z = 0 reference only, z = 1 both (partly), z = 2 neither.
  const shape = [2, 2, 3] as const;
  const ref = [1, 1, 0, 0, /* z1 */ 1, 0, 0, 0, /* z2 */ 0, 0, 0, 0];
  const pred = [0, 0, 0, 0, /* z1 */ 1, 1, 0, 0, /* z2 */ 0, 0, 0, 0];

  it('scores the slices where the reference has the structure (hand-computed)', () => {
    const s = sliceScores(image(ref, shape), image(pred, shape), { axis: 2 })['1']!;
    expect(s.map((x) => x.slice)).toEqual([0, 1]);
    expect(s[0]).toEqual({ slice: 0, dice: 0, sensitivity: 0, specificity: 1 });
    expect(s[1]!.dice).toBeCloseTo(2 / 3, 15);
    expect(s[1]!.sensitivity).toBe(1);
    expect(s[1]!.specificity).toBeCloseTo(2 / 3, 15);
  });

  it("'all' includes empty slices with perfect scores; other axes cut other slices", () => {
    const all = sliceScores(image(ref, shape), image(pred, shape), { axis: 2, include: 'all' })['1']!;
    expect(all).toHaveLength(3);
    expect(all[2]).toEqual({ slice: 2, dice: 1, sensitivity: 1, specificity: 1 });
    const alongX = sliceScores(image(ref, shape), image(pred, shape), { axis: 0, include: 'either' })['1']!;
    expect(alongX.map((x) => x.slice)).toEqual([0, 1]);
    expect(() => sliceScores(image(ref, shape), image(pred, shape), { axis: 3 as 0 })).toThrow(InvalidMetricOptionError);
  });

  it('a single slice along any axis agrees with the 3D scores of that slice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(fc.array(fc.constantFrom(0, 1, 2), { minLength: n * n, maxLength: n * n }), fc.array(fc.constantFrom(0, 1, 2), { minLength: n * n, maxLength: n * n }), fc.constant(n))),
        ([r, p, n]) => {
          const shape = [n, n, 1] as const;
          const s = sliceScores(image(r, shape), image(p, shape), { axis: 2, labels: [1, 2], include: 'all' });
          const e = evaluateSegmentation(image(r, shape), image(p, shape), { labels: [1, 2] });
          for (const l of ['1', '2']) {
            expect(s[l]![0]!.dice).toBe(e.labels[l]!.dice);
            expect(s[l]![0]!.sensitivity).toBe(e.labels[l]!.sensitivity);
            expect(s[l]![0]!.specificity).toBe(e.labels[l]!.specificity);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
