import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectedComponents2D, connectedComponents3D, squaredDistanceToFeatures, type Vec3 } from '@pedseg/volume';

interface ScipyFixtures {
  edt: Array<{ shape: number[]; spacing: number[]; features: number[]; distance: number[] }>;
  label3d: Array<{ shape: number[]; mask: number[]; labels: Record<string, number[]>; counts: Record<string, number> }>;
  label2d: Array<{ shape: number[]; mask: number[]; labels: Record<string, number[]>; counts: Record<string, number> }>;
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/scipy.json', import.meta.url), 'utf8'),
) as ScipyFixtures;

/**
 * True when two labellings induce the same partition of the foreground (label values may differ:
 * scipy numbers components in C order, we number them in memory order with x fastest).
 */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ((x === 0) !== (y === 0)) return false;
    if (x === 0) continue;
    if ((ab.get(x) ?? y) !== y || (ba.get(y) ?? x) !== x) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

describe('scipy.ndimage fixtures', () => {
  it.each(fixtures.edt.map((c, i) => [i, c] as const))('EDT case %i matches distance_transform_edt(sampling=)', (_, c) => {
    const got = squaredDistanceToFeatures(c.features, c.shape as unknown as Vec3, c.spacing as unknown as Vec3);
    for (let i = 0; i < got.length; i++) {
      const expected = c.distance[i]! * c.distance[i]!;
      expect(Math.abs(got[i]! - expected), `voxel ${i}`).toBeLessThanOrEqual(expected * 2e-7 + 1e-9);
    }
  });

  it('samePartition can fail', () => {
    expect(samePartition([1, 1, 0, 2], [3, 3, 0, 1])).toBe(true);
    expect(samePartition([1, 1, 0, 2], [3, 3, 0, 3])).toBe(false);
    expect(samePartition([1, 2], [1, 1])).toBe(false);
  });

  for (const conn of [6, 18, 26] as const) {
    it.each(fixtures.label3d.map((c, i) => [i, c] as const))(`label3d case %i at ${conn}`, (_, c) => {
      const got = connectedComponents3D(c.mask, c.shape as unknown as Vec3, conn);
      expect(got.count).toBe(c.counts[String(conn)]);
      expect(samePartition(got.labels, c.labels[String(conn)]!)).toBe(true);
    });
  }

  for (const conn of [4, 8] as const) {
    it.each(fixtures.label2d.map((c, i) => [i, c] as const))(`label2d case %i at ${conn}`, (_, c) => {
      const got = connectedComponents2D(c.mask, c.shape as unknown as [number, number], conn);
      expect(got.count).toBe(c.counts[String(conn)]);
      expect(samePartition(got.labels, c.labels[String(conn)]!)).toBe(true);
    });
  }

  it('fixtures are not trivial (several components, connectivity matters)', () => {
    const counts = fixtures.label3d.map((c) => [c.counts['6']!, c.counts['26']!]);
    expect(counts.some(([a, b]) => a! > b! && b! > 1)).toBe(true);
  });
});
