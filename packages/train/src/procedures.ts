import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  binaryCrossEntropy,
  categoricalCrossEntropy,
  combinedRegularizationObjective,
  conditionalDiscriminatorLoss,
  multiJointAutoEncoderLoss,
  multiTaskObjective,
  sparDiscriminatorLoss,
  sparObjective,
} from '@pedseg/losses';
import type { CodeReduction, DomainAwareModel, DomainIndices, FrozenModel, MultiScaleContrastiveOptions } from '@pedseg/losses';
import type { AlternatingStep, TermValues, Trainer } from './engine/trainer.js';
import { TrainConfigError } from './errors.js';
import { conditional, frozen, single } from './procedure_helpers.js';

/**
 * The multi-scale contrastive term of a multi-joint auto-encoder's pre-training (paper 002, Eq. 6):
 * L_AE = CE + λ1 · MSC, the MSC applied to the auto-encoder's shared representations z̃_s1 … z̃_s9 with
 * the joints as labels.
 */
export interface AutoEncoderContrastiveOptions {
  /**
   * The auto-encoder's `fullModel` (`@pedseg/models`' `ShapeAutoEncoder`): `[mask, domain]` →
   * `[reconstruction, ...embeddings]`, sharing the trained auto-encoder's layers. Every embedding output
   * is one scale of the MSC (2·depth + 1 scales: encoder levels, code, decoder levels — the paper's 9 for depth 4).
   */
  fullModel: LayersModel;
  /** |C_k| per joint, background included: the reconstruction CE is then the multi-task CE (Eq. 1). */
  classCounts: readonly number[];
  /** Weight λ1 ≥ 0 of the MSC term. Default 0.05 (paper 002, §3.3); 0 still computes and logs it. */
  lambda1?: number;
  /** Options of the MSC term (τ = 0.1 for every scale, global average pooling, mean over scales by default). */
  options?: MultiScaleContrastiveOptions;
}

/** Options of {@link autoEncoderStep}. */
export interface AutoEncoderStepOptions {
  /** Label maps (one-hot, or one binary channel), float32 `[batch, H, W, C]`; input and target. */
  masks: Tensor;
  /** `'categorical'` (softmax output, multi-class; default) or `'binary'` (sigmoid, individual / global). */
  crossEntropy?: 'categorical' | 'binary';
  /**
   * Per-sample domain indices `[batch]` (int32) for a multi-joint auto-encoder (inputs `[mask, domain]`,
   * masks padded to max |C_k| channels, as `@pedseg/models`' `buildMultiJointAutoEncoder`).
   */
  domains?: Tensor;
  /** Multi-joint auto-encoder only (needs `domains`): the multi-scale contrastive term of L_AE. */
  contrastive?: AutoEncoderContrastiveOptions;
}

/** Throws unless every trainable weight of `fullModel` is one of `model`'s (the step updates `model`'s only). */
function checkSharedWeights(model: LayersModel, fullModel: LayersModel, network: string): void {
  const own = new Set(model.trainableWeights.map((w) => w.read().id));
  const foreign = fullModel.trainableWeights.find((w) => !own.has(w.read().id));
  if (foreign !== undefined) {
    throw new TrainConfigError(`autoEncoderStep: contrastive.fullModel weight '${foreign.name}' is not a weight of auto-encoder '${network}' (pass the fullModel of the same auto-encoder)`);
  }
}

/**
 * One pre-training step of a shape auto-encoder on label maps (combined-regularization paper §2.2, SPAR
 * §2.2): reconstruct the masks and minimize the cross-entropy to them. Afterwards its encoder is used
 * frozen as F in the shape-priors, SPAR and anatomical-priors terms.
 *
 * With `contrastive` (a multi-joint auto-encoder, paper 002 §2.3) the step minimizes Eq. 6,
 * L_AE = CE + λ1 · MSC: one training-mode pass of `fullModel` gives the reconstruction and the
 * multi-scale embeddings, the CE is the multi-task CE over each joint's labels, and the MSC pulls each
 * joint's embeddings together and the joints apart at every scale (`@pedseg/losses`'
 * `multiJointAutoEncoderLoss`).
 *
 * @param network - name of the auto-encoder in the trainer (its `model` maps masks → reconstruction).
 * @returns `{ total, crossEntropy }`, plus `contrastive` (the unweighted MSC) with `options.contrastive`.
 * @throws {@link TrainConfigError} for `contrastive` without `domains`, or a `fullModel` with weights
 *   outside the auto-encoder.
 */
