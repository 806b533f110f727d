/**
 * Turns an {@link Anatomy} into a T1-like image and a label map on a voxel grid, one z slice at a
 * time (memory stays at one image, one label map and a few slice-sized buffers). Where two bones come
 * closer than the joint gap, the voxels become joint space (cartilage intensity, background label),
 * so different bones never touch.
 */
import { Rng } from '../random.js';
import type { Anatomy } from './anatomy.js';
import { BoneField } from './bone.js';
import type { DomainContrast } from './domains.js';
import type { PhantomGrid } from './geometry.js';
import { PrimitiveField, smoothMin } from './primitives.js';
import type { PhantomSubject } from './subject.js';
import { SmoothField } from './texture.js';

/** Image and label map of a rasterised phantom, x fastest. */
export interface RasterResult {
  /** Intensities in scanner units. */
  readonly image: Float32Array;
  /** Label values (0 = background). */
  readonly label: Uint8Array;
}

function axisCoords(n: number, origin: number, step: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) out[i] = origin + i * step;
  return out;
}

function range(lo: number, hi: number, origin: number, step: number, n: number): [number, number] {
  return [Math.max(0, Math.ceil((lo - origin) / step)), Math.min(n - 1, Math.floor((hi - origin) / step))];
}

/**
 * Rasterises one phantom.
 *
 * @param anatomy - bones and body outline.
 * @param grid - voxel grid.
 * @param contrast - tissue intensities, noise and bias of the domain.
 * @param subject - subject factors (motion ghosting).
 * @param rng - randomness for textures, bias, ghosting and noise.
 */
