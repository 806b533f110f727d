import { TrainConfigError } from './errors.js';

/** The papers whose training schedules are tabulated in {@link TRAINING_PRESETS}. */
export type PresetPaper = 'combined-regularization' | 'spar' | 'multi-task-multi-domain' | 'dsl-contrastive';

/** What a preset trains. */
export type PresetRole = 'auto-encoder' | 'segmentation';

/** One row of the papers' training schedules: Adam on 2D slices with a constant learning rate. */
export interface TrainingPreset {
  /** Key of the preset in {@link TRAINING_PRESETS}. */
  readonly id: string;
  /** Source paper. */
  readonly paper: PresetPaper;
  /** Backbone or network the row applies to. */
  readonly network: string;
  /** Auto-encoder pre-training on label maps, or segmentation (with the discriminator alternating, when any). */
  readonly role: PresetRole;
  /** Adam's (initial) learning rate. */
  readonly learningRate: number;
  /** Batch size (2D slices). */
  readonly batchSize: number;
  /** Number of epochs. */
  readonly epochs: number;
  /** Regularization weights reported optimal for this row (names as in `@pedseg/losses`). */
  readonly lambdas: Readonly<Record<string, number>>;
  /** Where the numbers are printed. */
  readonly source: string;
  /** Caveats (values the paper does not state and the choice made here). */
  readonly note?: string;
}

const DISCRIMINATOR_NOTE =
  "The paper does not state the discriminator's own learning rate; the network's rate is used for both optimizers.";

function preset(p: TrainingPreset): TrainingPreset {
  return p;
}

/**
 * The papers' training schedules (Adam, constant learning rate, 2D slices), by paper and backbone.
 *
 * - combined-regularization (000), Section 3.3 "Implementation details": auto-encoder Adam 1e-2, batch
 *   32, 10 epochs; segmentation network and conditional discriminator alternately, one step each per
 *   batch: Att-UNet 1e-3 / 32 / 20, VGG-UNet 1e-4 / 32 / 10, Dense-UNet and Res-UNet 1e-4 / 16 / 10;
 *   λ1 = 0.1 (shape priors), λ2 = 0.01 (adversarial) for every backbone.
 * - SPAR (001), Section 3.2: auto-encoder Adam 1e-2; UNet and shape-code discriminator alternately,
 *   Adam 1e-4, λ = 1e-2; all networks 10 epochs, batch 32.
 * - multi-task multi-domain (002), Section 3.3 and Table 1: auto-encoder 24 / 8 / 1e-4; Att-UNet and
 *   Inception-UNet 18 / 6 / 5e-4; Dense-UNet 12 / 4 / 1e-4; Efficient-UNet 12 / 4 / 5e-4 (batch / epochs /
 *   learning rate); τ = 0.1, λ1 = 0.05 (auto-encoder MSC), λ3 = 0.1 (MJAP), λ2 = 0.5 (MSC) for Att-UNet and
 *   Inception-UNet, 0.05 for Dense-UNet and Efficient-UNet; single-scale contrastive weight 0.1. Shared and
 *   DSL batches are split equally between domains.
 * - DSL + contrastive (003), Section 3.2: UNet, 30 epochs, batch 32, Adam 1e-4, τ = 0.1, λ = 0.1.
 */