export function autoEncoderStep(trainer: Trainer, network: string, options: AutoEncoderStepOptions): TermValues {
  const model = trainer.model(network);
  const contrastive = options.contrastive;
  if (contrastive !== undefined) {
    if (options.domains === undefined) throw new TrainConfigError('autoEncoderStep: contrastive (MSC) needs options.domains, the joint of every mask');
    checkSharedWeights(model, contrastive.fullModel, network);
    if (contrastive.fullModel.outputs.length < 2) {
      throw new TrainConfigError(`autoEncoderStep: contrastive.fullModel must output [reconstruction, ...embeddings], got ${contrastive.fullModel.outputs.length} output(s)`);
    }
    const domains = options.domains;
    return trainer.step(network, () => {
      const outs = contrastive.fullModel.apply([options.masks, domains], { training: true }) as Tensor[];
      const t = multiJointAutoEncoderLoss(options.masks, outs[0] as Tensor, domains as Tensor1D, {
        classCounts: contrastive.classCounts,
        features: outs.slice(1),
        lambda1: contrastive.lambda1 ?? 0.05,
        ...(contrastive.options !== undefined ? { contrastive: contrastive.options } : {}),
      });
      return { total: t.total, crossEntropy: t.crossEntropy, contrastive: t.contrastive };
    });
  }
  return trainer.step(network, () => {
    const input = options.domains !== undefined ? [options.masks, options.domains] : options.masks;
    const recon = single(model.apply(input, { training: true }) as Tensor | Tensor[], `auto-encoder '${network}'`);
    const crossEntropy =
      (options.crossEntropy ?? 'categorical') === 'binary' ? binaryCrossEntropy(options.masks, recon) : categoricalCrossEntropy(options.masks, recon);
    return { total: crossEntropy, crossEntropy };
  });
}

/** Options of {@link combinedRegularizationSteps}. */
export interface CombinedRegularizationStepOptions {
  /** Name of the segmentation network S in the trainer (`model`: image → probabilities). */
  network: string;
  /** Name of the conditional discriminator D in the trainer (inputs `[mask, image]`, or one input: mask ⊕ image on the channel axis). */
  discriminator?: string;
  /** The frozen shape encoder F (pre-trained auto-encoder's encoder), needed when λ1 > 0. */
  encoder?: FrozenModel;
  /** Images x `[batch, H, W, channels]`. */
  image: Tensor;
  /** Ground truth y (one-hot, or one binary channel), float32. */
  labels: Tensor;
  /** Weight of the shape-priors term. Default 0.1 (paper). */
  lambda1?: number;
  /** Weight of the adversarial term. Default 0.01 (paper). */
  lambda2?: number;
  /** Reduction of the shape-priors code distance: `'sum'` (default, paper Eq. 6) or `'mean'` over code elements. */
  codeDistance?: CodeReduction;
  /** `'categorical'` (multi strategy; default) or `'binary'` (individual / global). */
  crossEntropy?: 'categorical' | 'binary';
}

/**
 * One batch of the combined-regularization procedure (paper 000, §2.4 and §3.3): when a discriminator
 * is given and λ2 > 0, one discriminator step on real (y, x) and fake (S(x), x) pairs — S runs in
 * inference mode, so its batch-norm statistics do not move — then one segmentation step on
 * l_CE + λ1·l_shape + λ2·l_adv with F and D frozen. Each step updates only its own network.
 * λ1 = 0 and/or λ2 = 0 give the paper's ablations (baseline, shape priors only, adversarial only).
 *
 * @returns `discriminator.total` (when run), `segmentation.total`, `.crossEntropy`, `.shapePriors`,
 *   `.adversarial` — prefixed with the networks' names.
 */
export function combinedRegularizationSteps(trainer: Trainer, options: CombinedRegularizationStepOptions): TermValues {
  const { network, discriminator, encoder, image, labels, lambda1 = 0.1, lambda2 = 0.01 } = options;
  const S = trainer.model(network);
  const D: LayersModel | undefined = discriminator !== undefined ? trainer.model(discriminator) : undefined;
  const steps: AlternatingStep[] = [];
  if (D !== undefined && discriminator !== undefined && lambda2 > 0) {
    steps.push({
      network: discriminator,
      loss: () => {
        const fake = single(S.apply(image, { training: false }) as Tensor | Tensor[], `network '${network}'`);
        const realOut = conditional(D, labels, image);
        const fakeOut = conditional(D, fake, image);
        return { total: conditionalDiscriminatorLoss(realOut, fakeOut) };
      },
    });
  }
  steps.push({
    network,
    loss: () => {
      const pred = single(S.apply(image, { training: true }) as Tensor | Tensor[], `network '${network}'`);
      const t = combinedRegularizationObjective(labels, pred, {
        crossEntropy: options.crossEntropy ?? 'categorical',
        lambda1: encoder !== undefined ? lambda1 : 0,
        lambda2: D !== undefined ? lambda2 : 0,
        codeDistance: options.codeDistance ?? 'sum',
        ...(encoder !== undefined ? { encoder } : {}),
        ...(D !== undefined ? { discriminator: D, image } : {}),
      });
      return { total: t.total, crossEntropy: t.crossEntropy, shapePriors: t.shapePriors, adversarial: t.adversarial };
    },
  });
  return trainer.alternate(steps);
}

