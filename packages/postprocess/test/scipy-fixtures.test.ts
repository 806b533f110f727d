import { readFileSync } from 'node:fs';
import { connectedComponents3D } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import { describe, expect, it } from 'vitest';
import {
  ballClosing,
  ballDilation,
  ballErosion,
  ballOpening,
  fillHoles,
  keepLargestComponentPerLabel,
  keepLargestComponents,
  removeSmallComponents,
  stackProbabilitySlices,
} from '@pedseg/postprocess';
import { runComponents } from '../src/runs.js';
import { differences, labelVolume, samePartition } from './helpers.js';

// Made by test/fixtures/make_fixtures.py (scipy.ndimage); data are a[x,y,z].ravel(order='F').
interface Base {
  shape: [number, number, number];
  connectivity: 6 | 18 | 26;
  input: number[];
  expected: number[];
}
interface Fixtures {
  label: Array<{ shape: Vec3; connectivity: 6 | 18 | 26; mask: number[]; labels: number[]; count: number }>;
  largest: Base[];
  keep: Array<Base & { k: number }>;
  removeSmall: Array<Base & { minSize: number }>;
  morphology: Array<{
    shape: Vec3;
    spacing: Vec3;
    radius: number;
    unit: 'voxel' | 'mm';
    input: number[];
    dilation: number[];
    erosion: number[];
    erosionBorderZero: number[];
    closing: number[];
    opening: number[];
  }>;
  fillHoles: Base[];
  resample: Array<{ source: [number, number]; target: [number, number]; probabilities: number[]; argmax: number[] }>;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/scipy_fixtures.json', import.meta.url), 'utf8')) as Fixtures;

describe('agreement with scipy.ndimage (voxel-exact)', () => {
  it.each(fixtures.label.map((c, i) => [i, c] as const))('labelling #%i matches ndimage.label', (_i, c) => {
    const cc = connectedComponents3D(c.mask, c.shape, c.connectivity);
    expect(cc.count).toBe(c.count);
    expect(samePartition(cc.labels, c.labels)).toBe(true);
    // The run-based labelling behind the component filters, on the same references.
    const runs = runComponents(c.mask, c.shape, c.connectivity, 'foreground');
    const expanded = new Int32Array(c.mask.length);
    for (let r = 0; r < runs.runs; r++) expanded.fill(runs.runComponent[r]!, runs.runStart[r]!, runs.runStart[r]! + runs.runLength[r]!);
    expect(runs.count).toBe(c.count);
    expect(samePartition(expanded, c.labels)).toBe(true);
  });

  it.each(fixtures.largest.map((c, i) => [i, c] as const))('largest component per label #%i', (_i, c) => {
    const out = keepLargestComponentPerLabel(labelVolume(c.input, c.shape), { connectivity: c.connectivity });
    expect(differences(out.data, c.expected)).toEqual([]);
  });

  it.each(fixtures.keep.map((c, i) => [i, c] as const))('k largest components of the foreground #%i', (_i, c) => {
    const out = keepLargestComponents(labelVolume(c.input, c.shape), c.k, { connectivity: c.connectivity });
    expect(differences(out.data, c.expected)).toEqual([]);
  });

  it.each(fixtures.removeSmall.map((c, i) => [i, c] as const))('small components removal #%i', (_i, c) => {
    const out = removeSmallComponents(labelVolume(c.input, c.shape), { minSize: c.minSize, connectivity: c.connectivity });
    expect(differences(out.data, c.expected)).toEqual([]);
  });

  it.each(fixtures.fillHoles.map((c, i) => [i, c] as const))('fill holes #%i matches binary_fill_holes', (_i, c) => {
    const out = fillHoles(labelVolume(c.input, c.shape), { connectivity: c.connectivity });
    expect(differences(out.data, c.expected)).toEqual([]);
  });

  const methods = ['edt', 'scan'] as const;
  describe.each(fixtures.morphology.flatMap((c, i) => methods.map((m) => [i, m, c] as const)))('ball morphology #%i (%s)', (_i, method, c) => {
    const volume = labelVolume(c.input, c.shape, c.spacing);
    const options = { radius: c.radius, unit: c.unit, method };
    it('dilation = binary_dilation', () => {
      expect(differences(ballDilation(volume, options).data, c.dilation)).toEqual([]);
    });
    it('erosion = binary_erosion with border_value=1', () => {
      expect(differences(ballErosion(volume, options).data, c.erosion)).toEqual([]);
    });
    it('closing = binary_closing of the zero-padded mask, cropped', () => {
      expect(differences(ballClosing(volume, options).data, c.closing)).toEqual([]);
    });
    it('opening = binary_opening of the one-padded mask, cropped', () => {
      expect(differences(ballOpening(volume, options).data, c.opening)).toEqual([]);
    });
    it('erosion agrees with border_value=0 away from the border', () => {
      const [nx, ny, nz] = c.shape;
      const eroded = ballErosion(volume, options).data;
      const reach = c.unit === 'voxel' ? Math.floor(c.radius) : 0;
      let compared = 0;
      for (let z = 0; z < nz; z++) {
        for (let y = 0; y < ny; y++) {
          for (let x = 0; x < nx; x++) {
            const r = c.unit === 'voxel' ? [reach, reach, reach] : c.spacing.map((s) => Math.floor(c.radius / s));
            if (x < r[0]! || y < r[1]! || z < r[2]! || x >= nx - r[0]! || y >= ny - r[1]! || z >= nz - r[2]!) continue;
            const i = x + nx * (y + ny * z);
            expect(eroded[i]).toBe(c.erosionBorderZero[i]);
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  });

  it.each(fixtures.resample.map((c, i) => [i, c] as const))('bilinear stacking #%i matches ndimage.zoom(grid_mode)', (_i, c) => {
    const volume = stackProbabilitySlices([{ data: c.probabilities, shape: c.source, channels: 3 }], {
      grid: [c.target[0], c.target[1], 1],
    });
    expect(differences(volume.data, c.argmax)).toEqual([]);
  });
});
