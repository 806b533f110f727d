import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { argMax, dispose, fill, gather, matMul, reshape, tensor1d, tensor3d, tensor4d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DomainBalancedSampler, extractSlices } from '@pedseg/data';
import type { BatchEntry, LockStepFold, SliceSet } from '@pedseg/data';
import type { DomainAwareModel } from '@pedseg/losses';
import { buildMultiJointAutoEncoder, predictVolume, sharedLabelOffsets } from '@pedseg/models';
import { postprocessSegmentation } from '@pedseg/postprocess';
import { createVolume, encodeNifti } from '@pedseg/volume';
import { recalibrateBatchNorm } from '../engine/recalibrate_batch_norm.js';
import { seedInitialWeights } from '../engine/seed_weights.js';
import { Trainer } from '../engine/trainer.js';
import { historySeries, learningCurvesSvg } from '../figures/learning_curves.js';
import { writeFileAtomic } from '../io/atomic.js';
import { loadBestWeights } from '../loop/checkpoint.js';
import { fit } from '../loop/fit.js';
import { mixSeed } from '../random.js';
import { autoEncoderStep, multiTaskStep } from '../procedures.js';
import { augmentedEntries } from './augmentation.js';
import { validationDice } from './batches.js';
import { writeFoldFigures } from './figures.js';
import { writeAutoEncoderCurves, writeJointCodeTsne } from './latent_figures.js';
import type { ResolvedExperimentConfig } from './config.js';
import { cohortSlices } from './cohort.js';
import type { ExperimentCohort } from './cohort.js';
import { NETWORK_SEED_STREAMS, buildRunNetwork } from './network.js';
import { disposeWeights, scoreCase } from './fold_utils.js';
import type { RunExperimentOptions } from './fold_utils.js';
import { FOLD_SCORES_FILE } from './report.js';
import type { CaseScores } from './report.js';

/**
 * Output channel layout of a multi-domain network: `channels[k][l]` is the head channel of joint k's
 * label l. DSL heads are padded to max |C_k| (label l in channel l); the shared head puts every joint's
 * bones after one common background (`sharedLabelOffsets`).
 */
export interface ChannelLayout {
  /** Channels of the head. */
  readonly width: number;
  /** Head channel of every label, per joint. */
  readonly channels: readonly (readonly number[])[];
}

/** The {@link ChannelLayout} of a `shared` or `dsl` head for |C_k| per joint. */
export function channelLayout(strategy: 'shared' | 'dsl', classCounts: readonly number[]): ChannelLayout {
  if (strategy === 'dsl') {
    return { width: Math.max(...classCounts), channels: classCounts.map((c) => Array.from({ length: c }, (_, l) => l)) };
  }
  const { offsets, channels } = sharedLabelOffsets(classCounts);
  return { width: channels, channels: classCounts.map((c, k) => Array.from({ length: c }, (_, l) => (l === 0 ? 0 : (offsets[k] as number) + l - 1))) };
}

/** Images, one-hot targets in a layout and domain indices of the sampled slices. */
function sampledBatch(pools: readonly SliceSet[], entries: readonly BatchEntry[], layout: ChannelLayout, maxClasses: number): { x: Tensor; y: Tensor; yJoint: Tensor; d: Tensor1D } {
  const { height: H, width: W } = pools[0] as SliceSet;
  const hw = H * W;
  const B = entries.length;
  const xs = new Float32Array(B * hw);
  const ys = new Float32Array(B * hw * layout.width);
  const js = new Float32Array(B * hw * maxClasses);
  const ds = new Int32Array(B);
  entries.forEach((e, b) => {
    const pool = pools[e.domain] as SliceSet;
    const map = layout.channels[e.domain] as readonly number[];
    xs.set(pool.images.subarray(e.slice * hw, (e.slice + 1) * hw), b * hw);
    for (let k = 0; k < hw; k += 1) {
      const l = pool.labels[e.slice * hw + k] as number;
      ys[(b * hw + k) * layout.width + (map[l] as number)] = 1;
      js[(b * hw + k) * maxClasses + l] = 1;
    }
    ds[b] = e.domain;
  });
  return {
    x: tensor4d(xs, [B, H, W, 1]),
    y: tensor4d(ys, [B, H, W, layout.width]),
    yJoint: tensor4d(js, [B, H, W, maxClasses]),
    d: tensor1d(ds, 'int32'),
  };
}

/**
 * Every slice of every pool once, as single-joint `[masks, domain]` batches of at most `batchSize`: the
 * one-hot label maps (padded to `maxClasses`) a multi-joint auto-encoder reads, for
 * {@link recalibrateBatchNorm}. Each batch is disposed when the next one is drawn.
 */
