import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directedSurfaceDistances, evaluateSegmentation, labelCensus } from '@pedseg/metrics';
import type { StructureMetrics } from '@pedseg/metrics';
import { close, dyadicSpacing, embed, image, maskPair } from './helpers/masks.js';
import type { V3 } from './helpers/masks.js';

const conventions = fc.constantFrom('voxel' as const, 'element' as const);
const DISTANCES = ['mssd', 'hd95', 'assd', 'masd'] as const;
const ALL = ['dice', 'jaccard', 'sensitivity', 'specificity', 'precision', 'volumeSimilarity', 'ravd', 'mssd', 'hd95', 'assd', 'masd', 'nsd'] as const;

function score(a: ArrayLike<number>, b: ArrayLike<number>, shape: V3, spacing: V3, surface: 'voxel' | 'element'): StructureMetrics {
  return evaluateSegmentation(image(a, shape, spacing), image(b, shape, spacing), { labels: [1], surface }).labels['1']!;
}

/** Masks that may be empty. */
const anyPair = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([nx, ny, nz]) =>
    fc.tuple(
      fc.constant([nx, ny, nz] as V3),
      fc.array(fc.constantFrom(0, 0, 1), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
      fc.array(fc.constantFrom(0, 0, 0, 1), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
    ),
  );

describe('metric properties', () => {
  it('Dice, Jaccard and the distances are symmetric; Dice ∈ [0, 1]', () => {
    fc.assert(
      fc.property(maskPair, dyadicSpacing, conventions, ([shape, a, b], spacing, surface) => {
        const ab = score(a, b, shape, spacing, surface);
        const ba = score(b, a, shape, spacing, surface);
        expect(ab.dice).toBe(ba.dice);
        expect(ab.jaccard).toBe(ba.jaccard);
        expect(ab.dice).toBeGreaterThanOrEqual(0);
        expect(ab.dice).toBeLessThanOrEqual(1);
        for (const m of [...DISTANCES, 'nsd'] as const) expect(close(ab[m], ba[m], 1e-12)).toBe(true);
        expect(close(ab.averageReferenceToPrediction, ba.averagePredictionToReference, 1e-12)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('identity gives perfect scores', () => {
    fc.assert(
      fc.property(maskPair, dyadicSpacing, conventions, ([shape, a], spacing, surface) => {
        const m = score(a, a, shape, spacing, surface);
        for (const k of ['dice', 'jaccard', 'sensitivity', 'specificity', 'precision', 'volumeSimilarity', 'nsd'] as const) expect(m[k]).toBe(1);
        for (const k of [...DISTANCES, 'ravd'] as const) expect(m[k]).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('translating both masks leaves every score unchanged', () => {
    fc.assert(
      fc.property(maskPair, dyadicSpacing, conventions, fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)), ([shape, a, b], spacing, surface, offset) => {
        const big: V3 = [shape[0] + 3, shape[1] + 3, shape[2] + 3];
        const m0 = score(a, b, shape, spacing, surface);
        const m1 = score(embed(a, shape, big, offset), embed(b, shape, big, offset), big, spacing, surface);
        for (const k of [...DISTANCES, 'nsd', 'dice'] as const) expect(close(m0[k], m1[k], 1e-12)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('scaling the spacing by k scales the distances by k', () => {
    fc.assert(
      fc.property(maskPair, dyadicSpacing, conventions, fc.constantFrom(0.5, 2, 4), ([shape, a, b], spacing, surface, k) => {
        const m0 = score(a, b, shape, spacing, surface);
        const m1 = score(a, b, shape, [spacing[0] * k, spacing[1] * k, spacing[2] * k], surface);
        for (const d of DISTANCES) expect(close(m1[d], k * m0[d], 1e-6)).toBe(true);
        expect(m1.dice).toBe(m0.dice);
      }),
      { numRuns: 60 },
    );
  });

  it('MSSD ≥ HD95 ≥ 0 and ASSD, MASD ≤ MSSD', () => {
    fc.assert(
      fc.property(maskPair, dyadicSpacing, conventions, ([shape, a, b], spacing, surface) => {
        const m = score(a, b, shape, spacing, surface);
        expect(m.mssd).toBeGreaterThanOrEqual(m.hd95);
        expect(m.hd95).toBeGreaterThanOrEqual(0);
        expect(m.assd).toBeLessThanOrEqual(m.mssd * (1 + 1e-12));
        expect(m.masd).toBeLessThanOrEqual(m.mssd * (1 + 1e-12));
        expect(m.nsd).toBeGreaterThanOrEqual(0);
        expect(m.nsd).toBeLessThanOrEqual(1);
      }),
      { numRuns: 80 },
    );
  });

  it('never NaN, empty masks included; the empty-mask policy holds', () => {
    fc.assert(
      fc.property(anyPair, conventions, ([shape, a, b], surface) => {
        const m = score(a, b, shape, [1, 1, 1], surface);
        for (const k of ALL) expect(Number.isNaN(m[k])).toBe(false);
        const ea = !a.includes(1);
        const eb = !b.includes(1);
        if (ea && eb) {
          expect(m.dice).toBe(1);
          for (const d of DISTANCES) expect(m[d]).toBe(0);
        } else if (ea || eb) {
          expect(m.dice).toBe(0);
          for (const d of DISTANCES) expect(m[d]).toBe(Infinity);
          expect(m.nsd).toBe(0);
        } else {
          for (const d of DISTANCES) expect(Number.isFinite(m[d])).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('split evaluation', () => {
  it('one direction computed apart (as on another thread) and passed back gives the same scores', () => {
    fc.assert(
      fc.property(maskPair, dyadicSpacing, conventions, ([shape, a, b], spacing, surface) => {
        const r = image(a, shape, spacing);
        const p = image(b, shape, spacing);
        const whole = evaluateSegmentation(r, p, { surface });
        const census = labelCensus(r.data, p.data, shape);
        const other = directedSurfaceDistances(r, p, 'predictionToReference', { surface, census });
        const own = directedSurfaceDistances(r, p, 'referenceToPrediction', { surface });
        const split = evaluateSegmentation(r, p, { surface, census, precomputed: { predictionToReference: other, referenceToPrediction: own } });
        expect(split).toEqual(whole);
      }),
      { numRuns: 40 },
    );
  });
});
