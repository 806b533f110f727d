import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusionCounts, evaluateSegmentation, labelCensus, overlapScores } from '@pedseg/metrics';
import { close, image } from './helpers/masks.js';

describe('overlap scores', () => {
  it('hand-computed confusion: TP 3, FP 1, FN 2, TN 4', () => {
    const o = overlapScores({ truePositives: 3, falsePositives: 1, falseNegatives: 2, trueNegatives: 4 });
    expect(o.dice).toBeCloseTo(6 / 9, 15);
    expect(o.jaccard).toBeCloseTo(3 / 6, 15);
    expect(o.sensitivity).toBeCloseTo(3 / 5, 15);
    expect(o.specificity).toBeCloseTo(4 / 5, 15);
    expect(o.precision).toBeCloseTo(3 / 4, 15);
    expect(o.volumeSimilarity).toBeCloseTo(1 - 1 / 9, 15);
    expect(o.ravd).toBeCloseTo(1 / 5, 15);
  });

  it('empty-mask policy: both empty → 1s and 0, reference empty → 0s and Infinity', () => {
    const both = overlapScores({ truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 10 });
    expect(both).toMatchObject({ dice: 1, jaccard: 1, sensitivity: 1, specificity: 1, precision: 1, volumeSimilarity: 1, ravd: 0 });
    const refEmpty = overlapScores({ truePositives: 0, falsePositives: 3, falseNegatives: 0, trueNegatives: 7 });
    expect(refEmpty).toMatchObject({ dice: 0, jaccard: 0, sensitivity: 0, precision: 0, volumeSimilarity: 0, ravd: Infinity });
    expect(refEmpty.specificity).toBeCloseTo(0.7, 15);
    const predEmpty = overlapScores({ truePositives: 0, falsePositives: 0, falseNegatives: 3, trueNegatives: 7 });
    expect(predEmpty).toMatchObject({ dice: 0, sensitivity: 0, precision: 0, specificity: 1, ravd: 1 });
    const allForeground = overlapScores({ truePositives: 10, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 });
    expect(allForeground.specificity).toBe(1);
  });

  it('one census pass gives the same counts as a direct count, for every label and label set', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) =>
          fc.tuple(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n })),
        ),
        ([r, p]) => {
          const n = r.length;
          const shape = [n, 1, 1] as const;
          const e = evaluateSegmentation(image(r, shape), image(p, shape), { labels: [1, 2, 3, 4, [1, 3], [2, 3, 4]] });
          for (const members of [[1], [2], [3], [4], [1, 3], [2, 3, 4]]) {
            const c = confusionCounts(
              r.map((v) => (members.includes(v) ? 1 : 0)),
              p.map((v) => (members.includes(v) ? 1 : 0)),
            );
            const direct = overlapScores(c);
            const got = e.labels[members.join('+')]!;
            expect(got.dice).toBe(direct.dice);
            expect(got.sensitivity).toBe(direct.sensitivity);
            expect(got.specificity).toBe(direct.specificity);
            expect(got.referenceVoxels).toBe(c.truePositives + c.falseNegatives);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('census joint counts and boxes equal a naive count, for aligned and unaligned byte data', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.nat(3)).chain(([nx, ny, nz, shift]) =>
          fc.tuple(
            fc.constant([nx, ny, nz] as const),
            fc.constant(shift),
            fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
            fc.array(fc.constantFrom(0, 0, 0, 0, 1, 3), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
          ),
        ),
        ([shape, shift, r, p]) => {
          const n = r.length;
          const rb = new Uint8Array(n + shift).subarray(shift);
          const pb = new Uint8Array(n + shift).subarray(shift);
          rb.set(r);
          pb.set(p);
          const census = labelCensus(rb, pb, shape);
          const naive = new Map<string, number>();
          for (let i = 0; i < n; i++) naive.set(`${r[i]},${p[i]}`, (naive.get(`${r[i]},${p[i]}`) ?? 0) + 1);
          const got = new Map<string, number>();
          for (const [rv, row] of census.joint) for (const [pv, c] of row) got.set(`${rv},${pv}`, c);
          expect(got).toEqual(naive);
          for (const label of [1, 2]) {
            let lo = [Infinity, Infinity, Infinity];
            let hi = [-Infinity, -Infinity, -Infinity];
            r.forEach((v, i) => {
              if (v !== label) return;
              const c = [i % shape[0], Math.floor(i / shape[0]) % shape[1], Math.floor(i / (shape[0] * shape[1]))];
              lo = lo.map((l, a) => Math.min(l, c[a]!));
              hi = hi.map((h, a) => Math.max(h, c[a]! + 1));
            });
            if (lo[0] === Infinity) expect(census.referenceBoxes.has(label)).toBe(false);
            else expect(census.referenceBoxes.get(label)).toEqual({ lo, hi });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('census counts long runs of labels (skipped a word at a time) exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(0, 1, 3), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 17 }),
        (runs, nx) => {
          const r: number[] = [];
          const p: number[] = [];
          for (const [a, b, n] of runs) {
            for (let i = 0; i < n; i++) {
              r.push(a);
              p.push(b);
            }
          }
          while (r.length % nx !== 0) {
            r.push(0);
            p.push(0);
          }
          const census = labelCensus(Uint8Array.from(r), Uint8Array.from(p), [nx, r.length / nx, 1]);
          const naive = new Map<string, number>();
          r.forEach((v, i) => naive.set(`${v},${p[i]}`, (naive.get(`${v},${p[i]}`) ?? 0) + 1));
          const got = new Map<string, number>();
          for (const [rv, row] of census.joint) for (const [pv, c] of row) got.set(`${rv},${pv}`, c);
          expect(got).toEqual(naive);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('census bounding boxes are tight', () => {
    const shape = [4, 3, 2] as const;
    const r = new Uint8Array(24);
    r[1 + 4 * (2 + 3 * 0)] = 5;
    r[3 + 4 * (0 + 3 * 1)] = 5;
    const c = labelCensus(r, new Uint8Array(24), shape);
    expect(c.referenceBoxes.get(5)).toEqual({ lo: [1, 0, 0], hi: [4, 3, 2] });
    expect(c.predictionBoxes.size).toBe(0);
  });

  it('labels default to every non-zero value of either image; label sets score the union', () => {
    const shape = [6, 1, 1] as const;
    const r = [0, 1, 1, 2, 2, 0];
    const p = [0, 1, 2, 2, 3, 0];
    const e = evaluateSegmentation(image(r, shape), image(p, shape));
    expect(Object.keys(e.labels)).toEqual(['1', '2', '3']);
    expect(e.labels['3']!.dice).toBe(0);
    expect(e.labels['3']!.mssd).toBe(Infinity);
    const u = evaluateSegmentation(image(r, shape), image(p, shape), { labels: [[2, 1]] });
    expect(Object.keys(u.labels)).toEqual(['1+2']);
    expect(u.labels['1+2']!.dice).toBeCloseTo((2 * 3) / (4 + 3), 15);
    expect(close(u.labels['1+2']!.mssd, 1)).toBe(true);
  });
});