export function rasterise(anatomy: Anatomy, grid: PhantomGrid, contrast: DomainContrast, subject: PhantomSubject, rng: Rng): RasterResult {
  const [nx, ny, nz] = grid.shape;
  const [sx, sy, sz] = grid.spacing;
  const xs = axisCoords(nx, grid.origin[0], sx);
  const ys = axisCoords(ny, grid.origin[1], sy);
  const zs = axisCoords(nz, grid.origin[2], sz);
  const axes = [xs, ys, zs];
  const c = contrast;
  const bones = anatomy.bones.map((b) => new BoneField(b));
  const body = anatomy.body.map((p) => new PrimitiveField(p));
  // Joint space at least one voxel wide so that bones never share a face at coarse test resolutions.
  const gap = Math.max(1.2, 1.05 * Math.max(sx, sy, sz));
  const bias = separableBias(rng.fork('bias'), axes, c.bias);
  const marrowTexture = new SmoothField(rng.fork('marrow'), axes, 4, [6, 18]);
  const muscleTexture = new SmoothField(rng.fork('muscle'), axes, 5, [8, 30]);

  const sliceN = nx * ny;
  const N = sliceN * nz;
  const image = new Float32Array(N);
  const label = new Uint8Array(N);
  const bestF = new Float32Array(sliceN);
  const secondF = new Float32Array(sliceN);
  const owner = new Uint8Array(sliceN);
  const bodyF = new Float32Array(sliceN);

  // At fine grids a block spans at most 2 mm in-plane, over which the smooth distance-like values are
  // interpolated bilinearly from the block corners instead of evaluated per voxel (an 8 × 8 block costs
  // 5 evaluations instead of 64); coarse grids (tests) evaluate every voxel.
  const inPlane = Math.max(sx, sy);
  const BLOCK = 7 * inPlane <= 2 ? 8 : 4;
  const fine = (BLOCK - 1) * inPlane <= 2;
  const sampler = (
    field: { value(x: number, y: number, z: number): number },
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    z: number,
    interpolate: boolean,
  ): ((i: number, j: number) => number) => {
    if (!interpolate || i1 === i0 || j1 === j0) return (i, j) => field.value(xs[i]!, ys[j]!, z);
    const f00 = field.value(xs[i0]!, ys[j0]!, z);
    const f10 = field.value(xs[i1]!, ys[j0]!, z);
    const f01 = field.value(xs[i0]!, ys[j1]!, z);
    const f11 = field.value(xs[i1]!, ys[j1]!, z);
    const di = 1 / (i1 - i0);
    const dj = 1 / (j1 - j0);
    return (i, j) => {
      const u = (i - i0) * di;
      const v = (j - j0) * dj;
      return (1 - v) * ((1 - u) * f00 + u * f10) + v * ((1 - u) * f01 + u * f11);
    };
  };
  for (let k = 0; k < nz; k += 1) {
    const z = zs[k]!;
    bestF.fill(Infinity);
    secondF.fill(Infinity);
    owner.fill(0);
    bodyF.fill(Infinity);
    for (const p of body) {
      const [cx, cy, cz] = p.primitive.center;
      const rad = p.boundingRadius;
      if (Math.abs(z - cz) > rad) continue;
      const [i0, i1] = range(cx - rad, cx + rad, grid.origin[0], sx, nx);
      const [j0, j1] = range(cy - rad, cy + rad, grid.origin[1], sy, ny);
      // Blocks far outside or deep inside the outline take one value; only the skin band is sampled per voxel.
      forBlocks(i0, i1, j0, j1, BLOCK, (bi0, bi1, bj0, bj1) => {
        const hd = 2 * Math.hypot(((bi1 - bi0) * sx) / 2, ((bj1 - bj0) * sy) / 2);
        const fc = p.value((xs[bi0]! + xs[bi1]!) / 2, (ys[bj0]! + ys[bj1]!) / 2, z);
        if (fc - hd > BODY_BLEND) return;
        const uniform = fc + hd < -(anatomy.fatThickness + 1) ? fc + hd : NaN;
        const field = Number.isNaN(uniform) ? sampler(p, bi0, bi1, bj0, bj1, z, fine) : null;
        for (let j = bj0; j <= bj1; j += 1) {
          const row = j * nx;
          for (let i = bi0; i <= bi1; i += 1) {
            const v = field === null ? uniform : field(i, j);
            bodyF[row + i] = smoothMin(bodyF[row + i]!, v, BODY_BLEND);
          }
        }
      });
    }
    for (let b = 0; b < bones.length; b += 1) {
      const bone = bones[b]!;
      const { min, max } = bone.bounds;
      if (z < min[2] || z > max[2]) continue;
      const [i0, i1] = range(min[0], max[0], grid.origin[0], sx, nx);
      const [j0, j1] = range(min[1], max[1], grid.origin[1], sy, ny);
      const deep = bone.spec.cortex + 0.5;
      const visit = (q: number, f: number): void => {
        if (f < bestF[q]!) {
          secondF[q] = bestF[q]!;
          bestF[q] = f;
          owner[q] = b + 1;
        } else if (f < secondF[q]!) {
          secondF[q] = f;
        }
      };
      // The bone value is distance-like (Lipschitz ≈ 1; factor 2 for safety): a block whose centre is
      // far outside is skipped, one deep inside gets an upper bound, the rest is sampled per voxel.
      forBlocks(i0, i1, j0, j1, BLOCK, (bi0, bi1, bj0, bj1) => {
        const hd = 2 * Math.hypot(((bi1 - bi0) * sx) / 2, ((bj1 - bj0) * sy) / 2);
        const fc = bone.value((xs[bi0]! + xs[bi1]!) / 2, (ys[bj0]! + ys[bj1]!) / 2, z);
        if (fc - hd > gap) return;
        if (fc + hd < -deep) {
          for (let j = bj0; j <= bj1; j += 1) for (let i = bi0; i <= bi1; i += 1) visit(j * nx + i, fc + hd);
          return;
        }
        const field = sampler(bone, bi0, bi1, bj0, bj1, z, fine);
        for (let j = bj0; j <= bj1; j += 1) {
          for (let i = bi0; i <= bi1; i += 1) {
            const f = field(i, j);
            if (f <= gap) visit(j * nx + i, f);
          }
        }
      });
    }
    const base = k * sliceN;
    for (let j = 0; j < ny; j += 1) {
      const y = ys[j]!;
      for (let i = 0; i < nx; i += 1) {
        const q = j * nx + i;
        let v: number;
        let lab = 0;
        const o = owner[q]!;
        const f = bestF[q]!;
        if (o > 0 && f < 0) {
          if (secondF[q]! < gap) {
            v = c.cartilage * 0.8;
          } else {
            const bone = bones[o - 1]!;
            lab = bone.spec.label;
            if (f > -bone.spec.cortex) v = c.cortex;
            else if (bone.isCartilage(xs[i]!, y, z)) v = c.cartilage;
            else v = c.marrow * (1 + 0.08 * marrowTexture.at(i, j, k));
          }
        } else {
          const bf = bodyF[q]!;
          if (bf > 0) v = c.air;
          else if (bf > -anatomy.fatThickness) v = c.fat;
          else {
            const t = muscleTexture.at(i, j, k);
            v = t > 0.42 ? c.fat * 0.9 : c.muscle * (1 + 0.1 * t);
          }
        }
        image[base + q] = v * bias[0]![i]! * bias[1]![j]! * bias[2]![k]!;
        label[base + q] = lab;
      }
    }
  }

  separateBones(image, label, grid, c.cartilage * 0.8, bias);
  if (subject.motion) addGhosts(image, grid, rng.fork('ghost'));
  addRicianNoise(image, c.noise, c.scale, rng.fork('noise'));
  return { image, label };
}

