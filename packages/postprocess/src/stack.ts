import { createVolume } from '@pedseg/volume';
import type { Vec3, Volume } from '@pedseg/volume';
import { PostprocessOptionError, ProbabilityValueError, SliceStackError } from './errors.js';
import { labelArrayFor } from './label-array.js';
import { assertLabelMap } from './labels.js';
import { linearTable, nearestTable } from './resample.js';

/**
 * One 2D label map. Its two axes are the volume axes other than the slice axis, in increasing order
 * (u, v), u fastest: `data[u + nu·v]`. For slices along z that is (x, y); a tfjs `[H, W]` image maps to
 * `shape = [W, H]`.
 */
export interface LabelSlice {
  /** Labels, u fastest. */
  readonly data: ArrayLike<number>;
  /** `[nu, nv]`. */
  readonly shape: readonly [number, number];
  /** Position along the slice axis; give it for every slice or for none (then array order is used). */
  readonly index?: number;
}

/**
 * One 2D map of per-class probabilities, channels last (`data[c + C·(u + nu·v)]`, the NHWC layout of a
 * tfjs softmax output). Class 0 is background.
 */
export interface ProbabilitySlice extends LabelSlice {
  /** Number of classes C, background included. */
  readonly channels: number;
}

/** Where the slices go. */
export interface StackOptions {
  /** Volume axis the slices are perpendicular to: 0 (x), 1 (y) or 2 (z, default). */
  readonly axis?: 0 | 1 | 2;
  /**
   * Shape `[nx, ny, nz]` of the original grid: the slices are resampled in-plane onto it (they were
   * typically downsampled to 256×256 for the network) and their count must equal `grid[axis]`.
   * Default: the slices' own in-plane shape and count.
   */
  readonly grid?: Vec3;
  /** Spacing of the original grid in mm (default `[1, 1, 1]`). */
  readonly spacing?: Vec3;
  /** Affine of the original grid (default: from the spacing, as `createVolume`). */
  readonly affine?: readonly number[];
}

/**
 * Stacks 2D label maps into a 3D label volume, resampling each slice in-plane onto the original grid
 * with nearest neighbour (half-pixel centres). The result does not depend on the order of the array
 * when every slice carries its `index`.
 *
 * @returns A label map (smallest unsigned element type holding the largest label).
 * @throws {@link SliceStackError} on inconsistent slices; {@link LabelValueError} on non-label values.
 */
export function stackLabelSlices(slices: readonly LabelSlice[], options: StackOptions = {}): Volume {
  const plan = planStack(slices, options, 1);
  let maxLabel = 0;
  slices.forEach((s, i) => {
    assertLabelMap(s.data, `slices[${i}].data`);
    for (let j = 0; j < s.data.length; j++) if (s.data[j]! > maxLabel) maxLabel = s.data[j]!;
  });
  const out = labelArrayFor(maxLabel, plan.shape[0] * plan.shape[1] * plan.shape[2]);
  const [nu, nv] = plan.sliceShape;
  const tu = nearestTable(nu, plan.target[0]);
  const tv = nearestTable(nv, plan.target[1]);
  slices.forEach((s, i) => {
    const base = plan.positions[i]! * plan.strideAxis;
    for (let v = 0; v < plan.target[1]; v++) {
      const row = nu * tv[v]!;
      const o = base + v * plan.strideV;
      for (let u = 0; u < plan.target[0]; u++) out[o + u * plan.strideU] = s.data[row + tu[u]!]!;
    }
  });
  return createVolume(out, plan.shape, geometry(options));
}

/**
 * Stacks 2D per-class probability maps into a 3D label volume: each class is resampled in-plane onto
 * the original grid by bilinear interpolation (half-pixel centres, edge clamping), then the label is
 * the argmax over classes (ties to the smaller class).
 *
 * @throws {@link SliceStackError} on inconsistent slices; {@link ProbabilityValueError} on NaN/±Infinity.
 */