export const TRAINING_PRESETS = {
  'combreg/auto-encoder': preset({
    id: 'combreg/auto-encoder', paper: 'combined-regularization', network: 'shape auto-encoder', role: 'auto-encoder',
    learningRate: 1e-2, batchSize: 32, epochs: 10, lambdas: {}, source: '000 (combined regularization), Section 3.3',
  }),
  'combreg/att-unet': preset({
    id: 'combreg/att-unet', paper: 'combined-regularization', network: 'Att-UNet', role: 'segmentation',
    learningRate: 1e-3, batchSize: 32, epochs: 20, lambdas: { lambda1: 0.1, lambda2: 0.01 },
    source: '000 (combined regularization), Section 3.3', note: DISCRIMINATOR_NOTE,
  }),
  'combreg/vgg-unet': preset({
    id: 'combreg/vgg-unet', paper: 'combined-regularization', network: 'VGG-UNet', role: 'segmentation',
    learningRate: 1e-4, batchSize: 32, epochs: 10, lambdas: { lambda1: 0.1, lambda2: 0.01 },
    source: '000 (combined regularization), Section 3.3', note: DISCRIMINATOR_NOTE,
  }),
  'combreg/dense-unet': preset({
    id: 'combreg/dense-unet', paper: 'combined-regularization', network: 'Dense-UNet', role: 'segmentation',
    learningRate: 1e-4, batchSize: 16, epochs: 10, lambdas: { lambda1: 0.1, lambda2: 0.01 },
    source: '000 (combined regularization), Section 3.3', note: DISCRIMINATOR_NOTE,
  }),
  'combreg/res-unet': preset({
    id: 'combreg/res-unet', paper: 'combined-regularization', network: 'Res-UNet', role: 'segmentation',
    learningRate: 1e-4, batchSize: 16, epochs: 10, lambdas: { lambda1: 0.1, lambda2: 0.01 },
    source: '000 (combined regularization), Section 3.3', note: DISCRIMINATOR_NOTE,
  }),
  'spar/auto-encoder': preset({
    id: 'spar/auto-encoder', paper: 'spar', network: 'shape auto-encoder', role: 'auto-encoder',
    learningRate: 1e-2, batchSize: 32, epochs: 10, lambdas: {}, source: '001 (SPAR), Section 3.2',
    note: 'Batch size and epochs from "all networks were trained ... for 10 epochs with a batch size of 32".',
  }),
  'spar/unet': preset({
    id: 'spar/unet', paper: 'spar', network: 'UNet', role: 'segmentation',
    learningRate: 1e-4, batchSize: 32, epochs: 10, lambdas: { lambda: 0.01 }, source: '001 (SPAR), Section 3.2',
    note: 'The UNet and the shape-code discriminator use the same Adam learning rate, alternating at each batch.',
  }),
  'mtmd/auto-encoder': preset({
    id: 'mtmd/auto-encoder', paper: 'multi-task-multi-domain', network: 'multi-joint auto-encoder', role: 'auto-encoder',
    learningRate: 1e-4, batchSize: 24, epochs: 8, lambdas: { lambda1: 0.05, temperature: 0.1 },
    source: '002 (multi-task multi-domain), Section 3.3, Table 1',
  }),
  'mtmd/att-unet': preset({
    id: 'mtmd/att-unet', paper: 'multi-task-multi-domain', network: 'Att-UNet', role: 'segmentation',
    learningRate: 5e-4, batchSize: 18, epochs: 6, lambdas: { lambda2: 0.5, lambda3: 0.1, ssc: 0.1, temperature: 0.1 },
    source: '002 (multi-task multi-domain), Section 3.3, Table 1',
  }),
  'mtmd/inception-unet': preset({
    id: 'mtmd/inception-unet', paper: 'multi-task-multi-domain', network: 'Inception-UNet', role: 'segmentation',
    learningRate: 5e-4, batchSize: 18, epochs: 6, lambdas: { lambda2: 0.5, lambda3: 0.1, ssc: 0.1, temperature: 0.1 },
    source: '002 (multi-task multi-domain), Section 3.3, Table 1',
  }),
  'mtmd/dense-unet': preset({
    id: 'mtmd/dense-unet', paper: 'multi-task-multi-domain', network: 'Dense-UNet', role: 'segmentation',
    learningRate: 1e-4, batchSize: 12, epochs: 4, lambdas: { lambda2: 0.05, lambda3: 0.1, ssc: 0.1, temperature: 0.1 },
    source: '002 (multi-task multi-domain), Section 3.3, Table 1',
  }),
  'mtmd/efficient-unet': preset({
    id: 'mtmd/efficient-unet', paper: 'multi-task-multi-domain', network: 'Efficient-UNet', role: 'segmentation',
    learningRate: 5e-4, batchSize: 12, epochs: 4, lambdas: { lambda2: 0.05, lambda3: 0.1, ssc: 0.1, temperature: 0.1 },
    source: '002 (multi-task multi-domain), Section 3.3, Table 1',
  }),
  'dsl-contrastive/unet': preset({
    id: 'dsl-contrastive/unet', paper: 'dsl-contrastive', network: 'UNet', role: 'segmentation',
    learningRate: 1e-4, batchSize: 32, epochs: 30, lambdas: { lambda: 0.1, temperature: 0.1 },
    source: '003 (DSL + contrastive), Section 3.2',
  }),
} as const satisfies Record<string, TrainingPreset>;

/** A key of {@link TRAINING_PRESETS}. */
export type TrainingPresetId = keyof typeof TRAINING_PRESETS;

/**
 * Looks a preset up by id.
 * @throws {@link TrainConfigError} for an unknown id (the message lists the known ones).
 */
export function trainingPreset(id: string): TrainingPreset {
  const p = (TRAINING_PRESETS as Record<string, TrainingPreset>)[id];
  if (p === undefined) {
    throw new TrainConfigError(`trainingPreset: unknown preset '${id}' (known: ${Object.keys(TRAINING_PRESETS).join(', ')})`);
  }
  return p;
}

/** Batches per epoch for a dataset of `samples` 2D slices (the last, partial batch counts). */
export function stepsPerEpoch(samples: number, batchSize: number): number {
  if (!Number.isInteger(samples) || samples < 1) throw new TrainConfigError(`stepsPerEpoch: samples must be a positive integer, got ${samples}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TrainConfigError(`stepsPerEpoch: batchSize must be a positive integer, got ${batchSize}`);
  return Math.ceil(samples / batchSize);
}