/** Options of {@link sparSteps}. */
export interface SparStepOptions {
  /** Name of the segmentation network S in the trainer. */
  network: string;
  /** Name of the shape-code discriminator D in the trainer (input: shape codes F(mask)). */
  discriminator: string;
  /** The frozen shape encoder F. */
  encoder: FrozenModel;
  /** Images x. */
  image: Tensor;
  /** One-hot ground truth y, float32. */
  labels: Tensor;
  /** Weight λ of the SPAR term. Default 0.01 (paper). */
  lambda?: number;
  /** `'categorical'` (softmax output; default) or `'binary'` (sigmoid channels: global / individual strategies). */
  crossEntropy?: 'categorical' | 'binary';
}

/**
 * One batch of the SPAR procedure (paper 001, §2.3): one step of the shape-code discriminator on real
 * codes F(y) and fake codes F(S(x)) (S in inference mode, F frozen), then one segmentation step on
 * l_CE + λ·(−log D(F(ŷ))) with F and D frozen.
 *
 * @returns `discriminator.total`, `segmentation.total`, `.crossEntropy`, `.spar` (prefixed with the names).
 */
export function sparSteps(trainer: Trainer, options: SparStepOptions): TermValues {
  const { network, discriminator, encoder, image, labels, lambda = 0.01 } = options;
  const S = trainer.model(network);
  const D = trainer.model(discriminator);
  return trainer.alternate([
    {
      network: discriminator,
      loss: () => {
        const fake = single(S.apply(image, { training: false }) as Tensor | Tensor[], `network '${network}'`);
        const realOut = single(D.apply(frozen(encoder, labels), { training: true }) as Tensor | Tensor[], 'the discriminator');
        const fakeOut = single(D.apply(frozen(encoder, fake), { training: true }) as Tensor | Tensor[], 'the discriminator');
        return { total: sparDiscriminatorLoss(realOut, fakeOut) };
      },
    },
    {
      network,
      loss: () => {
        const pred = single(S.apply(image, { training: true }) as Tensor | Tensor[], `network '${network}'`);
        const t = sparObjective(labels, pred, { encoder, discriminator: D, lambda, crossEntropy: options.crossEntropy ?? 'categorical' });
        return { total: t.total, crossEntropy: t.crossEntropy, spar: t.spar };
      },
    },
  ]);
}

/** What a multi-task forward pass returns: the segmentation and (for MSC) the embeddings per scale. */
export interface MultiTaskForward {
  /** Probabilities `[batch, H, W, maxClasses]` (padding classes 0). */
  segmentation: Tensor;
  /** Feature maps at each scale used by the (multi-scale) contrastive term; one map = single-scale. */
  embeddings?: Tensor[];
}

/** Options of {@link multiTaskStep}. */
export interface MultiTaskStepOptions {
  /** Name of the segmentation network in the trainer (its weights are the ones updated). */
  network: string;
  /**
   * Runs the network in training mode on the batch, e.g. with `@pedseg/models`:
   * `() => { const o = net.splitOutputs(net.fullModel.apply([x, d], { training: true })); return { segmentation: o.segmentation, embeddings: o.embeddings }; }`.
   */
  forward: () => MultiTaskForward;
  /** Ground truth `[batch, H, W, maxClasses]`, float32. */
  labels: Tensor;
  /** Domain index of every sample (balanced batches: equal counts per domain). */
  domains: DomainIndices;
  /** |C_k| per domain, background included. */
  classCounts: number[];
  /** Weight λ2 of the (multi-scale) contrastive term; 0 disables it. */
  lambda2: number;
  /** Weight λ3 of the multi-joint anatomical priors. Default 0.1 when `encoder` is given, else 0. */
  lambda3?: number;
  /** The frozen multi-joint anatomical encoder (pre-trained multi-joint auto-encoder's encoder). */
  encoder?: DomainAwareModel;
  /** Reduction of MJAP's code distance: `'sum'` (default, paper 002 Eq. 7) or `'mean'` over code elements. */
  codeDistance?: CodeReduction;
  /** Options of the contrastive term (temperature 0.1 by default). */
  contrastive?: MultiScaleContrastiveOptions;
}

/**
 * One step of the multi-task, multi-domain procedure (paper 002 Eq. 8; paper 003 with one scale):
 * CE over each domain's label set + λ2 · (multi-scale) contrastive + λ3 · MJAP.
 *
 * @returns `{ total, crossEntropy, contrastive, anatomicalPriors }`.
 */
export function multiTaskStep(trainer: Trainer, options: MultiTaskStepOptions): TermValues {
  const lambda3 = options.lambda3 ?? (options.encoder !== undefined ? 0.1 : 0);
  return trainer.step(options.network, () => {
    const out = options.forward();
    const t = multiTaskObjective(options.labels, out.segmentation, options.domains, {
      classCounts: options.classCounts,
      lambda2: options.lambda2,
      lambda3,
      ...(options.lambda2 > 0 && out.embeddings !== undefined ? { features: out.embeddings } : {}),
      ...(options.encoder !== undefined && lambda3 > 0 ? { encoder: options.encoder } : {}),
      ...(options.contrastive !== undefined ? { contrastive: options.contrastive } : {}),
      codeDistance: options.codeDistance ?? 'sum',
    });
    return { total: t.total, crossEntropy: t.crossEntropy, contrastive: t.contrastive, anatomicalPriors: t.anatomicalPriors };
  });
}

