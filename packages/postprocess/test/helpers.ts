import { createVolume } from '@pedseg/volume';
import type { Vec3, Volume } from '@pedseg/volume';

/** A Uint8 label volume from plain numbers. */
export function labelVolume(data: ArrayLike<number>, shape: Vec3, spacing: Vec3 = [1, 1, 1]): Volume<Uint8Array> {
  return createVolume(Uint8Array.from(data as ArrayLike<number>), shape, { spacing });
}

/** Positions where two arrays differ (first few), for readable failures. */
export function differences(a: ArrayLike<number>, b: ArrayLike<number>, limit = 5): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < limit; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

/** Binary mask (0/1) of `label` in `data`. */
export function maskOf(data: ArrayLike<number>, label?: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = label === undefined ? (data[i] !== 0 ? 1 : 0) : data[i] === label ? 1 : 0;
  return out;
}

/** True when both labellings induce the same partition of the voxels (numbering ignored). */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
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
