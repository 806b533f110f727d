import type { Connectivity3D } from '@pedseg/volume';
import { PostprocessOptionError } from './errors.js';

/** Returns the connectivity, 26 when undefined; throws on anything but 6, 18 or 26. */
export function checkConnectivity(connectivity: number | undefined, argument = 'connectivity'): Connectivity3D {
  if (connectivity === undefined) return 26;
  if (connectivity === 6 || connectivity === 18 || connectivity === 26) return connectivity;
  throw new PostprocessOptionError(`${argument}: must be 6, 18 or 26, got ${String(connectivity)}`);
}

/** Throws unless `value` is an integer ≥ `min`. */
export function checkInteger(value: number, argument: string, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new PostprocessOptionError(`${argument}: must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throws unless `labels` is a list of positive integers; returns it as a set (or null for "all"). */
export function checkLabelSelection(labels: readonly number[] | undefined, argument = 'labels'): ReadonlySet<number> | null {
  if (labels === undefined) return null;
  for (const l of labels) {
    if (!(Number.isInteger(l) && l > 0)) {
      throw new PostprocessOptionError(`${argument}: labels must be positive integers, got ${String(l)}`);
    }
  }
  return new Set(labels);
}
