import { InvalidMetricOptionError } from '../errors.js';
import { labelKey, labelMembers, memberTest } from '../labels.js';
import { overlapScores } from '../overlap/overlap-scores.js';
import type { LabelImage, LabelSelector } from '../types.js';
import { assertSameGrid } from '../validate.js';

/** Axis across which 2D slices are cut: 0 = x, 1 = y, 2 = z (slices of constant z are axial for RAS data). */
export type SliceAxis = 0 | 1 | 2;

/** Which slices are scored for a structure. */
export type SliceSelection = 'reference' | 'either' | 'all';

/** Options of {@link sliceScores}. */
export interface SliceScoreOptions {
  /** Axis across which slices are cut; default 2 (z). */
  readonly axis?: SliceAxis;
  /** Structures; default every non-zero value present in the reference, ascending. */
  readonly labels?: readonly LabelSelector[];
  /**
   * Which slices count: `'reference'` (default; slices where the reference contains the structure, as the
   * papers' slice-wise Wilcoxon tests use), `'either'` (reference or prediction), `'all'`.
   */
  readonly include?: SliceSelection;
}

/** 2D scores of one slice. */
export interface SliceScore {
  /** Slice index along the axis. */
  readonly slice: number;
  /** Dice of the slice (1 when both masks are empty in it). */
  readonly dice: number;
  /** Sensitivity of the slice (empty-mask policy of the 3D scores). */
  readonly sensitivity: number;
  /** Specificity of the slice, over the slice's voxels. */
  readonly specificity: number;
}

/**
 * Slice-wise Dice, sensitivity and specificity per structure, for the paired statistical tests the
 * papers run on 2D slices (Wilcoxon signed-rank on slices containing the structure).
 *
 * @param reference - Reference labels.
 * @param prediction - Predicted labels on the same grid.
 * @param options - Axis, structures, slice selection.
 * @returns Per structure key, the scores of the selected slices in ascending slice order.
 */
export function sliceScores(reference: LabelImage, prediction: LabelImage, options: SliceScoreOptions = {}): Record<string, SliceScore[]> {
  assertSameGrid(reference, prediction);
  const axis = options.axis ?? 2;
  if (axis !== 0 && axis !== 1 && axis !== 2) throw new InvalidMetricOptionError(`axis: ${String(axis)} must be 0, 1 or 2`);
  const include = options.include ?? 'reference';
  if (include !== 'reference' && include !== 'either' && include !== 'all') {
    throw new InvalidMetricOptionError(`include: '${String(include)}' must be 'reference', 'either' or 'all'`);
  }
  const [nx, ny, nz] = reference.shape;
  const slices = reference.shape[axis];
  const perSlice = (nx * ny * nz) / Math.max(slices, 1);
  let selectors = options.labels;
  if (selectors === undefined) {
    const present = new Set<number>();
    for (let i = 0; i < reference.data.length; i++) if (reference.data[i] !== 0) present.add(reference.data[i]!);
    selectors = [...present].sort((a, b) => a - b);
  }
  const out: Record<string, SliceScore[]> = {};
  for (const selector of selectors) {
    const members = labelMembers(selector);
    const member = memberTest(members);
    const tp = new Float64Array(slices);
    const ref = new Float64Array(slices);
    const pred = new Float64Array(slices);
    let i = 0;
    for (let z = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++, i++) {
          const r = member(reference.data[i]!);
          const p = member(prediction.data[i]!);
          if (!r && !p) continue;
          const s = axis === 0 ? x : axis === 1 ? y : z;
          if (r) ref[s]!++;
          if (p) pred[s]!++;
          if (r && p) tp[s]!++;
        }
      }
    }
    const scores: SliceScore[] = [];
    for (let s = 0; s < slices; s++) {
      if (include === 'reference' && ref[s] === 0) continue;
      if (include === 'either' && ref[s] === 0 && pred[s] === 0) continue;
      const t = tp[s]!;
      const o = overlapScores({ truePositives: t, falsePositives: pred[s]! - t, falseNegatives: ref[s]! - t, trueNegatives: perSlice - ref[s]! - pred[s]! + t });
      scores.push({ slice: s, dice: o.dice, sensitivity: o.sensitivity, specificity: o.specificity });
    }
    out[labelKey(members)] = scores;
  }
  return out;
}
