import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepresentationInputError, cosineSimilarity, cosineSimilarityAnalysis, mulberry32 } from '@pedseg/metrics';

describe('mulberry32', () => {
  it('matches an independent Python port of the same algorithm', () => {
    const a = mulberry32(0);
    expect([a(), a(), a()]).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    const b = mulberry32(123456789);
    expect([b(), b(), b()]).toEqual([0.2577907438389957, 0.9707721115555614, 0.7853280142880976]);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const r = mulberry32(7);
    let sum = 0;
    for (let i = 0; i < 20000; i += 1) {
      const v = r();
      if (!(v >= 0 && v < 1)) expect.fail(`mulberry32 returned ${v}`);
      sum += v;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });
});

describe('cosineSimilarityAnalysis (Table 5)', () => {
  it('identical vectors within groups and orthogonal groups: within 1 ± 0, between 0 ± 0', () => {
    const embeddings = [[1, 0, 0], [2, 0, 0], [3, 0, 0], [0, 5, 0], [0, 1, 0], [0, 0, 4], [0, 0, 1]];
    const groups = ['ankle', 'ankle', 'ankle', 'knee', 'knee', 'shoulder', 'shoulder'];
    const r = cosineSimilarityAnalysis(embeddings, groups, { pairs: 500 });
    expect(r.within.map((w) => w.group)).toEqual(['ankle', 'knee', 'shoulder']);
    for (const w of r.within) expect(w).toMatchObject({ mean: 1, std: 0, pairs: 500 });
    expect(r.between.map((b) => [b.groupA, b.groupB])).toEqual([
      ['ankle', 'knee'],
      ['ankle', 'shoulder'],
      ['knee', 'shoulder'],
    ]);
    for (const b of r.between) expect(b).toMatchObject({ mean: 0, std: 0 });
  });

  it('sampled means converge to the exhaustive mean over all pairs', () => {
    const rand = mulberry32(3);
    const embeddings = Array.from({ length: 30 }, (_, i) => [rand() + (i < 15 ? 1 : 0), rand(), rand() + (i < 15 ? 0 : 1)]);
    const groups = embeddings.map((_, i) => (i < 15 ? 0 : 1));
    let withinSum = 0;
    let withinCount = 0;
    let betweenSum = 0;
    let betweenCount = 0;
    for (let i = 0; i < 30; i += 1) {
      for (let j = 0; j < 30; j += 1) {
        if (i === j) continue;
        const s = cosineSimilarity(embeddings[i]!, embeddings[j]!);
        if (i < 15 && j < 15) [withinSum, withinCount] = [withinSum + s, withinCount + 1];
        if (i < 15 && j >= 15) [betweenSum, betweenCount] = [betweenSum + s, betweenCount + 1];
      }
    }
    const r = cosineSimilarityAnalysis(embeddings, groups, { pairs: 100_000, seed: 11 });
    expect(r.within[0]!.mean).toBeCloseTo(withinSum / withinCount, 2);
    expect(r.between[0]!.mean).toBeCloseTo(betweenSum / betweenCount, 2);
  });

  it('is reproducible for a seed and changes with it', () => {
    const rand = mulberry32(5);
    const embeddings = Array.from({ length: 12 }, () => [rand(), rand(), rand(), rand()]);
    const groups = embeddings.map((_, i) => i % 3);
    const a = cosineSimilarityAnalysis(embeddings, groups, { pairs: 1000, seed: 1 });
    expect(cosineSimilarityAnalysis(embeddings, groups, { pairs: 1000, seed: 1 })).toEqual(a);
    expect(cosineSimilarityAnalysis(embeddings, groups, { pairs: 1000, seed: 2 }).within[0]!.mean).not.toBe(a.within[0]!.mean);
  });

  it('rejects bad input with RepresentationInputError', () => {
    expect(() => cosineSimilarityAnalysis([[1, 0]], ['a', 'b'])).toThrow(RepresentationInputError);
    expect(() => cosineSimilarityAnalysis([[1, 0], [0, 0]], ['a', 'a'])).toThrow(/zero vector/);
    expect(() => cosineSimilarityAnalysis([[1, 0], [1]], ['a', 'a'])).toThrow(/has 1 values/);
    expect(() => cosineSimilarityAnalysis([[1, Number.NaN]], ['a'])).toThrow(/NaN/);
    expect(() => cosineSimilarityAnalysis([[1, 0]], ['a'], { pairs: 0 })).toThrow(/pairs/);
    expect(() => cosineSimilarity([1, 2], [1])).toThrow(RepresentationInputError);
  });

  it('property: means in [−1, 1], std ≥ 0, invariant to positive rescaling of the vectors', () => {
    const coordinate = fc.double({ min: -10, max: 10, noNaN: true });
    const vector = fc.tuple(fc.double({ min: 0.1, max: 10, noNaN: true }), coordinate, coordinate);
    fc.assert(
      fc.property(fc.array(fc.tuple(vector, fc.constantFrom('a', 'b')), { minLength: 2, maxLength: 12 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (rows, scale) => {
        const embeddings = rows.map(([v]) => v);
        const groups = rows.map(([, g]) => g);
        const r = cosineSimilarityAnalysis(embeddings, groups, { pairs: 200, seed: 4 });
        const scaled = cosineSimilarityAnalysis(embeddings.map((v) => v.map((x) => x * scale)), groups, { pairs: 200, seed: 4 });
        [...r.within, ...r.between].forEach((s, i) => {
          expect(s.mean).toBeGreaterThanOrEqual(-1);
          expect(s.mean).toBeLessThanOrEqual(1);
          expect(s.std).toBeGreaterThanOrEqual(0);
          expect([...scaled.within, ...scaled.between][i]!.mean).toBeCloseTo(s.mean, 9);
        });
      }),
      { numRuns: 100 },
    );
  });
});
