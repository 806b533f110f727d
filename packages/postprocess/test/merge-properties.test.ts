import { createVolume } from '@pedseg/volume';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeIndividualProbabilities, stackProbabilitySlices } from '@pedseg/postprocess';

const probability = fc.double({ min: 0, max: 1, noNaN: true });

describe('merging and argmax stacking, properties', () => {
  it('a merged voxel is 0 iff no bone reaches the threshold, else a most confident bone (smallest on ties)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), probability, fc.integer(), (bones, n, threshold, seed) => {
        let s = seed >>> 0 || 1;
        const next = () => ((s = (s * 1103515245 + 12345) >>> 0), (s >>> 8) / 2 ** 24);
        // Coarse values make exact ties frequent.
        const maps = Array.from({ length: bones }, () => createVolume(Float32Array.from({ length: n }, () => Math.round(next() * 4) / 4), [n, 1, 1]));
        const merged = mergeIndividualProbabilities(maps, { threshold }).data;
        for (let i = 0; i < n; i++) {
          const p = maps.map((m) => m.data[i]!);
          const best = Math.max(...p);
          if (best < threshold) expect(merged[i]).toBe(0);
          else expect(merged[i]).toBe(p.indexOf(best) + 1);
        }
      }),
    );
  });
  it('without resampling, probability stacking is the voxel-wise argmax (first maximum)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), (channels, nu, nv, count) => {
        const slices = Array.from({ length: count }, (_, k) => ({
          data: Array.from({ length: nu * nv * channels }, (_, j) => ((j * 7 + k * 3) % 5) / 4),
          shape: [nu, nv] as const,
          channels,
        }));
        const v = stackProbabilitySlices(slices);
        slices.forEach((slice, k) => {
          for (let q = 0; q < nu * nv; q++) {
            const p = slice.data.slice(q * channels, (q + 1) * channels);
            expect(v.data[q + nu * nv * k]).toBe(p.indexOf(Math.max(...p)));
          }
        });
      }),
    );
  });
});
