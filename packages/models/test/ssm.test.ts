import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PcaShapeModel, ShapeModelError, applySimilarity, generalizedProcrustes, procrustesAlign, symmetricEigen } from '@pedseg/models';
import { expectClose } from './helpers.js';

interface Case {
  n: number;
  L: number;
  dims: 2 | 3;
  scaling: boolean;
  shapes: number[][];
  gpa: { aligned: number[][]; mean: number[] };
  pca: { mean: number[]; components: number[][]; variances: number[]; totalVariance: number; test: number[]; weights: number[]; reconstruction: number[] };
}
interface Pairwise { dims: 2 | 3; shape: number[]; reference: number[]; rotation: number[]; scale: number; translation: number[]; aligned: number[] }
const fixtures = JSON.parse(readFileSync(new URL('./fixtures/ssm.json', import.meta.url), 'utf8')) as {
  eigen: { matrix: number[]; values: number[]; vectors: number[][] };
  pairwise: Pairwise[];
  cases: Case[];
};

describe('Jacobi symmetric eigen-solver', () => {
  it('matches numpy.linalg.eigh (up to eigenvector sign)', () => {
    const { matrix, values, vectors } = fixtures.eigen;
    const eig = symmetricEigen(matrix, 6);
    expectClose(eig.values, values, 1e-10, 1e-10);
    eig.vectors.forEach((v, i) => {
      const ref = vectors[i]!;
      const sign = Math.sign(v.reduce((s, x, j) => s + x * ref[j]!, 0));
      expectClose(v.map((x) => sign * x), ref, 1e-9);
    });
  });

  it('property: A·v = λ·v and eigenvectors are orthonormal for random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 49, maxLength: 49 }), (n, raw) => {
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = raw[Math.min(i, j) * 7 + Math.max(i, j)]!;
        const { values, vectors } = symmetricEigen(a, n);
        const scale = Math.max(1, ...Array.from(a).map(Math.abs));
        vectors.forEach((v, k) => {
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j]!;
            expect(Math.abs(av - values[k]! * v[i]!)).toBeLessThan(1e-9 * scale * n);
          }
          vectors.forEach((w, m) => expect(Math.abs(v.reduce((s, x, j) => s + x * w[j]!, 0) - (k === m ? 1 : 0))).toBeLessThan(1e-9));
        });
        for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
      }),
      { numRuns: 60 },
    );
  });
});

describe('Procrustes', () => {
  it('ordinary Procrustes matches scipy.linalg.orthogonal_procrustes (2D and 3D)', () => {
    for (const p of fixtures.pairwise) {
      const { aligned, transform } = procrustesAlign(p.shape, p.reference, p.dims);
      expectClose(transform.rotation, p.rotation, 1e-10);
      expect(transform.scale).toBeCloseTo(p.scale, 10);
      expectClose(transform.translation, p.translation, 1e-9);
      expectClose(aligned, p.aligned, 1e-9);
    }
  });

  it('generalized Procrustes matches the numpy (Kabsch) implementation', () => {
    for (const c of fixtures.cases) {
      const r = generalizedProcrustes(c.shapes, c.dims, { scaling: c.scaling, tolerance: 1e-13 });
      expect(r.converged).toBe(true);
      expectClose(r.mean, c.gpa.mean, 1e-8);
      r.aligned.forEach((a, i) => expectClose(a, c.gpa.aligned[i]!, 1e-8));
      // the returned transforms reproduce the aligned shapes from the inputs
      r.transforms.forEach((t, i) => expectClose(applySimilarity(c.shapes[i]!, t, c.dims), r.aligned[i]!, 1e-9));
      r.transforms.forEach((t) => {
        const R = t.rotation;
        const det = c.dims === 2 ? R[0]! * R[3]! - R[1]! * R[2]! : R[0]! * (R[4]! * R[8]! - R[5]! * R[7]!) - R[1]! * (R[3]! * R[8]! - R[5]! * R[6]!) + R[2]! * (R[3]! * R[7]! - R[4]! * R[6]!);
        expect(det).toBeCloseTo(1, 10);
      });
    }
  });

  it('property: GPA is invariant to a similarity transform of any input shape', () => {
    const c = fixtures.cases[0]!;
    const base = generalizedProcrustes(c.shapes, 2).aligned;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: c.n - 1 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (i, theta, s, t) => {
        const moved = c.shapes.map((x) => x.slice());
        moved[i] = Array.from(applySimilarity(c.shapes[i]!, { scale: s, rotation: Float64Array.of(Math.cos(theta), -Math.sin(theta), Math.sin(theta), Math.cos(theta)), translation: Float64Array.of(t, -t) }, 2));
        const r = generalizedProcrustes(moved, 2, { tolerance: 1e-13 });
        r.aligned.forEach((a, k) => expectClose(a, base[k]!, 1e-7));
      }),
      { numRuns: 20 },
    );
  });

  it('rejects bad landmark sets with ShapeModelError', () => {
    expect(() => generalizedProcrustes([[0, 0, 1, 1]], 2)).toThrow(ShapeModelError);
    expect(() => generalizedProcrustes([[0, 0, 1, 1], [0, 0, 1]], 2)).toThrow(/set 1 has 3 numbers/);
    expect(() => generalizedProcrustes([[0, 0, 1, NaN], [0, 0, 1, 1]], 2)).toThrow(/non-finite/);
    expect(() => generalizedProcrustes([[1, 1, 1, 1], [0, 0, 1, 1]], 2)).toThrow(/degenerate/);
    expect(() => procrustesAlign([0, 0, 1], [0, 0, 1], 2)).toThrow(/L·2/);
  });
});

