import { join } from 'node:path';
import { dispose, slice } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { SliceSet } from '@pedseg/data';
import type { FrozenModel } from '@pedseg/losses';
import { buildConditionalDiscriminator, buildShapeAutoEncoder, buildShapeCodeDiscriminator } from '@pedseg/models';
import type { ShapeAutoEncoder } from '@pedseg/models';
import { recalibrateBatchNorm } from '../engine/recalibrate_batch_norm.js';
import { seedInitialWeights } from '../engine/seed_weights.js';
import { Trainer } from '../engine/trainer.js';
import type { TermValues, TrainableNetwork } from '../engine/trainer.js';
import { fit } from '../loop/fit.js';
import { autoEncoderStep } from '../procedures.js';
import type { IndividualMember } from '../procedures_individual.js';
import { mixSeed } from '../random.js';
import { batchTensors } from './batches.js';
import type { TargetEncoding } from './batches.js';
import type { ResolvedExperimentConfig } from './config.js';
import type { RunExperimentOptions } from './fold_utils.js';
import { writeAutoEncoderCurves } from './latent_figures.js';
import { NETWORK_SEED_STREAMS } from './network.js';

/** The regularizer networks of a single-domain fold. */
export interface FoldRegularizers {
  /** Discriminators to train alongside the segmentation network (trainer name → network). */
  readonly networks: Record<string, TrainableNetwork>;
  /** Every model built here (freed by the fold). */
  readonly owned: LayersModel[];
  /** `multi` / `global`: the one frozen shape encoder, when an auto-encoder was pre-trained. */
  readonly encoder?: FrozenModel;
  /** `individual`: each member's own regularizers (encoder F_c, discriminator `discriminator-s<c>`); null otherwise. */
  readonly members: IndividualMember[] | null;
  /** The pre-trained shape encoders (one, or one per member) for the latent-space figures; empty without pre-training. */
  readonly shapeEncoders: LayersModel[];
}

/** Trainer name of member c's network of a kind (`s<c>` as the members' layer prefixes in `@pedseg/models`). */
export function memberNetworkName(kind: 'autoencoder' | 'discriminator', c: number): string {
  return `${kind}-s${c}`;
}

/**
 * Every training label map once, as auto-encoder inputs of at most `batchSize` (one bone's channel when
 * `channel` is given), for {@link recalibrateBatchNorm}. Each batch is disposed when the next is drawn.
 */
function* maskBatches(train: SliceSet, encoding: TargetEncoding, batchSize: number, channel?: number): Generator<Tensor> {
  for (let start = 0; start < train.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, train.count - start) }, (_, i) => start + i);
    const { x, y } = batchTensors(train, indices, encoding);
    x.dispose();
    const masks = channel === undefined ? y : slice(y, [0, 0, 0, channel], [-1, -1, -1, 1]);
    if (masks !== y) y.dispose();
    try {
      yield masks;
    } finally {
      masks.dispose();
    }
  }
}

/**
 * Builds a fold's regularizers and pre-trains its shape auto-encoders (λ1 > 0 or SPAR) on the training
 * label maps, writing `autoencoder/` checkpoints and `autoencoder_learning_curves.svg`.
 *
 * `multi` and `global`: one auto-encoder (C + 1 softmax channels, or one sigmoid channel) and one
 * discriminator (conditional on mask ⊕ image for λ2 > 0, or SPAR's shape-code discriminator). `individual`
 * (paper 000, §3.2.1: "for each anatomical class of interest c, we trained an Att-UNet, an auto-encoder and
 * a discriminator on the individual-class binary masks"): one one-channel auto-encoder per bone, pre-trained
 * on that bone's masks only (`autoencoder-s<c>`), and one discriminator per bone on one-channel masks (or
 * on that bone's codes for SPAR), `discriminator-s<c>` — no network is shared between members.
 */
