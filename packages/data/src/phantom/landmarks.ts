/**
 * Correspondence-preserving surface landmarks: for landmark n of a bone, the ray from the centre of
 * the bone's anchor primitive along the n-th direction of a Fibonacci sphere, expressed in the
 * anchor's local frame, meets the bone surface at its outermost crossing. Because the directions
 * follow the anchor's rotation and the surface follows the subject's deformation, landmark n is the
 * same anatomical place on every subject — the input a statistical shape model needs.
 */
import type { BoneField } from './bone.js';

/** Landmarks of one labelled bone. */
export interface BoneLandmarks {
  /** Label value of the bone. */
  readonly label: number;
  /** Bone name. */
  readonly name: string;
  /** `count × 3` world coordinates (mm), landmark-major: point n is `points[3n .. 3n + 2]`. */
  readonly points: Float64Array;
}

/** `count` near-uniform unit vectors (Fibonacci sphere), `count × 3`. */
export function fibonacciSphere(count: number): Float64Array {
  const out = new Float64Array(count * 3);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let n = 0; n < count; n += 1) {
    const z = 1 - (2 * (n + 0.5)) / count;
    const r = Math.sqrt(Math.max(0, 1 - z * z));
    out[3 * n] = r * Math.cos(golden * n);
    out[3 * n + 1] = r * Math.sin(golden * n);
    out[3 * n + 2] = z;
  }
  return out;
}

/** Computes `count` landmarks on `bone` (see the module notes). */
export function boneLandmarks(bone: BoneField, count: number): BoneLandmarks {
  const anchor = bone.spec.primitives[0]!;
  const [cx, cy, cz] = anchor.center;
  const R = anchor.rotation;
  const { min, max } = bone.bounds;
  const reach = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const step = 0.25;
  const dirs = fibonacciSphere(count);
  const points = new Float64Array(count * 3);
  for (let n = 0; n < count; n += 1) {
    const lx = dirs[3 * n]!, ly = dirs[3 * n + 1]!, lz = dirs[3 * n + 2]!;
    const dx = R[0]! * lx + R[1]! * ly + R[2]! * lz;
    const dy = R[3]! * lx + R[4]! * ly + R[5]! * lz;
    const dz = R[6]! * lx + R[7]! * ly + R[8]! * lz;
    const at = (t: number): number => bone.value(cx + t * dx, cy + t * dy, cz + t * dz);
    // March inward with steps bounded by the distance-like value (never more than 2 mm, so a thin
    // scapular blade cannot be stepped over), then bisect the first sign change.
    let t = reach;
    let outside = reach;
    let f = at(t);
    while (t > 0 && f >= 0) {
      outside = t;
      t -= Math.max(step, Math.min(2, 0.5 * f));
      f = at(Math.max(0, t));
    }
    let lo = Math.max(0, t);
    let hi = outside;
    for (let it = 0; it < 30; it += 1) {
      const mid = (lo + hi) / 2;
      if (at(mid) < 0) lo = mid;
      else hi = mid;
    }
    const s = (lo + hi) / 2;
    points[3 * n] = cx + s * dx;
    points[3 * n + 1] = cy + s * dy;
    points[3 * n + 2] = cz + s * dz;
  }
  return { label: bone.spec.label, name: bone.spec.name, points };
}