export function* jointMaskBatches(pools: readonly SliceSet[], maxClasses: number, batchSize: number): Generator<Tensor[]> {
  for (const [k, pool] of pools.entries()) {
    const hw = pool.height * pool.width;
    for (let start = 0; start < pool.count; start += batchSize) {
      const n = Math.min(batchSize, pool.count - start);
      const js = new Float32Array(n * hw * maxClasses);
      for (let i = 0; i < n * hw; i += 1) js[i * maxClasses + (pool.labels[start * hw + i] as number)] = 1;
      const batch = [tensor4d(js, [n, pool.height, pool.width, maxClasses]), fill([n], k, 'int32')];
      try {
        yield batch;
      } finally {
        dispose(batch);
      }
    }
  }
}

/**
 * Per-joint selection matrices `[K, width, maxClasses]` mapping a head's probabilities to each joint's
 * label set: its own channels go to its labels, every other joint's bones to its background, so the
 * result is still a distribution (what the multi-joint encoder and the per-joint argmax read).
 */
export function selectionMatrices(layout: ChannelLayout, maxClasses: number): Tensor {
  const K = layout.channels.length;
  const m = new Float32Array(K * layout.width * maxClasses);
  layout.channels.forEach((map, k) => {
    const own = new Set(map);
    for (let ch = 0; ch < layout.width; ch += 1) {
      const l = map.indexOf(ch);
      const target = l >= 0 ? l : own.has(ch) ? -1 : 0;
      if (target >= 0) m[(k * layout.width + ch) * maxClasses + target] = 1;
    }
  });
  return tensor3d(m, [K, layout.width, maxClasses]);
}

/** Probabilities `[B, H, W, width]` in a head layout → `[B, H, W, maxClasses]` in each sample's joint layout. */
export function toJointLayout(p: Tensor, domains: Tensor1D, selection: Tensor): Tensor {
  return tidy(() => {
    const [B, H, W, C] = p.shape as [number, number, number, number];
    const m = gather(selection, domains);
    const out = matMul(reshape(p, [B, H * W, C]), m);
    return reshape(out, [B, H, W, selection.shape[2] as number]);
  });
}

