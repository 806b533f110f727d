import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNifti } from '@pedseg/volume';
import { evaluateSegmentation } from '@pedseg/metrics';
import type { StructureMetrics } from '@pedseg/metrics';
import { close } from './helpers/masks.js';

// Values computed outside this project (numpy/scipy for `voxel`, google-deepmind/surface-distance for `element`).
// Copied into fixtures/reference/ (see the README there).
const base = fileURLToPath(new URL('./fixtures/reference/', import.meta.url));
const expected = JSON.parse(readFileSync(`${base}expected.json`, 'utf8')) as Record<string, Record<string, Record<string, Record<string, number | null>>>>;

describe('reference fixtures (1e-6 relative)', () => {
  for (const [name, labels] of Object.entries(expected)) {
    for (const [surface, distanceMethod] of [['voxel', 'edt'], ['voxel', 'points'], ['element', 'edt'], ['element', 'points']] as const) {
      it(`${name}, ${surface}, ${distanceMethod}`, async () => {
        const reference = await readNifti(`${base}${name}_ref.nii.gz`);
        const prediction = await readNifti(`${base}${name}_pred.nii.gz`);
        const result = evaluateSegmentation(reference, prediction, { surface, tolerance: 1, distanceMethod });
        expect(Object.keys(result.labels).sort()).toEqual(Object.keys(labels).sort());
        for (const [label, conventions] of Object.entries(labels)) {
          const got = result.labels[label]! as unknown as Record<string, number>;
          for (const [metric, want] of Object.entries(conventions[surface]!)) {
            const value = metric === 'nsd1' ? (got as unknown as StructureMetrics).nsd : got[metric]!;
            if (want === null) expect(Number.isFinite(value)).toBe(false);
            else expect(close(value, want, 1e-6), `${label} ${metric}: ${value} vs ${want}`).toBe(true);
          }
        }
      });
    }
  }
});

describe("analytic cases (surface-distance's own tests)", () => {
  // One voxel at (50, 60, 70) in the reference, at (50, 60, 72) in the prediction; 100³, spacing (3, 2, 1).
  const shape = [100, 100, 100] as const;
  const spacing = [3, 2, 1] as const;
  const ref = new Uint8Array(100 ** 3);
  const pred = new Uint8Array(100 ** 3);
  ref[50 + 100 * (60 + 100 * 70)] = 1;
  pred[50 + 100 * (60 + 100 * 72)] = 1;

  it('element convention: averages (1.5, 1.5), Hausdorff 2, HD95 2, surface Dice at 1 mm 0.5, Dice 0', () => {
    const m = evaluateSegmentation({ data: ref, shape, spacing }, { data: pred, shape, spacing }, { surface: 'element' }).labels['1']!;
    expect(m.averageReferenceToPrediction).toBe(1.5);
    expect(m.averagePredictionToReference).toBe(1.5);
    expect(m.mssd).toBe(2);
    expect(m.hd95).toBe(2);
    expect(m.nsd).toBe(0.5);
    expect(m.dice).toBe(0);
  });

  it('voxel convention: every distance 2', () => {
    const m = evaluateSegmentation({ data: ref, shape, spacing }, { data: pred, shape, spacing }).labels['1']!;
    for (const d of [m.mssd, m.hd95, m.assd, m.masd, m.averageReferenceToPrediction, m.averagePredictionToReference]) expect(d).toBe(2);
    expect(m.nsd).toBe(0);
    expect(m.dice).toBe(0);
  });

  it('element convention: surfel areas of a single voxel (eight corners of area 7/8 each at spacing (3, 2, 1))', () => {
    // Each corner cuts one triangle with normal (1, 1, 1)/8 in unit-grid terms: area = |(2·1, 3·1, 3·2)|/8 = 7/8.
    const m = evaluateSegmentation({ data: ref, shape, spacing }, { data: ref, shape, spacing }, { surface: 'element' }).labels['1']!;
    expect(m.mssd).toBe(0);
    expect(m.nsd).toBe(1);
  });
});
