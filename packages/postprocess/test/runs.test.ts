import { connectedComponents3D } from '@pedseg/volume';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runComponents } from '../src/runs.js';
import { labelVolumes } from './arbitraries.js';
import { maskOf, samePartition } from './helpers.js';

/** Voxel-wise component map of a run labelling. */
function expand(cc: ReturnType<typeof runComponents>, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < cc.runs; i++) out.fill(cc.runComponent[i]!, cc.runStart[i]!, cc.runStart[i]! + cc.runLength[i]!);
  return out;
}

describe('run-based labelling (oracle: connectedComponents3D of @pedseg/volume)', () => {
  const connectivities = fc.constantFrom(6 as const, 18 as const, 26 as const);
  it('foreground mode = voxel labelling of the non-zero mask, same numbering and sizes', () => {
    fc.assert(
      fc.property(labelVolumes(3, 9), connectivities, (v, connectivity) => {
        const runs = runComponents(v.data, v.shape, connectivity, 'foreground');
        const voxels = connectedComponents3D(maskOf(v.data), v.shape, connectivity);
        expect(runs.count).toBe(voxels.count);
        expect(Array.from(expand(runs, v.data.length))).toEqual(Array.from(voxels.labels));
        expect(Array.from(runs.sizes)).toEqual(Array.from(voxels.sizes));
      }),
    );
  });
  it('label mode = voxel labelling of each label separately', () => {
    fc.assert(
      fc.property(labelVolumes(3, 9), connectivities, (v, connectivity) => {
        const runs = runComponents(v.data, v.shape, connectivity, 'label');
        const all = expand(runs, v.data.length);
        let total = 0;
        for (const label of [1, 2, 3]) {
          const voxels = connectedComponents3D(maskOf(v.data, label), v.shape, connectivity);
          total += voxels.count;
          const restricted = all.map((c, i) => (v.data[i] === label ? c : 0));
          expect(samePartition(restricted, voxels.labels)).toBe(true);
        }
        expect(runs.count).toBe(total);
        for (let c = 1; c <= runs.count; c++) expect(runs.values[c - 1]).toBeGreaterThan(0);
      }),
    );
  });
  it('numbers components by first occurrence in memory order', () => {
    fc.assert(
      fc.property(labelVolumes(2, 8), (v) => {
        const all = expand(runComponents(v.data, v.shape, 26, 'label'), v.data.length);
        let seen = 0;
        for (const c of all) {
          if (c === 0) continue;
          expect(c).toBeLessThanOrEqual(seen + 1);
          seen = Math.max(seen, c);
        }
      }),
    );
  });
});
