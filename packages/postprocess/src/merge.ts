import { createVolume } from '@pedseg/volume';
import type { Volume } from '@pedseg/volume';
import { PostprocessOptionError, ProbabilityValueError, VolumeMismatchError } from './errors.js';
import { labelArrayFor } from './label-array.js';

/** Options of {@link mergeIndividualProbabilities}. */
export interface MergeOptions {
  /** A voxel belongs to a bone when its probability is ≥ this (default 0.5, as MONAI's `AsDiscrete`). */
  readonly threshold?: number;
}

/**
 * Merges the per-bone binary probability maps of the "individual" strategy (one network per bone)
 * into one label map: map `i` becomes label `i + 1`. A voxel above threshold in several maps takes the
 * most confident bone; exact ties go to the smallest label.
 *
 * @param maps - One probability volume per bone, all on the same grid; never mutated.
 * @returns A label map (Uint8Array up to 255 bones) with the geometry of `maps[0]`.
 * @throws {@link VolumeMismatchError} if the shapes differ; {@link ProbabilityValueError} on NaN or
 *   ±Infinity; {@link PostprocessOptionError} if `maps` is empty or the threshold is not finite.
 */
export function mergeIndividualProbabilities(maps: readonly Volume[], options: MergeOptions = {}): Volume {
  const threshold = options.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) {
    throw new PostprocessOptionError(`options.threshold: must be finite, got ${String(threshold)}`);
  }
  if (maps.length === 0) throw new PostprocessOptionError('maps: at least one probability map is needed');
  const first = maps[0]!;
  const n = first.data.length;
  maps.forEach((m, b) => {
    if (m.shape.some((s, a) => s !== first.shape[a])) {
      throw new VolumeMismatchError(`maps[${b}]: shape [${m.shape.join(', ')}] differs from maps[0] [${first.shape.join(', ')}]`);
    }
    const d = m.data;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(d[i]!)) {
        throw new ProbabilityValueError(`maps[${b}]: voxel ${i} holds ${String(d[i])}; probabilities must be finite`);
      }
    }
  });
  const out = labelArrayFor(maps.length, n);
  const best = new Float64Array(n).fill(-Infinity);
  maps.forEach((m, b) => {
    const d = m.data;
    for (let i = 0; i < n; i++) {
      const p = d[i]!;
      if (p >= threshold && p > best[i]!) {
        best[i] = p;
        out[i] = b + 1;
      }
    }
  });
  return createVolume(out, first.shape, { spacing: first.spacing, affine: first.affine });
}