describe('PCA shape model', () => {
  it('matches numpy SVD: mean, components (sign convention), variances, projection, reconstruction', () => {
    for (const c of fixtures.cases) {
      const model = PcaShapeModel.fit(c.gpa.aligned, c.dims);
      expect(model.numComponents).toBe(c.pca.components.length);
      expectClose(model.mean, c.pca.mean, 1e-12);
      expectClose(model.variances, c.pca.variances, 1e-12, 1e-8);
      expect(model.totalVariance).toBeCloseTo(c.pca.totalVariance, 12);
      model.components.forEach((comp, m) => expectClose(comp, c.pca.components[m]!, 1e-7));
      expectClose(model.project(c.pca.test), c.pca.weights, 1e-9);
      expectClose(model.reconstruct(c.pca.weights), c.pca.reconstruction, 1e-9);
    }
  });

  it('explained-variance selection, truncation and JSON round trip', () => {
    const c = fixtures.cases[1]!;
    const full = PcaShapeModel.fit(c.gpa.aligned, 3);
    const ratio = full.explainedVarianceRatio;
    const target = (ratio[0]! + ratio[1]! / 2);
    const sel = PcaShapeModel.fit(c.gpa.aligned, 3, { explainedVariance: target });
    expect(sel.numComponents).toBe(2);
    expect(PcaShapeModel.fit(c.gpa.aligned, 3, { explainedVariance: ratio[0]! }).numComponents).toBe(1);
    expect(PcaShapeModel.fit(c.gpa.aligned, 3, { numComponents: 3 }).numComponents).toBe(3);
    expect(full.truncate(2).components).toEqual(sel.components);
    const back = PcaShapeModel.fromJSON(JSON.stringify(full.toJSON()));
    expect(back.toJSON()).toEqual(full.toJSON());
    expectClose(back.project(c.pca.test), full.project(c.pca.test), 0);
    expect(() => PcaShapeModel.fromJSON('{')).toThrow(ShapeModelError);
    expect(() => PcaShapeModel.fromJSON({ ...full.toJSON(), mean: [1, 2] })).toThrow(/mean/);
    expect(() => PcaShapeModel.fit(c.gpa.aligned, 3, { numComponents: 99 })).toThrow(/numComponents/);
    expect(() => full.project([1, 2, 3])).toThrow(ShapeModelError);
  });

  it('property: reconstruct(project(x)) = x for shapes in the span; components orthonormal', () => {
    const c = fixtures.cases[0]!;
    const model = PcaShapeModel.fit(c.gpa.aligned, 2);
    for (const a of model.components) for (const b of model.components) {
      const dot = a.reduce((s, x, j) => s + x * b[j]!, 0);
      expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-10);
    }
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: model.numComponents, maxLength: model.numComponents }), (w) => {
        expectClose(model.project(model.reconstruct(w)), w, 1e-10);
      }),
    );
  });
});