const BODY_BLEND = 3;

function forBlocks(
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  size: number,
  visit: (bi0: number, bi1: number, bj0: number, bj1: number) => void,
): void {
  for (let bj = j0; bj <= j1; bj += size) {
    for (let bi = i0; bi <= i1; bi += size) visit(bi, Math.min(i1, bi + size - 1), bj, Math.min(j1, bj + size - 1));
  }
}

/**
 * Smooth multiplicative bias field exp(Σ_axis g_axis), each g a random low-frequency cosine mixture,
 * scaled so the product stays within about exp(±amplitude). Returned as one table per axis.
 */
function separableBias(rng: Rng, axes: readonly Float64Array[], amplitude: number): Float64Array[] {
  return axes.map((coords) => {
    const w1 = (2 * Math.PI) / rng.uniform(250, 500);
    const w2 = (2 * Math.PI) / rng.uniform(120, 250);
    const p1 = rng.uniform(0, 2 * Math.PI);
    const p2 = rng.uniform(0, 2 * Math.PI);
    const a2 = rng.uniform(0, 0.5);
    const t = new Float64Array(coords.length);
    for (let i = 0; i < coords.length; i += 1) {
      const g = (Math.cos(w1 * coords[i]! + p1) + a2 * Math.cos(w2 * coords[i]! + p2)) / (1 + a2);
      t[i] = Math.exp((amplitude / 3) * 2 * g);
    }
    return t;
  });
}

/**
 * The joint-gap test uses approximate distances, so at coarse grids two bones can still share a voxel
 * face; those voxels become joint space, which guarantees that different labels never touch.
 */
function separateBones(image: Float32Array, label: Uint8Array, grid: PhantomGrid, joint: number, bias: readonly Float64Array[]): void {
  const [nx, ny, nz] = grid.shape;
  const steps = [1, nx, nx * ny];
  for (let k = 0; k < nz; k += 1) {
    for (let j = 0; j < ny; j += 1) {
      for (let i = 0; i < nx; i += 1) {
        const p = i + nx * (j + ny * k);
        const v = label[p]!;
        if (v === 0) continue;
        const inside = [i + 1 < nx, j + 1 < ny, k + 1 < nz];
        for (let a = 0; a < 3; a += 1) {
          if (!inside[a]) continue;
          const w = label[p + steps[a]!]!;
          if (w !== 0 && w !== v) {
            label[p] = 0;
            image[p] = joint * bias[0]![i]! * bias[1]![j]! * bias[2]![k]!;
            break;
          }
        }
      }
    }
  }
}

/** Periodic-motion ghosts: attenuated copies of the image shifted along y (phase encoding), wrapped. */
function addGhosts(image: Float32Array, grid: PhantomGrid, rng: Rng): void {
  const [nx, ny, nz] = grid.shape;
  const shift = Math.max(1, Math.round(ny / (3 + rng.int(3))));
  const amplitude = rng.uniform(0.08, 0.18);
  const line = new Float32Array(ny);
  for (let k = 0; k < nz; k += 1) {
    for (let i = 0; i < nx; i += 1) {
      const base = k * nx * ny + i;
      for (let j = 0; j < ny; j += 1) line[j] = image[base + j * nx]!;
      for (let j = 0; j < ny; j += 1) {
        const up = line[(j + shift) % ny]!;
        const down = line[(j - shift + ny) % ny]!;
        image[base + j * nx] = line[j]! + (amplitude * (up + down)) / 2;
      }
    }
  }
}

/** 65 536 standard normal draws (fixed seed), indexed by 16 random bits: two deviates per 32-bit draw. */
let normalTable: Float32Array | null = null;
function gaussianTable(): Float32Array {
  if (normalTable === null) {
    const rng = new Rng(0x5eed);
    normalTable = new Float32Array(65536);
    for (let i = 0; i < 65536; i += 1) normalTable[i] = rng.normal();
  }
  return normalTable;
}

/**
 * Magnitude of a complex signal with Gaussian noise on both channels (Rician), scaled to scanner
 * units. The deviates come from a table of 65 536 normal draws, two per 32-bit random number, which
 * keeps noise generation at a few ns per voxel.
 */
function addRicianNoise(image: Float32Array, sigma: number, scale: number, rng: Rng): void {
  const table = gaussianTable();
  for (let p = 0; p < image.length; p += 1) {
    const bits = rng.nextUint32();
    const re = image[p]! + sigma * table[bits >>> 16]!;
    const im = sigma * table[bits & 0xffff]!;
    image[p] = scale * Math.sqrt(re * re + im * im);
  }
}
