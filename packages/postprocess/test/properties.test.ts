import { connectedComponents3D } from '@pedseg/volume';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ballClosing,
  ballDilation,
  ballErosion,
  ballOpening,
  fillHoles,
  keepLargestComponentPerLabel,
  keepLargestComponents,
  postprocessSegmentation,
  removeSmallComponents,
} from '@pedseg/postprocess';
import { complement, labelVolumes, radii } from './arbitraries.js';
import { maskOf } from './helpers.js';

const connectivities = fc.constantFrom(6 as const, 18 as const, 26 as const);
const subset = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => v === 0 || b[i] === v);
const labelsOf = (a: ArrayLike<number>) => new Set(Array.from(a).filter((v) => v !== 0));

describe('ball morphology properties (binary, padded border policy)', () => {
  it('closing is extensive: A ⊆ closing(A)', () => {
    fc.assert(fc.property(labelVolumes(), radii, (v, r) => subset(v.data, ballClosing(v, r).data)));
  });
  it('closing is idempotent (exact for the padded definition grid ∩ closing_Z3)', () => {
    fc.assert(
      fc.property(labelVolumes(), radii, (v, r) => {
        const once = ballClosing(v, r);
        expect(Array.from(ballClosing(once, r).data)).toEqual(Array.from(once.data));
      }),
    );
  });
  it('opening is anti-extensive and idempotent', () => {
    fc.assert(
      fc.property(labelVolumes(), radii, (v, r) => {
        const once = ballOpening(v, r);
        expect(subset(once.data, v.data)).toBe(true);
        expect(Array.from(ballOpening(once, r).data)).toEqual(Array.from(once.data));
      }),
    );
  });
  it('erosion and dilation are dual: erosion(A) = grid \\ dilation(grid \\ A)', () => {
    fc.assert(
      fc.property(labelVolumes(), radii, (v, r) => {
        expect(Array.from(ballErosion(v, r).data)).toEqual(Array.from(complement(ballDilation(complement(v), r)).data));
      }),
    );
  });
  it('opening and closing are dual: opening(A) = grid \\ closing(grid \\ A)', () => {
    fc.assert(
      fc.property(labelVolumes(), radii, (v, r) => {
        expect(Array.from(ballOpening(v, r).data)).toEqual(Array.from(complement(ballClosing(complement(v), r)).data));
      }),
    );
  });
  it('erosion ⊆ A ⊆ dilation, and closing ⊆ dilation', () => {
    fc.assert(
      fc.property(labelVolumes(), radii, (v, r) => {
        const dil = ballDilation(v, r).data;
        return subset(ballErosion(v, r).data, v.data) && subset(v.data, dil) && subset(ballClosing(v, r).data, dil);
      }),
    );
  });
});

describe('per-label morphology on several bones', () => {
  it("the 'edt' and 'scan' methods give identical results", () => {
    fc.assert(
      fc.property(labelVolumes(3), radii, (v, r) => {
        for (const op of [ballDilation, ballErosion, ballOpening, ballClosing]) {
          expect(Array.from(op(v, { ...r, method: 'scan' }).data)).toEqual(Array.from(op(v, { ...r, method: 'edt' }).data));
        }
      }),
    );
  });
  it('closing keeps every input voxel, only fills background and creates no label', () => {
    fc.assert(
      fc.property(labelVolumes(3), radii, (v, r) => {
        const out = ballClosing(v, r).data;
        for (let i = 0; i < out.length; i++) {
          if (v.data[i] !== 0) expect(out[i]).toBe(v.data[i]);
        }
        for (const l of labelsOf(out)) expect(labelsOf(v.data).has(l)).toBe(true);
      }),
    );
  });
  it('erosion and opening only remove voxels', () => {
    fc.assert(
      fc.property(labelVolumes(3), radii, (v, r) => subset(ballErosion(v, r).data, v.data) && subset(ballOpening(v, r).data, v.data)),
    );
  });
  it('per-label closing = binary closing of each label, minus what another label holds or claims', () => {
    fc.assert(
      fc.property(labelVolumes(2), radii, (v, r) => {
        const out = ballClosing(v, r).data;
        for (const l of [1, 2]) {
          const alone = ballClosing({ ...v, data: maskOf(v.data, l) }, r).data;
          for (let i = 0; i < out.length; i++) {
            // Closed by l alone: it ends up l, or another label kept or claimed it.
            if (alone[i] === 1) expect(out[i]).not.toBe(0);
            if (out[i] === l) expect(alone[i]).toBe(1);
          }
        }
      }),
    );
  });
});

