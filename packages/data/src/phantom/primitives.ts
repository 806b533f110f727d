/**
 * Implicit primitives of the phantoms: superellipsoids with a rotation and a smooth radial
 * perturbation, evaluated as an approximate signed distance in millimetres (negative inside).
 *
 * For a local point q = Rᵀ(p − c) with semi-axes (a, b, c) and shape exponents (e1, e2),
 * F = (|qx/a|^(2/e2) + |qy/b|^(2/e2))^(e2/e1) + |qz/c|^(2/e1) and ρ = F^(e1/2). ρ is 1 on the surface
 * and homogeneous of degree 1 (ρ(λq) = λρ(q)), so (ρ − 1)·min(a, b, c) behaves like a distance near
 * the surface. The perturbation moves the surface to ρ = 1 + δ(u), u = q/|q|, with
 * δ(u) = Σ_k a_k cos(ω_k (d_k·u) + φ_k): a smooth, low-frequency change of the radius in every
 * direction, different per subject.
 */
import type { Rng } from '../random.js';

/** Three numbers along x, y, z. */
export type Triple = readonly [number, number, number];

/** One smooth radial perturbation term (see the module notes). */
export interface Ripple {
  /** Unit direction d_k (in the primitive's local frame). */
  readonly direction: Triple;
  /** Angular frequency ω_k. */
  readonly frequency: number;
  /** Phase φ_k (radians). */
  readonly phase: number;
  /** Relative amplitude a_k (fraction of the radius). */
  readonly amplitude: number;
}

/** A rotated, perturbed superellipsoid (all lengths in mm). */
export interface Primitive {
  /** Centre in world mm. */
  readonly center: Triple;
  /** Semi-axes along the local x, y, z axes (mm). */
  readonly radii: Triple;
  /** Shape exponents [e1 (along z), e2 (in the xy plane)]; 1 = ellipsoid, → 0 = box/cylinder. */
  readonly exponents: readonly [number, number];
  /** Row-major 3×3 rotation local → world. */
  readonly rotation: readonly number[];
  /** Radial perturbation terms (may be empty). */
  readonly ripples: readonly Ripple[];
}

/** Row-major 3×3 rotation from Euler angles in degrees, applied about x, then y, then z. */
export function rotationXYZ(degX: number, degY: number, degZ: number): number[] {
  const [ax, ay, az] = [degX, degY, degZ].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const cx = Math.cos(ax), sx = Math.sin(ax), cy = Math.cos(ay), sy = Math.sin(ay), cz = Math.cos(az), sz = Math.sin(az);
  // Rz · Ry · Rx
  return [
    cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
    sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
    -sy, cy * sx, cy * cx,
  ];
}

/** Product of two row-major 3×3 matrices. */
export function matMul3(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r += 1) {
    for (let c = 0; c < 3; c += 1) {
      out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    }
  }
  return out;
}

/** Random smooth ripples with total relative amplitude `amplitude`. */
export function randomRipples(rng: Rng, count: number, amplitude: number): Ripple[] {
  const out: Ripple[] = [];
  for (let k = 0; k < count; k += 1) {
    const z = rng.uniform(-1, 1);
    const t = rng.uniform(0, 2 * Math.PI);
    const r = Math.sqrt(1 - z * z);
    out.push({
      direction: [r * Math.cos(t), r * Math.sin(t), z],
      frequency: rng.uniform(1.5, 3.5),
      phase: rng.uniform(0, 2 * Math.PI),
      amplitude: amplitude / count,
    });
  }
  return out;
}

/** Smooth minimum (polynomial, blend width k mm): a union with a rounded fillet. */
export function smoothMin(a: number, b: number, k: number): number {
  if (k <= 0) return Math.min(a, b);
  const h = Math.max(k - Math.abs(a - b), 0) / k;
  return Math.min(a, b) - (h * h * k) / 4;
}

/** Precomputed evaluator of one primitive (avoids re-deriving constants per voxel). */
export class PrimitiveField {
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;
  private readonly r: readonly number[];
  private readonly ia: number;
  private readonly ib: number;
  private readonly ic: number;
  private readonly p2: number;
  private readonly p1: number;
  private readonly pe: number;
  private readonly ellipsoid: boolean;
  private readonly ripples: readonly Ripple[];
  /** Radius of a ball around the centre that contains the primitive (mm). */
  readonly boundingRadius: number;
  /** The primitive. */
  readonly primitive: Primitive;