export function stackProbabilitySlices(slices: readonly ProbabilitySlice[], options: StackOptions = {}): Volume {
  const channels = slices[0]?.channels ?? 1;
  if (!(Number.isInteger(channels) && channels >= 1)) {
    throw new SliceStackError(`slices[0].channels: must be an integer ≥ 1, got ${String(channels)}`);
  }
  slices.forEach((s, i) => {
    if (s.channels !== channels) {
      throw new SliceStackError(`slices[${i}].channels: ${String(s.channels)} differs from slices[0] (${channels})`);
    }
    for (let j = 0; j < s.data.length; j++) {
      if (!Number.isFinite(s.data[j]!)) {
        throw new ProbabilityValueError(`slices[${i}].data[${j}] holds ${String(s.data[j])}; probabilities must be finite`);
      }
    }
  });
  const plan = planStack(slices, options, channels);
  const out = labelArrayFor(channels - 1, plan.shape[0] * plan.shape[1] * plan.shape[2]);
  const [nu, nv] = plan.sliceShape;
  const lu = linearTable(nu, plan.target[0]);
  const lv = linearTable(nv, plan.target[1]);
  slices.forEach((s, i) => {
    const d = s.data;
    const base = plan.positions[i]! * plan.strideAxis;
    for (let v = 0; v < plan.target[1]; v++) {
      const r0 = nu * lv.i0[v]!;
      const r1 = nu * lv.i1[v]!;
      const wv = lv.w[v]!;
      const o = base + v * plan.strideV;
      for (let u = 0; u < plan.target[0]; u++) {
        const a = channels * (r0 + lu.i0[u]!);
        const b = channels * (r0 + lu.i1[u]!);
        const c = channels * (r1 + lu.i0[u]!);
        const e = channels * (r1 + lu.i1[u]!);
        const wu = lu.w[u]!;
        let best = 0;
        let bestP = -Infinity;
        for (let k = 0; k < channels; k++) {
          const top = d[a + k]! + wu * (d[b + k]! - d[a + k]!);
          const bottom = d[c + k]! + wu * (d[e + k]! - d[c + k]!);
          const p = top + wv * (bottom - top);
          if (p > bestP) {
            bestP = p;
            best = k;
          }
        }
        out[o + u * plan.strideU] = best;
      }
    }
  });
  return createVolume(out, plan.shape, geometry(options));
}

interface StackPlan {
  readonly shape: Vec3;
  readonly sliceShape: readonly [number, number];
  readonly target: readonly [number, number];
  readonly positions: readonly number[];
  readonly strideU: number;
  readonly strideV: number;
  readonly strideAxis: number;
}

function planStack(slices: readonly LabelSlice[], options: StackOptions, channels: number): StackPlan {
  const axis = options.axis ?? 2;
  if (axis !== 0 && axis !== 1 && axis !== 2) {
    throw new PostprocessOptionError(`options.axis: must be 0, 1 or 2, got ${String(axis)}`);
  }
  if (slices.length === 0) throw new SliceStackError('slices: at least one slice is needed');
  const [nu, nv] = slices[0]!.shape;
  if (!(Number.isInteger(nu) && Number.isInteger(nv) && nu > 0 && nv > 0)) {
    throw new SliceStackError(`slices[0].shape: must be two positive integers, got [${slices[0]!.shape.join(', ')}]`);
  }
  slices.forEach((s, i) => {
    if (s.shape[0] !== nu || s.shape[1] !== nv) {
      throw new SliceStackError(`slices[${i}].shape: [${s.shape.join(', ')}] differs from slices[0] [${nu}, ${nv}]`);
    }
    if (s.data.length !== nu * nv * channels) {
      throw new SliceStackError(`slices[${i}].data: length ${s.data.length}, expected ${nu}×${nv}×${channels} = ${nu * nv * channels}`);
    }
  });
  const positions = slicePositions(slices);
  const [ua, va] = ([0, 1, 2] as const).filter((a) => a !== axis) as [number, number];
  let shape: Vec3;
  if (options.grid === undefined) {
    const s = [0, 0, 0];
    s[axis] = slices.length;
    s[ua] = nu;
    s[va] = nv;
    shape = [s[0]!, s[1]!, s[2]!];
  } else {
    shape = options.grid;
    if (shape.length !== 3 || shape.some((n) => !(Number.isInteger(n) && n > 0))) {
      throw new SliceStackError(`options.grid: must be three positive integers, got [${shape.join(', ')}]`);
    }
    if (shape[axis] !== slices.length) {
      throw new SliceStackError(`slices: ${slices.length} slices, but options.grid has ${shape[axis]} along axis ${axis}`);
    }
  }
  const strides = [1, shape[0], shape[0] * shape[1]];
  return {
    shape,
    sliceShape: [nu, nv],
    target: [shape[ua]!, shape[va]!],
    positions,
    strideU: strides[ua]!,
    strideV: strides[va]!,
    strideAxis: strides[axis]!,
  };
}

function slicePositions(slices: readonly LabelSlice[]): number[] {
  const withIndex = slices.filter((s) => s.index !== undefined).length;
  if (withIndex === 0) return slices.map((_, i) => i);
  if (withIndex !== slices.length) {
    throw new SliceStackError(`slices: ${withIndex} of ${slices.length} slices carry an index; give it for all or none`);
  }
  const seen = new Uint8Array(slices.length);
  return slices.map((s, i) => {
    const k = s.index!;
    if (!(Number.isInteger(k) && k >= 0 && k < slices.length) || seen[k] === 1) {
      throw new SliceStackError(`slices[${i}].index: ${String(k)} is not a free position in 0..${slices.length - 1}`);
    }
    seen[k] = 1;
    return k;
  });
}

function geometry(options: StackOptions): { spacing?: Vec3; affine?: readonly number[] } {
  const g: { spacing?: Vec3; affine?: readonly number[] } = {};
  if (options.spacing !== undefined) g.spacing = options.spacing;
  if (options.affine !== undefined) g.affine = options.affine;
  return g;
}