describe('connected-component filters', () => {
  it('largest component per label ⊆ input and is one connected component per label', () => {
    fc.assert(
      fc.property(labelVolumes(3), connectivities, (v, connectivity) => {
        const out = keepLargestComponentPerLabel(v, { connectivity }).data;
        expect(subset(out, v.data)).toBe(true);
        expect(labelsOf(out)).toEqual(labelsOf(v.data));
        for (const l of labelsOf(out)) expect(connectedComponents3D(maskOf(out, l), v.shape, connectivity).count).toBe(1);
      }),
    );
  });
  it('keep-k returns at most k components, the largest ones', () => {
    fc.assert(
      fc.property(labelVolumes(2), connectivities, fc.integer({ min: 0, max: 4 }), (v, connectivity, k) => {
        const out = keepLargestComponents(v, k, { connectivity }).data;
        expect(subset(out, v.data)).toBe(true);
        const before = connectedComponents3D(maskOf(v.data), v.shape, connectivity);
        const after = connectedComponents3D(maskOf(out), v.shape, connectivity);
        expect(after.count).toBe(Math.min(k, before.count));
        const sortedBefore = Array.from(before.sizes).sort((a, b) => b - a).slice(0, k);
        expect(Array.from(after.sizes).sort((a, b) => b - a)).toEqual(sortedBefore);
      }),
    );
  });
  it('removeSmallComponents leaves only components of at least minSize', () => {
    fc.assert(
      fc.property(labelVolumes(2), connectivities, fc.integer({ min: 0, max: 10 }), (v, connectivity, minSize) => {
        const out = removeSmallComponents(v, { minSize, connectivity }).data;
        expect(subset(out, v.data)).toBe(true);
        for (const l of labelsOf(out)) {
          for (const s of connectedComponents3D(maskOf(out, l), v.shape, connectivity).sizes) expect(s).toBeGreaterThanOrEqual(minSize);
        }
      }),
    );
  });
  it('fillHoles is extensive, idempotent, only fills background and creates no label', () => {
    fc.assert(
      fc.property(labelVolumes(2), connectivities, fc.constantFrom('open' as const, 'fill' as const), (v, connectivity, borderHoles) => {
        const once = fillHoles(v, { connectivity, borderHoles });
        expect(subset(v.data, once.data)).toBe(true);
        for (const l of labelsOf(once.data)) expect(labelsOf(v.data).has(l)).toBe(true);
        expect(Array.from(fillHoles(once, { connectivity, borderHoles }).data)).toEqual(Array.from(once.data));
      }),
    );
  });
});

describe('pipeline', () => {
  it('never creates a label that was not in the input', () => {
    fc.assert(
      fc.property(labelVolumes(3), fc.constantFrom('multi' as const, 'global' as const), fc.constantFrom(0, 1, 2), (v, strategy, closingRadius) => {
        const out = postprocessSegmentation(v, { strategy, bones: 3, closingRadius }).data;
        for (const l of labelsOf(out)) expect(labelsOf(v.data).has(l)).toBe(true);
      }),
    );
  });
  it('never mutates its input', () => {
    fc.assert(
      fc.property(labelVolumes(2), (v) => {
        const copy = v.data.slice();
        postprocessSegmentation(v, { strategy: 'multi', bones: 2 });
        fillHoles(v);
        removeSmallComponents(v, { minSize: 3 });
        ballOpening(v, { radius: 1 });
        expect(v.data).toEqual(copy);
      }),
    );
  });
});