  /** @param p - the primitive. */
  constructor(p: Primitive) {
    this.primitive = p;
    [this.cx, this.cy, this.cz] = p.center;
    this.r = p.rotation;
    const [a, b, c] = p.radii;
    this.ia = 1 / a;
    this.ib = 1 / b;
    this.ic = 1 / c;
    const [e1, e2] = p.exponents;
    this.p2 = 2 / e2;
    this.p1 = 2 / e1;
    this.pe = e2 / e1;
    this.ellipsoid = e1 === 1 && e2 === 1;
    this.ripples = p.ripples;
    const amp = p.ripples.reduce((s, r) => s + Math.abs(r.amplitude), 0);
    // a superellipsoid lies inside the box of its semi-axes, whose half-diagonal bounds it
    this.boundingRadius = Math.hypot(a, b, c) * (1 + amp) + 1e-6;
  }

  /**
   * Approximate signed distance (mm) at world point (x, y, z); negative inside. Outside it is the
   * distance to the surface along the ray from the centre, |q|(1 − 1/ρ) (exact for spheres, never below
   * the true distance); inside it is minus the shortest axis-aligned distance to the surface.
   * Points farther than {@link REJECT_DISTANCE} from the bounding ball return the (smaller, still
   * positive) distance to that ball, which skips the power functions where no caller needs precision.
   */
  value(x: number, y: number, z: number): number {
    const dx = x - this.cx, dy = y - this.cy, dz = z - this.cz;
    const n = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (n - this.boundingRadius > REJECT_DISTANCE) return n - this.boundingRadius;
    const r = this.r;
    // local = Rᵀ · d
    const qx = r[0]! * dx + r[3]! * dy + r[6]! * dz;
    const qy = r[1]! * dx + r[4]! * dy + r[7]! * dz;
    const qz = r[2]! * dx + r[5]! * dy + r[8]! * dz;
    const ax = Math.abs(qx * this.ia), ay = Math.abs(qy * this.ib), az = Math.abs(qz * this.ic);
    let rho: number;
    if (this.ellipsoid) {
      rho = Math.sqrt(ax * ax + ay * ay + az * az);
    } else {
      const inPlane = Math.pow(Math.pow(ax, this.p2) + Math.pow(ay, this.p2), this.pe);
      rho = Math.pow(inPlane + Math.pow(az, this.p1), 1 / this.p1);
    }
    let grow = 1;
    if (this.ripples.length > 0 && rho > 0.5 && rho < 1.7 && n > 0) {
      let delta = 0;
      for (const rp of this.ripples) {
        const d = rp.direction;
        delta += rp.amplitude * Math.cos(rp.frequency * ((d[0] * qx + d[1] * qy + d[2] * qz) / n) * Math.PI + rp.phase);
      }
      grow = 1 + delta;
      rho /= grow;
    }
    if (rho >= 1) return n * (1 - 1 / rho);
    return -this.insideDepth(ax / grow, ay / grow, az / grow) * grow;
  }

  /**
   * Inside depth: the shortest of the three axis-aligned distances from the point to the surface
   * (each an upper bound of the true distance, their minimum close to it for flat and elongated
   * shapes alike). Arguments are |q|/radii of a point inside the unperturbed shape.
   */
  private insideDepth(ax: number, ay: number, az: number): number {
    const [a, b, c] = this.primitive.radii;
    if (this.ellipsoid) {
      const dx = a * Math.sqrt(Math.max(0, 1 - ay * ay - az * az)) - ax * a;
      const dy = b * Math.sqrt(Math.max(0, 1 - ax * ax - az * az)) - ay * b;
      const dz = c * Math.sqrt(Math.max(0, 1 - ax * ax - ay * ay)) - az * c;
      return Math.max(0, Math.min(dx, dy, dz));
    }
    const px = Math.pow(ax, this.p2);
    const py = Math.pow(ay, this.p2);
    const pz = Math.pow(az, this.p1);
    const dz = c * Math.pow(Math.max(0, 1 - Math.pow(px + py, this.pe)), 1 / this.p1) - az * c;
    const inPlaneBudget = Math.pow(Math.max(0, 1 - pz), 1 / this.pe);
    const dx = a * Math.pow(Math.max(0, inPlaneBudget - py), 1 / this.p2) - ax * a;
    const dy = b * Math.pow(Math.max(0, inPlaneBudget - px), 1 / this.p2) - ay * b;
    return Math.max(0, Math.min(dx, dy, dz));
  }
}

/** Beyond this distance (mm) from a primitive's bounding ball, its value is only a lower bound. */
export const REJECT_DISTANCE = 12;
