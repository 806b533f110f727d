import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSegmentation } from '@pedseg/metrics';
import { close, dyadicSpacing, image, maskPair, sparsePair } from './helpers/masks.js';
import { oracleScores } from './helpers/oracle.js';

const conventions = fc.constantFrom('voxel' as const, 'element' as const);

for (const distanceMethod of ['edt', 'points'] as const)
describe(`surface distances agree with a brute-force O(N²) oracle (${distanceMethod})`, () => {
  for (const surface of ['voxel', 'element'] as const) {
    it(`${surface} convention, random small masks and spacings`, () => {
      fc.assert(
        fc.property(maskPair, dyadicSpacing, fc.constantFrom(0.5, 1, 2), ([shape, a, b], spacing, tolerance) => {
          const got = evaluateSegmentation(image(a, shape, spacing), image(b, shape, spacing), { labels: [1], surface, tolerance, distanceMethod }).labels['1']!;
          const want = oracleScores(a, b, shape, spacing, surface, 95, tolerance);
          expect(close(got.mssd, want.mssd)).toBe(true);
          expect(want.hd95.some((v) => close(got.hd95, v))).toBe(true);
          expect(close(got.assd, want.assd, 1e-9)).toBe(true);
          expect(close(got.masd, want.masd, 1e-9)).toBe(true);
          expect(close(got.nsd, want.nsd, 1e-9)).toBe(true);
          expect(close(got.averageReferenceToPrediction, want.averageReferenceToPrediction, 1e-9)).toBe(true);
          expect(close(got.averagePredictionToReference, want.averagePredictionToReference, 1e-9)).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('surface Dice decides distances equal to the tolerance in float64, like scipy (float32 header spacings)', () => {
    // With spacings such as float32(0.6) and float32(0.8), sqrt(0.6² + 0.8²) exceeds 1 mm by ~1e-8: the
    // float32 EDT alone would round it to exactly 1 and count the element within the tolerance.
    const f32 = fc.constantFrom(Math.fround(0.3), Math.fround(0.6), Math.fround(0.8), Math.fround(0.4));
    const spacing = fc.oneof(fc.tuple(f32, f32, f32), fc.constant([Math.fround(0.6), Math.fround(0.8), Math.fround(0.3)] as const));
    fc.assert(
      fc.property(sparsePair, spacing, fc.constantFrom(1, 0.5, Math.fround(0.3)), conventions, ([shape, a, b], spacing, tolerance, surface) => {
        const got = evaluateSegmentation(image(a, shape, spacing), image(b, shape, spacing), { labels: [1], surface, tolerance, distanceMethod }).labels['1']!;
        const want = oracleScores(a, b, shape, spacing, surface, 95, tolerance);
        expect(close(got.nsd, want.nsd, 1e-12)).toBe(true);
        expect(close(got.mssd, want.mssd)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('element convention at other percentiles', () => {
    fc.assert(
      fc.property(maskPair, fc.constantFrom(0, 10, 50, 90, 100), ([shape, a, b], percentile) => {
        const got = evaluateSegmentation(image(a, shape), image(b, shape), { labels: [1], surface: 'element', percentile, distanceMethod }).labels['1']!;
        const want = oracleScores(a, b, shape, [1, 1, 1], 'element', percentile);
        expect(want.hd95.some((v) => close(got.hd95, v))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
