import { join } from 'node:path';
import { dispose } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DOMAIN_LABELS, concatSliceSets, extractSlices } from '@pedseg/data';
import type { Phantom } from '@pedseg/data';
import type { SegmentationNetwork } from '@pedseg/models';
import { Trainer } from '../engine/trainer.js';
import { TrainConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { fit } from '../loop/fit.js';
import { combinedRegularizationSteps } from '../procedures.js';
import { mixSeed } from '../random.js';
import { augmentedSlices } from './augmentation.js';
import { batchTensors, targetEncoding } from './batches.js';
import type { ResolvedExperimentConfig } from './config.js';
import { buildRunNetwork } from './network.js';
import { disposeWeights } from './fold_utils.js';
import type { RunExperimentOptions } from './fold_utils.js';

/** What {@link transferWeights} did, layer by layer (written to `fold-<i>/transfer.json`). */
export interface TransferSummary {
  /** Layers whose weights came from the pre-trained network. */
  readonly copied: string[];
  /** Layers with weights left at their fresh initialization (the head, or shape mismatches). */
  readonly reinitialized: string[];
}

/**
 * Copies the weights of a network pre-trained on one joint into a network of the same architecture for
 * another joint, layer by layer in construction order. The output head (the last layer with weights)
 * keeps its fresh initialization even when its shape matches: its channels name the source joint's bones,
 * which are not the target's. Any other layer whose weight shapes differ is also left as initialized.
 */
export function transferWeights(source: LayersModel, target: LayersModel): TransferSummary {
  const copied: string[] = [];
  const reinitialized: string[] = [];
  const withWeights = (m: LayersModel) => m.layers.filter((l) => l.weights.length > 0);
  const from = withWeights(source);
  const to = withWeights(target);
  to.forEach((layer, i) => {
    const src = from[i];
    const head = i === to.length - 1;
    const same =
      src !== undefined &&
      src.getClassName() === layer.getClassName() &&
      src.weights.length === layer.weights.length &&
      src.weights.every((w, k) => w.shape.join() === (layer.weights[k]?.shape ?? []).join());
    if (head || !same) {
      reinitialized.push(layer.name);
      return;
    }
    const values = src.getWeights();
    layer.setWeights(values);
    copied.push(layer.name);
  });
  return { copied, reinitialized };
}

/**
 * The pre-training half of the `transfer` strategy: a network of the fold's architecture with the
 * source joint's head, trained with cross-entropy (plus the run's augmentation) on every source case
 * into `DIR/pretrain/` (resumable like any fit), whose weights then go into `target` by
 * {@link transferWeights}. Writes `DIR/transfer.json`.
 */
export async function pretrainForTransfer(
  cfg: ResolvedExperimentConfig,
  target: SegmentationNetwork,
  source: readonly Phantom[],
  dir: string,
  options: RunExperimentOptions,
): Promise<TransferSummary> {
  const transfer = cfg.transfer;
  if (transfer === null) throw new TrainConfigError('experiment config: pretrainForTransfer needs transfer');
  const { inputSize } = cfg.network;
  const strategy = cfg.strategy;
  const classes = DOMAIN_LABELS[transfer.from].length;
  const encoding = targetEncoding(strategy, classes);
  const set = concatSliceSets(source.map((p) => extractSlices(p.image, p.label, { size: inputSize, emptyFraction: cfg.data.emptyFraction, seed: cfg.seed, caseId: p.caseId })));
  const net = await buildRunNetwork(cfg, { outputStrategy: strategy, numStructures: strategy === 'global' ? 1 : classes - 1 });
  const trainer = new Trainer({ segmentation: { model: net.model, optimizer: { learningRate: cfg.learningRate } } });
  await fit({
    trainer,
    epochs: transfer.pretrainEpochs,
    stepsPerEpoch: Math.ceil(set.count / cfg.batchSize),
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    checkpointDir: join(dir, 'pretrain'),
    callbacks: options.callbacks ?? [],
    exitOnInterrupt: options.exitOnInterrupt ?? false,
    extra: { pretrain: transfer.from },
    trainStep: (ctx) => {
      const idx = ctx.permutation(set.count).slice(ctx.batch * cfg.batchSize, (ctx.batch + 1) * cfg.batchSize);
      const { x, y } =
        cfg.augmentation === false
          ? batchTensors(set, idx, encoding)
          : batchTensors(augmentedSlices(set, idx, cfg.augmentation, mixSeed(cfg.seed, PRETRAIN_SALT), ctx.epoch, ctx.batch), idx.map((_, i) => i), encoding);
      const logs = combinedRegularizationSteps(trainer, {
        network: 'segmentation',
        image: x,
        labels: y,
        lambda1: 0,
        lambda2: 0,
        crossEntropy: strategy === 'multi' ? 'categorical' : 'binary',
      });
      dispose([x, y]);
      return logs;
    },
  });
  const summary = transferWeights(net.model, target.model);
  trainer.dispose();
  disposeWeights([net.model, net.fullModel]);
  await writeFileAtomic(join(dir, 'transfer.json'), JSON.stringify({ from: transfer.from, to: transfer.to, pretrainEpochs: transfer.pretrainEpochs, sourceCases: source.map((p) => p.caseId), ...summary }, null, 2));
  return summary;
}

/** Separates the pre-training augmentation stream from the fine-tuning one. */
const PRETRAIN_SALT = 0x70726574;
