// Slow, obviously correct implementations straight from the definitions in
// /work/shared/reference/README.md, to check the fast EDT-based code against.
import { surfelAreaByCode } from '../../src/surface/surfel-areas.js';

import type { V3 } from './masks.js';

export interface OracleScores {
  mssd: number;
  hd95: number[]; // every acceptable value (percentile rules are knife-edge at exact cumulative fractions)
  assd: number;
  masd: number;
  nsd: number;
  averageReferenceToPrediction: number;
  averagePredictionToReference: number;
}

function at(mask: ArrayLike<number>, shape: V3, x: number, y: number, z: number): boolean {
  if (x < 0 || y < 0 || z < 0 || x >= shape[0] || y >= shape[1] || z >= shape[2]) return false;
  return mask[x + shape[0] * (y + shape[1] * z)] !== 0;
}

interface Point {
  p: V3; // grid index
  s: V3; // spacing, mm
  w: number;
}

/** Voxel convention: foreground voxels with a 6-neighbour outside the mask (or outside the image), weight 1. */
export function voxelSurfacePoints(mask: ArrayLike<number>, shape: V3, spacing: V3): Point[] {
  const out: Point[] = [];
  for (let z = 0; z < shape[2]; z++)
    for (let y = 0; y < shape[1]; y++)
      for (let x = 0; x < shape[0]; x++) {
        if (!at(mask, shape, x, y, z)) continue;
        const inside =
          at(mask, shape, x - 1, y, z) && at(mask, shape, x + 1, y, z) && at(mask, shape, x, y - 1, z) &&
          at(mask, shape, x, y + 1, z) && at(mask, shape, x, y, z - 1) && at(mask, shape, x, y, z + 1);
        if (!inside) out.push({ p: [x, y, z], s: spacing, w: 1 });
      }
  return out;
}

/**
 * Element convention: every voxel corner (the corner at index c lies between voxels c - 1 and c on
 * each axis) whose 8 surrounding voxels are neither all inside nor all outside; its weight is the
 * marching-cubes surface area of its neighbour code, bit 7 - (4dx + 2dy + dz) for voxel (c - 1 + d).
 */
export function elementSurfacePoints(mask: ArrayLike<number>, shape: V3, spacing: V3): Point[] {
  const areas = surfelAreaByCode(spacing);
  const out: Point[] = [];
  for (let z = 0; z <= shape[2]; z++)
    for (let y = 0; y <= shape[1]; y++)
      for (let x = 0; x <= shape[0]; x++) {
        let code = 0;
        for (let dx = 0; dx < 2; dx++)
          for (let dy = 0; dy < 2; dy++)
            for (let dz = 0; dz < 2; dz++) if (at(mask, shape, x - 1 + dx, y - 1 + dy, z - 1 + dz)) code |= 1 << (7 - (4 * dx + 2 * dy + dz));
        if (code !== 0 && code !== 255) out.push({ p: [x, y, z], s: spacing, w: areas[code]! });
      }
  return out;
}

function directed(from: Point[], to: Point[]): { d: number; w: number }[] {
  return from
    .map((a) => {
      let best = Infinity;
      for (const b of to) {
        // Summed as scipy's EDT sums (((dx·sx)² + (dy·sy)²) + (dz·sz)²), so ties at the tolerance break alike.
        const dx = (a.p[0] - b.p[0]) * a.s[0];
        const dy = (a.p[1] - b.p[1]) * a.s[1];
        const dz = (a.p[2] - b.p[2]) * a.s[2];
        best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
      }
      return { d: best, w: a.w };
    })
    .sort((u, v) => u.d - v.d || u.w - v.w);
}

function linearPercentileValues(ds: number[], percent: number): number[] {
  const h = ((ds.length - 1) * percent) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, ds.length - 1);
  return [ds[lo]! + (h - lo) * (ds[hi]! - ds[lo]!)];
}

function weightedPercentileValues(list: { d: number; w: number }[], percent: number): number[] {
  const total = list.reduce((s, e) => s + e.w, 0);
  const ok: number[] = [];
  let run = 0;
  for (const e of list) {
    run += e.w;
    const frac = run / total;
    if (Math.abs(frac - percent / 100) < 1e-9) ok.push(e.d); // knife-edge: either side is acceptable
    if (frac >= percent / 100 - 1e-9 && frac > percent / 100) {
      ok.push(e.d);
      break;
    }
  }
  if (ok.length === 0) ok.push(list[list.length - 1]!.d);
  return ok;
}

/** Scores of two non-empty masks by brute force. */
export function oracleScores(
  reference: ArrayLike<number>,
  prediction: ArrayLike<number>,
  shape: V3,
  spacing: V3,
  convention: 'voxel' | 'element',
  percent = 95,
  tolerance = 1,
): OracleScores {
  const points = convention === 'voxel' ? voxelSurfacePoints : elementSurfacePoints;
  const sr = points(reference, shape, spacing);
  const sp = points(prediction, shape, spacing);
  const a = directed(sr, sp);
  const b = directed(sp, sr);
  const sum = (l: { d: number; w: number }[]) => l.reduce((s, e) => s + e.d * e.w, 0);
  const weight = (l: { d: number; w: number }[]) => l.reduce((s, e) => s + e.w, 0);
  const within = (l: { d: number; w: number }[]) => l.reduce((s, e) => s + (e.d <= tolerance ? e.w : 0), 0);
  const pa = convention === 'voxel' ? linearPercentileValues(a.map((e) => e.d), percent) : weightedPercentileValues(a, percent);
  const pb = convention === 'voxel' ? linearPercentileValues(b.map((e) => e.d), percent) : weightedPercentileValues(b, percent);
  const hd95: number[] = [];
  for (const x of pa) for (const y of pb) hd95.push(Math.max(x, y));
  const meanA = sum(a) / weight(a);
  const meanB = sum(b) / weight(b);
  return {
    mssd: Math.max(a[a.length - 1]!.d, b[b.length - 1]!.d),
    hd95,
    assd: (sum(a) + sum(b)) / (weight(a) + weight(b)),
    masd: (meanA + meanB) / 2,
    nsd: (within(a) + within(b)) / (weight(a) + weight(b)),
    averageReferenceToPrediction: meanA,
    averagePredictionToReference: meanB,
  };
}