export async function buildFoldRegularizers(
  cfg: ResolvedExperimentConfig,
  fold: { dir: string; train: SliceSet; encoding: TargetEncoding; options: RunExperimentOptions; title: string },
): Promise<FoldRegularizers> {
  const { inputSize, depth, filters } = cfg.network;
  const individual = cfg.strategy === 'individual';
  const binary = cfg.strategy !== 'multi';
  const members = individual ? fold.encoding.channels : 1;
  const networks: Record<string, TrainableNetwork> = {};
  const owned: LayersModel[] = [];
  const optimizer = { learningRate: cfg.learningRate };
  // Members get their own seed streams; the shared networks keep the streams of earlier runs.
  const seed = (stream: number, c: number): number => (individual ? mixSeed(cfg.seed, stream, c) : mixSeed(cfg.seed, stream));
  const aes: ShapeAutoEncoder[] = [];
  if (cfg.lambda1 > 0 || cfg.procedure === 'spar') {
    const names: string[] = [];
    const aeNetworks: Record<string, TrainableNetwork> = {};
    for (let c = 0; c < members; c += 1) {
      const ae = buildShapeAutoEncoder({ inputSize, numChannels: binary ? 1 : fold.encoding.channels, depth, filters, ...(individual ? { name: `shape_ae_s${c}` } : {}) });
      seedInitialWeights(ae.autoEncoder, seed(NETWORK_SEED_STREAMS.autoEncoder, c));
      owned.push(ae.autoEncoder, ae.encoder, ae.decoder, ae.fullModel);
      const name = individual ? memberNetworkName('autoencoder', c) : 'autoencoder';
      aes.push(ae);
      names.push(name);
      aeNetworks[name] = { model: ae.autoEncoder, optimizer };
    }
    const aeTrainer = new Trainer(aeNetworks);
    const { train } = fold;
    const result = await fit({
      trainer: aeTrainer,
      epochs: cfg.autoEncoderEpochs,
      stepsPerEpoch: Math.ceil(train.count / cfg.batchSize),
      seed: cfg.seed,
      checkpointDir: join(fold.dir, 'autoencoder'),
      exitOnInterrupt: fold.options.exitOnInterrupt ?? false,
      trainStep: (ctx) => {
        const idx = ctx.permutation(train.count).slice(ctx.batch * cfg.batchSize, (ctx.batch + 1) * cfg.batchSize);
        const { x, y } = batchTensors(train, idx, fold.encoding);
        const crossEntropy = binary ? 'binary' : 'categorical';
        if (!individual) {
          const logs = autoEncoderStep(aeTrainer, 'autoencoder', { masks: y, crossEntropy });
          dispose([x, y]);
          return logs;
        }
        // Member c's auto-encoder sees bone c's binary masks only.
        const logs: TermValues = {};
        names.forEach((name, c) => {
          const masks = slice(y, [0, 0, 0, c], [-1, -1, -1, 1]);
          for (const [term, v] of Object.entries(autoEncoderStep(aeTrainer, name, { masks, crossEntropy }))) logs[`${name}.${term}`] = v;
          masks.dispose();
        });
        dispose([x, y]);
        return logs;
      },
    });
    aeTrainer.dispose();
    // The encoders are frozen and run in inference mode inside the shape prior and SPAR; after a short
    // pre-training their moving statistics are still mostly the initial ones. Recompute them from every
    // training label map (member c from bone c's masks).
    aes.forEach((ae, c) => recalibrateBatchNorm(ae.autoEncoder, maskBatches(train, fold.encoding, cfg.batchSize, individual ? c : undefined)));
    await writeAutoEncoderCurves(fold.dir, result.history, `${fold.title}, shape auto-encoder${individual ? 's' : ''}`);
  }
  for (let c = 0; c < members; c += 1) {
    const name = individual ? memberNetworkName('discriminator', c) : 'discriminator';
    let D: LayersModel | null = null;
    if (cfg.procedure === 'spar') {
      D = buildShapeCodeDiscriminator({ codeShape: (aes[c] as ShapeAutoEncoder).codeShape, name: individual ? `shape_code_discriminator_s${c}` : 'discriminator' });
    } else if (cfg.lambda2 > 0) {
      const maskChannels = individual ? 1 : fold.encoding.channels;
      D = buildConditionalDiscriminator({ inputSize, maskChannels, widths: [filters, 2 * filters], name: individual ? `conditional_discriminator_s${c}` : 'discriminator' });
    }
    if (D === null) continue;
    seedInitialWeights(D, seed(NETWORK_SEED_STREAMS.discriminator, c));
    owned.push(D);
    networks[name] = { model: D, optimizer };
  }
  const encoders = aes.map((ae) => ae.encoder);
  if (individual) {
    const list: IndividualMember[] = Array.from({ length: members }, (_, c) => {
      const name = memberNetworkName('discriminator', c);
      return { ...(encoders[c] !== undefined ? { encoder: encoders[c] } : {}), ...(networks[name] !== undefined ? { discriminator: name } : {}) };
    });
    return { networks, owned, members: list, shapeEncoders: encoders };
  }
  return { networks, owned, members: null, shapeEncoders: encoders, ...(encoders[0] !== undefined ? { encoder: encoders[0] } : {}) };
}
