/** Ranges of on-the-fly 2D augmentation; each continuous factor is drawn uniformly in ±range. */
export interface AugmentationRanges {
  /** Relative zoom range: the zoom is drawn in [1 − scale, 1 + scale] (0.2 = ±20 %). */
  readonly scale: number;
  /** Rotation range in degrees (drawn in ±rotation). */
  readonly rotation: number;
  /** Shift range as a fraction of the image size, per axis (0.2 = ±20 %). */
  readonly shift: number;
  /** Flip left–right with probability 1/2. */
  readonly flipHorizontal: boolean;
  /** Flip up–down with probability 1/2. */
  readonly flipVertical: boolean;
}

/**
 * The papers' augmentation ranges: `combReg` — random scaling ±20 %, rotation ±20°, shifting ±20 %,
 * flipping in both directions (CombReg); `mtmd` — rotation ±22.5°, shifting ±10 %, flipping in both
 * directions (MTMD); `dslContrastive` — rotation ±45°, translation ±25 %, random flips (DSL +
 * contrastive); `none` — the identity.
 */
export const AUGMENTATION_PRESETS = {
  combReg: { scale: 0.2, rotation: 20, shift: 0.2, flipHorizontal: true, flipVertical: true },
  mtmd: { scale: 0, rotation: 22.5, shift: 0.1, flipHorizontal: true, flipVertical: true },
  dslContrastive: { scale: 0, rotation: 45, shift: 0.25, flipHorizontal: true, flipVertical: true },
  none: { scale: 0, rotation: 0, shift: 0, flipHorizontal: false, flipVertical: false },
} as const satisfies Record<string, AugmentationRanges>;

/** Name of a preset in {@link AUGMENTATION_PRESETS}. */
export type AugmentationPreset = keyof typeof AUGMENTATION_PRESETS;