/** Per-voxel label of joint k from channel-major head probabilities, other joints' bones counted as background (as {@link toJointLayout}). */
export function jointArgmax(data: Float32Array, layout: ChannelLayout, k: number): Uint8Array {
  const size = data.length / layout.width;
  const map = layout.channels[k] as readonly number[];
  const own = new Set(map);
  const others = Array.from({ length: layout.width }, (_, ch) => ch).filter((ch) => !own.has(ch));
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) {
    let best = 0;
    let bestValue = data[i] as number;
    for (const ch of others) bestValue += data[ch * size + i] as number;
    for (let l = 1; l < map.length; l += 1) {
      const v = data[(map[l] as number) * size + i] as number;
      if (v > bestValue) {
        bestValue = v;
        best = l;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * Domain-balanced batches as a function of (epoch, batch): a `DomainBalancedSampler` seeded by the
 * run's seed and the epoch, fast-forwarded when asked for another batch than the next one — so a fit
 * resumed from a checkpoint mid-epoch gets the batches an uninterrupted run would have seen.
 */
export class EpochSampler {
  private current: { epoch: number; next: number; sampler: DomainBalancedSampler } | null = null;

  /**
   * @param pools - one slice pool per joint (domain index = position).
   * @param batchSize - a multiple of the number of pools.
   * @param seed - the run's seed.
   */
  constructor(
    private readonly pools: readonly SliceSet[],
    private readonly batchSize: number,
    private readonly seed: number,
  ) {}

  /** The sources of batch `batch` of epoch `epoch`. */
  entries(epoch: number, batch: number): BatchEntry[] {
    let c = this.current;
    if (c === null || c.epoch !== epoch || c.next > batch) {
      c = { epoch, next: 0, sampler: new DomainBalancedSampler(this.pools, { batchSize: this.batchSize, seed: mixSeed(this.seed, epoch) }) };
      this.current = c;
    }
    for (; c.next < batch; c.next += 1) c.sampler.nextEntries();
    c.next += 1;
    return c.sampler.nextEntries();
  }
}

/**
 * One lock-step leave-one-out fold of the multi-task, multi-domain procedure (papers 002/003): a
 * `shared` or `dsl` network, domain-balanced batches (`@pedseg/data`'s DomainBalancedSampler, reseeded
 * per epoch so a resumed epoch replays the same batches), optional multi-joint auto-encoder
 * pre-training (λ3 > 0), multiTaskStep with CE + λ2·(multi-scale) contrastive + λ3·MJAP, validation
 * Dice averaged over joints, and per-joint prediction, post-processing and evaluation of each joint's
 * test case. Writes `fold-<i>/scores.json` as an array (one case per joint).
 */
export async function runMultiDomainFold(cfg: ResolvedExperimentConfig, fold: LockStepFold, cohort: ExperimentCohort, options: RunExperimentOptions): Promise<CaseScores[]> {
  const dir = join(resolve(cfg.outputDir), `fold-${fold.index}`);
  await mkdir(dir, { recursive: true });
  const { inputSize, depth, filters } = cfg.network;
  const domains = cohort.domains;
  const classCounts = domains.map((d) => (cohort.labels[d] as readonly string[]).length);
  const maxClasses = Math.max(...classCounts);
  const layout = channelLayout(cfg.domainStrategy, classCounts);
  const pool = (d: string, ids: readonly string[], emptyFraction: number): Promise<SliceSet> => cohortSlices(cohort, d, ids, { size: inputSize, emptyFraction, seed: cfg.seed });
  const splitOf = (d: string): { train: readonly string[]; validation: readonly string[]; test: readonly string[] } => {
    const f = fold.domains[d];
    if (f === undefined) throw new Error(`lock-step fold ${fold.index} has no split for ${d}`);
    return f;
  };
  const trainPools: SliceSet[] = [];
  const validationPools: SliceSet[] = [];
  for (const d of domains) {
    trainPools.push(await pool(d, splitOf(d).train, cfg.data.emptyFraction));
    validationPools.push(await pool(d, splitOf(d).validation, 0));
  }
  const stepsPerEpoch = new DomainBalancedSampler(trainPools, { batchSize: cfg.batchSize, seed: cfg.seed }).batchesPerEpoch;
  let sampler = new EpochSampler(trainPools, cfg.batchSize, cfg.seed);
  const nextEntries = (epoch: number, batch: number): BatchEntry[] => sampler.entries(epoch, batch);

  const seg = await buildRunNetwork(cfg, { outputStrategy: 'multi', domains: { strategy: cfg.domainStrategy, classCounts } });
  const owned: LayersModel[] = [seg.model, seg.fullModel];
  const selection = selectionMatrices(layout, maxClasses);
  let encoder: DomainAwareModel | undefined;
  if (cfg.lambda3 > 0) {
    // The multi-joint auto-encoder learns every joint's label maps (padded to max |C_k|), then its
    // encoder is frozen as the anatomical prior.
    const ae = buildMultiJointAutoEncoder({ inputSize, classCounts, depth, filters });
    seedInitialWeights(ae.autoEncoder, mixSeed(cfg.seed, NETWORK_SEED_STREAMS.autoEncoder));
    owned.push(ae.autoEncoder, ae.encoder, ae.decoder, ae.fullModel);
    const aeTrainer = new Trainer({ autoencoder: { model: ae.autoEncoder, optimizer: { learningRate: cfg.learningRate } } });
    const aeResult = await fit({
      trainer: aeTrainer,
      epochs: cfg.autoEncoderEpochs,
      stepsPerEpoch,
      seed: cfg.seed,
      checkpointDir: join(dir, 'autoencoder'),
      exitOnInterrupt: options.exitOnInterrupt ?? false,
      trainStep: (ctx) => {
        const b = sampledBatch(trainPools, nextEntries(ctx.epoch, ctx.batch), layout, maxClasses);
        // L_AE = CE + λ1·MSC on every embedding scale of the auto-encoder (paper 002 Eq. 6).
        const logs = autoEncoderStep(aeTrainer, 'autoencoder', { masks: b.yJoint, domains: b.d, contrastive: { fullModel: ae.fullModel, classCounts, lambda1: cfg.lambda1 } });
        dispose([b.x, b.y, b.yJoint, b.d]);
        return logs;
      },
    });
    aeTrainer.dispose();
    // The encoder is frozen and runs in inference mode inside MJAP: after a short pre-training its moving
    // statistics are still mostly their initial values (0.99^31 ≈ 0.73 of them after one demo epoch), and its
    // codes are not the ones it learned. Recompute them from every training label map, per joint.
    recalibrateBatchNorm(ae.autoEncoder, jointMaskBatches(trainPools, maxClasses, cfg.batchSize));
    await writeAutoEncoderCurves(dir, aeResult.history, `${cfg.name} — fold ${fold.index}, multi-joint auto-encoder`);
    await writeJointCodeTsne(dir, {
      pools: trainPools.map((train, k) => ({ train, validation: validationPools[k] as SliceSet })),
      joints: domains,
      maxClasses,
      encoder: ae.encoder,
      batchSize: cfg.batchSize,
      seed: cfg.seed,
      title: `${cfg.name} — fold ${fold.index}`,
    });
    sampler = new EpochSampler(trainPools, cfg.batchSize, cfg.seed);
    const F = ae.encoder;
    encoder =
      cfg.domainStrategy === 'dsl'
        ? F
        : (p: Tensor, d: Tensor1D): Tensor => F.apply([toJointLayout(p, d, selection), d], { training: false }) as Tensor;
  }
  const trainer = new Trainer({ segmentation: { model: seg.model, optimizer: { learningRate: cfg.learningRate } } });
  // The shared head is one softmax over the union of labels: its CE spans every channel for every joint.
  const lossClassCounts = cfg.domainStrategy === 'dsl' ? classCounts : classCounts.map(() => layout.width);
  const checkpoints = join(dir, 'checkpoints');
  const result = await fit({
    trainer,
    epochs: cfg.epochs,
    stepsPerEpoch,
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    checkpointDir: checkpoints,
    callbacks: options.callbacks ?? [],
    exitOnInterrupt: options.exitOnInterrupt ?? false,
    extra: { fold: fold.index, config: cfg },
    trainStep: (ctx) => {
      const entries = nextEntries(ctx.epoch, ctx.batch);
      const b =
        cfg.augmentation === false
          ? sampledBatch(trainPools, entries, layout, maxClasses)
          : ((a) => sampledBatch(a.pools, a.entries, layout, maxClasses))(augmentedEntries(trainPools, entries, cfg.augmentation, cfg.seed, ctx.epoch, ctx.batch));
      const logs = multiTaskStep(trainer, {
        network: 'segmentation',
        forward: () => {
          const o = seg.splitOutputs(seg.fullModel.apply([b.x, b.d], { training: true }) as Tensor[]);
          return { segmentation: o.segmentation, embeddings: cfg.multiScale ? o.embeddings : [o.embeddings[(seg.embeddingCount - 1) / 2] as Tensor] };
        },
        labels: b.y,
        domains: b.d,
        classCounts: lossClassCounts,
        lambda2: cfg.lambda2,
        lambda3: cfg.lambda3,
        codeDistance: cfg.codeDistance,
        ...(encoder !== undefined ? { encoder } : {}),
      });
      dispose([b.x, b.y, b.yJoint, b.d]);
      return logs;
    },
    validate: () => {
      let sum = 0;
      validationPools.forEach((set, k) => {
        const predict = (x: Tensor): Tensor => {
          const d = fill([x.shape[0] as number], k, 'int32') as Tensor1D;
          return toJointLayout(seg.model.apply([x, d], { training: false }) as Tensor, d, selection);
        };
        sum += validationDice(predict, set, 'multi', (classCounts[k] as number) - 1, cfg.batchSize);
      });
      return { dice: sum / domains.length };
    },
  });
  if (result.best !== null) await loadBestWeights(checkpoints, trainer);
  await writeFileAtomic(join(dir, 'learning_curves.svg'), learningCurvesSvg(historySeries(result.history), { title: `${cfg.name} — fold ${fold.index}` }));

  // On-disk domains may reuse case ids: output files then carry the domain.
  const testIds = domains.map((d) => splitOf(d).test[0] as string);
  const fileId = (k: number): string => (new Set(testIds).size === testIds.length ? (testIds[k] as string) : `${domains[k] as string}-${testIds[k] as string}`);
  const figureCases = [];
  for (const [k, domain] of domains.entries()) {
    const test = await cohort.load(domain, testIds[k] as string);
    figureCases.push({
      caseId: fileId(k),
      domain,
      domainIndex: k,
      slices: extractSlices(test.image, test.label, { size: inputSize, emptyFraction: 0, seed: cfg.seed, caseId: test.id }),
      decode: (p: Tensor, d: Tensor1D | null) => tidy(() => argMax(toJointLayout(p, d as Tensor1D, selection), -1)),
    });
  }
  await writeFoldFigures(dir, seg, figureCases, { seed: cfg.seed, title: `${cfg.name} — fold ${fold.index}`, batchSize: cfg.batchSize });
  const scores: CaseScores[] = [];
  for (const [k, domain] of domains.entries()) {
    const testId = testIds[k] as string;
    const test = await cohort.load(domain, testId);
    const probs = await predictVolume(seg, test.image, { domain: k, batchSize: cfg.batchSize });
    const bones = (classCounts[k] as number) - 1;
    const raw = createVolume(jointArgmax(probs.data, layout, k), test.image.shape, { affine: test.image.affine });
    const post = postprocessSegmentation(raw, { strategy: 'multi', bones, closingRadius: cfg.closingRadius });
    await writeFileAtomic(join(dir, `${fileId(k)}_prediction.nii.gz`), encodeNifti(post, { gzip: true, datatype: 'uint8' }));
    scores.push(scoreCase(fold.index, testId, test.label, post, test.labels, `${domain}/`, domain));
  }
  await writeFileAtomic(join(dir, FOLD_SCORES_FILE), JSON.stringify(scores, null, 2));
  trainer.dispose();
  selection.dispose();
  disposeWeights(owned);
  return scores;
}
