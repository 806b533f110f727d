import type { Connectivity3D, Volume } from '@pedseg/volume';
import { keepLargestComponentPerLabel, keepLargestComponents } from './components.js';
import { LabelValueError, PostprocessOptionError } from './errors.js';
import { inventoryLabels } from './labels.js';
import { mergeIndividualProbabilities } from './merge.js';
import { ballClosing } from './morphology.js';
import { checkConnectivity, checkInteger } from './options.js';
import type { RadiusUnit } from './radius.js';

/**
 * The papers' segmentation strategies: one multi-class network (`'multi'`), one bone-vs-background
 * network (`'global'`), or one binary network per bone (`'individual'`).
 */
export type Strategy = 'multi' | 'global' | 'individual';

/** Configuration of {@link postprocessSegmentation}. */
export interface PipelineConfig {
  /** Strategy that produced the prediction. */
  readonly strategy: Strategy;
  /** Number of bones of interest C (3 in the ankle, 2 in the shoulder). */
  readonly bones: number;
  /** Radius of the final ball closing; default 2 (the 5×5×5 spherical kernel); 0 disables it. */
  readonly closingRadius?: number;
  /** Unit of `closingRadius`; default `'voxel'`. */
  readonly radiusUnit?: RadiusUnit;
  /** Connectivity of the components; default 26. */
  readonly connectivity?: Connectivity3D;
  /** `'individual'` only: probability threshold of each bone map; default 0.5. */
  readonly threshold?: number;
}

/**
 * Reproduces the papers' post-processing of a stacked 3D prediction:
 * - `'multi'`: keep the largest connected component of each bone label (1..C), then close each label;
 * - `'global'`: keep the C largest connected components of the foreground, then close;
 * - `'individual'`: merge the C per-bone probability maps (most confident bone wins), keep the largest
 *   component of each bone, then close each label.
 * The closing is the ball closing of {@link ballClosing} (border-padded, labels never overlap).
 *
 * @param input - A label map for `'multi'` and `'global'`; the C per-bone probability maps for `'individual'`.
 * @throws {@link PostprocessOptionError} on a bad configuration or an input of the wrong kind;
 *   {@link LabelValueError} if a `'multi'` label exceeds C; see also the errors of the steps.
 */
export function postprocessSegmentation(input: Volume | readonly Volume[], config: PipelineConfig): Volume {
  const bones = checkInteger(config.bones, 'config.bones', 1);
  const connectivity = checkConnectivity(config.connectivity, 'config.connectivity');
  const closing = { radius: config.closingRadius ?? 2, unit: config.radiusUnit ?? 'voxel' };
  const close = (v: Volume): Volume => (closing.radius === 0 ? v : ballClosing(v, closing));
  switch (config.strategy) {
    case 'multi': {
      const volume = single(input, 'multi');
      const present = inventoryLabels(volume, 'input').labels;
      const stray = present.find((l) => l > bones);
      if (stray !== undefined) {
        throw new LabelValueError(`input: label ${stray} found, but config.bones is ${bones}`);
      }
      return close(keepLargestComponentPerLabel(volume, { connectivity }));
    }
    case 'global':
      return close(keepLargestComponents(single(input, 'global'), bones, { connectivity }));
    case 'individual': {
      if (!Array.isArray(input)) {
        throw new PostprocessOptionError("input: the 'individual' strategy takes one probability map per bone");
      }
      const maps = input as readonly Volume[];
      if (maps.length !== bones) {
        throw new PostprocessOptionError(`input: ${maps.length} probability maps for config.bones = ${bones}`);
      }
      const merged = mergeIndividualProbabilities(maps, config.threshold === undefined ? {} : { threshold: config.threshold });
      return close(keepLargestComponentPerLabel(merged, { connectivity }));
    }
    default:
      throw new PostprocessOptionError(`config.strategy: must be 'multi', 'global' or 'individual', got ${String(config.strategy)}`);
  }
}

function single(input: Volume | readonly Volume[], strategy: Strategy): Volume {
  if (Array.isArray(input)) {
    throw new PostprocessOptionError(`input: the '${strategy}' strategy takes one label volume, not an array`);
  }
  return input as Volume;
}
