import { add, slice, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { combinedRegularizationObjective, conditionalDiscriminatorLoss, sparDiscriminatorLoss, sparObjective } from '@pedseg/losses';
import type { CodeReduction, FrozenModel } from '@pedseg/losses';
import type { LossTerms, TermValues, Trainer } from './engine/trainer.js';
import { TrainConfigError } from './errors.js';
import { conditional, frozen, single } from './procedure_helpers.js';

/** The regularizer networks of one member (one bone) of the `individual` strategy. */
export interface IndividualMember {
  /**
   * Name in the trainer of this member's own discriminator: a conditional discriminator on
   * `[mask (1 channel), image]` for combined regularization, a shape-code discriminator on this
   * member's codes for SPAR.
   */
  discriminator?: string;
  /** This member's own frozen shape encoder F_c (the encoder of an auto-encoder trained on this bone's masks). */
  encoder?: FrozenModel;
}

/** Options of {@link individualRegularizationSteps}. */
export interface IndividualRegularizationStepOptions {
  /** Name of the segmentation network in the trainer: images → `[batch, H, W, C]` sigmoid maps, channel c = member c. */
  network: string;
  /** The regularizers of every member, in channel order (C entries). */
  members: readonly IndividualMember[];
  /** Images x `[batch, H, W, channels]`. */
  image: Tensor;
  /** Binary ground truth `[batch, H, W, C]`, channel c = bone c. */
  labels: Tensor;
  /** `'combined-regularization'` (default; CE + λ1·shape + λ2·adversarial) or `'spar'` (CE + λ·SPAR). */
  procedure?: 'combined-regularization' | 'spar';
  /** Shape-priors weight. Default 0.1 (paper 000). */
  lambda1?: number;
  /** Adversarial weight. Default 0.01 (paper 000). */
  lambda2?: number;
  /** SPAR weight. Default 0.01 (paper 001). */
  lambda?: number;
  /** Reduction of each member's shape-priors code distance: `'sum'` (default, paper 000 Eq. 6) or `'mean'`. */
  codeDistance?: CodeReduction;
}

function channel(t: Tensor, c: number): Tensor {
  return slice(t, [0, 0, 0, c], [-1, -1, -1, 1]);
}

function validate(options: IndividualRegularizationStepOptions, spar: boolean, lambda1: number, lambda2: number): void {
  const C = options.labels.shape[3];
  if (options.labels.rank !== 4 || C !== options.members.length) {
    throw new TrainConfigError(`individualRegularizationSteps: labels [${options.labels.shape.join(', ')}] must be [batch, H, W, C] with C = ${options.members.length} members`);
  }
  options.members.forEach((m, c) => {
    if ((spar || lambda1 > 0) && m.encoder === undefined) {
      throw new TrainConfigError(`individualRegularizationSteps: member ${c} has no shape encoder (needed by ${spar ? 'SPAR' : 'λ1 > 0'})`);
    }
    if (spar && m.discriminator === undefined) throw new TrainConfigError(`individualRegularizationSteps: member ${c} has no shape-code discriminator (SPAR)`);
    if (!spar && lambda2 > 0 && m.discriminator === undefined) {
      throw new TrainConfigError(`individualRegularizationSteps: member ${c} has no discriminator (λ2 > 0)`);
    }
  });
  const names = options.members.flatMap((m) => (m.discriminator !== undefined ? [m.discriminator] : []));
  if (new Set(names).size !== names.length || names.includes(options.network)) {
    throw new TrainConfigError(`individualRegularizationSteps: every member needs its own discriminator, distinct from '${options.network}' (got ${names.join(', ')})`);
  }
}

/**
 * One batch of the `individual` strategy (paper 000, §3.2.1: "for each anatomical class of interest c,
 * we trained an Att-UNet, an auto-encoder and a discriminator on the individual-class binary masks"):
 * member c — channel c of the segmentation network — is regularized only by its own shape encoder F_c
 * and its own discriminator D_c, all on one-channel binary masks.
 *
 * First one step of every member's discriminator D_c, on real (y_c, x) and fake (S(x)_c, x) pairs for
 * combined regularization, or on real F_c(y_c) and fake F_c(S(x)_c) codes for SPAR (S in inference
 * mode, computed once for all members); each step updates D_c only. Then one step of the segmentation
 * network on the SUM over members of each member's own objective, BCE(y_c, ŷ_c) + λ1·l_shape(F_c) +
 * λ2·l_adv(D_c) (or BCE + λ·l_SPAR(F_c, D_c)), with every F_c and D_c frozen. The members share no
 * weight, so the sum gives each member exactly the gradient, and Adam update, it would get trained
 * alone — the paper's C separate trainings, run in lock-step on the same batches.
 *
 * @returns `<discriminator_c>.total` per member, then `<network>.total`, `.crossEntropy` and
 *   `.shapePriors` / `.adversarial` (or `.spar`), each summed over the members.
 * @throws {@link TrainConfigError} for labels that do not have one channel per member, a member missing
 *   a network its terms need, or two members sharing a discriminator.
 */
export function individualRegularizationSteps(trainer: Trainer, options: IndividualRegularizationStepOptions): TermValues {
  const { network, members, image, labels } = options;
  const spar = (options.procedure ?? 'combined-regularization') === 'spar';
  const lambda1 = options.lambda1 ?? 0.1;
  const lambda2 = options.lambda2 ?? 0.01;
  const lambda = options.lambda ?? 0.01;
  validate(options, spar, lambda1, lambda2);
  const S = trainer.model(network);
  const out: TermValues = {};
  if (spar || lambda2 > 0) {
    const fake = tidy(() => single(S.apply(image, { training: false }) as Tensor | Tensor[], `network '${network}'`));
    try {
      members.forEach((m, c) => {
        if (m.discriminator === undefined) return;
        const D = trainer.model(m.discriminator);
        const values = trainer.step(m.discriminator, () => {
          const real = channel(labels, c);
          const predicted = channel(fake, c);
          if (spar) {
            const F = m.encoder as FrozenModel;
            const realOut = single(D.apply(frozen(F, real), { training: true }) as Tensor | Tensor[], 'the discriminator');
            const fakeOut = single(D.apply(frozen(F, predicted), { training: true }) as Tensor | Tensor[], 'the discriminator');
            return { total: sparDiscriminatorLoss(realOut, fakeOut) };
          }
          return { total: conditionalDiscriminatorLoss(conditional(D, real, image), conditional(D, predicted, image)) };
        });
        for (const [term, value] of Object.entries(values)) out[`${m.discriminator}.${term}`] = value;
      });
    } finally {
      fake.dispose();
    }
  }
  const values = trainer.step(network, () => {
    const pred = single(S.apply(image, { training: true }) as Tensor | Tensor[], `network '${network}'`);
    const sums: Record<string, Scalar> = {};
    const accumulate = (terms: LossTerms): void => {
      for (const [k, v] of Object.entries(terms)) sums[k] = sums[k] === undefined ? v : (add(sums[k] as Scalar, v) as Scalar);
    };
    members.forEach((m, c) => {
      const y = channel(labels, c);
      const p = channel(pred, c);
      const D = m.discriminator !== undefined ? trainer.model(m.discriminator) : undefined;
      if (spar) {
        const t = sparObjective(y, p, { crossEntropy: 'binary', encoder: m.encoder as FrozenModel, discriminator: D as FrozenModel, lambda });
        accumulate({ total: t.total, crossEntropy: t.crossEntropy, spar: t.spar });
        return;
      }
      const t = combinedRegularizationObjective(y, p, {
        crossEntropy: 'binary',
        lambda1: m.encoder !== undefined ? lambda1 : 0,
        lambda2: D !== undefined ? lambda2 : 0,
        codeDistance: options.codeDistance ?? 'sum',
        ...(m.encoder !== undefined ? { encoder: m.encoder } : {}),
        ...(D !== undefined ? { discriminator: D, image } : {}),
      });
      accumulate({ total: t.total, crossEntropy: t.crossEntropy, shapePriors: t.shapePriors, adversarial: t.adversarial });
    });
    // validate() guarantees at least one member, so `total` exists.
    return sums as LossTerms;
  });
  for (const [term, value] of Object.entries(values)) out[`${network}.${term}`] = value;
  return out;
}
