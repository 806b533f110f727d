import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { dispose } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { DOMAIN_LABELS, concatSliceSets, extractSlices, generateCohort, leaveOneOutSplits, lockStepLeaveOneOut } from '@pedseg/data';
import type { Phantom, PhantomDomain, SliceSet } from '@pedseg/data';
import {
  buildConditionalDiscriminator,
  buildShapeAutoEncoder,
  buildShapeCodeDiscriminator,
  predictVolume,
} from '@pedseg/models';
import type { FrozenModel } from '@pedseg/losses';
import { encodeNifti } from '@pedseg/volume';
import { seedInitialWeights } from '../engine/seed_weights.js';
import { mixSeed } from '../random.js';
import { Trainer } from '../engine/trainer.js';
import type { TrainableNetwork } from '../engine/trainer.js';
import { historySeries, learningCurvesSvg } from '../figures/learning_curves.js';
import { writeFileAtomic } from '../io/atomic.js';
import { loadBestWeights } from '../loop/checkpoint.js';
import { fit } from '../loop/fit.js';
import { autoEncoderStep, combinedRegularizationSteps, sparSteps } from '../procedures.js';
import { augmentedSlices } from './augmentation.js';
import { writeFoldFigures } from './figures.js';
import { pretrainForTransfer } from './transfer.js';
import { batchTensors, channelsToBatch, decodeLabels, perChannelEncoder, targetEncoding, validationDice } from './batches.js';
import { compareMethods } from './compare.js';
import { runMultiDomainFold } from './multi_domain.js';
import { postprocessPrediction } from './predict.js';
import { resolveExperimentConfig } from './config.js';
import { NETWORK_SEED_STREAMS, buildRunNetwork } from './network.js';
import type { ExperimentConfig, ResolvedExperimentConfig } from './config.js';
import { disposeWeights, scoreCase } from './fold_utils.js';
import type { RunExperimentOptions } from './fold_utils.js';
import { FOLD_SCORES_FILE, writeExperimentReport } from './report.js';
import type { CaseScores, ExperimentReport } from './report.js';

export type { RunExperimentOptions } from './fold_utils.js';

/** Trains, predicts, post-processes and evaluates one leave-one-out fold; writes `fold-<i>/`. */
async function runFold(
  cfg: ResolvedExperimentConfig,
  foldIndex: number,
  split: { train: readonly string[]; validation: readonly string[]; test: readonly string[] },
  cases: ReadonlyMap<string, Phantom>,
  options: RunExperimentOptions,
  source: readonly Phantom[] | null = null,
): Promise<CaseScores> {
  const dir = join(resolve(cfg.outputDir), `fold-${foldIndex}`);
  await mkdir(dir, { recursive: true });
  const names = DOMAIN_LABELS[cfg.data.domain];
  const classes = names.length;
  const { inputSize, depth, filters } = cfg.network;
  const slices = (ids: readonly string[], emptyFraction: number): SliceSet =>
    concatSliceSets(
      ids.map((id) => {
        const p = cases.get(id) as Phantom;
        return extractSlices(p.image, p.label, { size: inputSize, emptyFraction, seed: cfg.seed, caseId: id });
      }),
    );
  const train = slices(split.train, cfg.data.emptyFraction);
  const validation = slices(split.validation, 0);

  const strategy = cfg.strategy;
  const encoding = targetEncoding(strategy, classes);
  const binary = strategy !== 'multi';
  const seg = await buildRunNetwork(cfg, { outputStrategy: strategy, numStructures: strategy === 'global' ? 1 : classes - 1 });
  const networks: Record<string, TrainableNetwork> = { segmentation: { model: seg.model, optimizer: { learningRate: cfg.learningRate } } };
  // The models of a builder share layers (model / fullModel, encoder / auto-encoder); their weights are
  // freed once each at the end of the fold.
  const owned: LayersModel[] = [seg.model, seg.fullModel];
  if (cfg.transfer !== null && source !== null) await pretrainForTransfer(cfg, seg, source, dir, options);
  let encoder: FrozenModel | undefined;
  let codeShape: readonly number[] = [];
  if (cfg.lambda1 > 0 || cfg.procedure === 'spar') {
    // Auto-encoder pre-training on the training label maps, then its encoder is used frozen. The
    // sigmoid strategies use a one-channel auto-encoder trained on every bone channel as a sample.
    const ae = buildShapeAutoEncoder({ inputSize, numChannels: binary ? 1 : classes, depth, filters });
    seedInitialWeights(ae.autoEncoder, mixSeed(cfg.seed, NETWORK_SEED_STREAMS.autoEncoder));
    owned.push(ae.autoEncoder, ae.encoder, ae.decoder, ae.fullModel);
    const aeTrainer = new Trainer({ autoencoder: { model: ae.autoEncoder, optimizer: { learningRate: cfg.learningRate } } });
    await fit({
      trainer: aeTrainer,
      epochs: cfg.autoEncoderEpochs,
      stepsPerEpoch: Math.ceil(train.count / cfg.batchSize),
      seed: cfg.seed,
      checkpointDir: join(dir, 'autoencoder'),
      exitOnInterrupt: options.exitOnInterrupt ?? false,
      trainStep: (ctx) => {
        const idx = ctx.permutation(train.count).slice(ctx.batch * cfg.batchSize, (ctx.batch + 1) * cfg.batchSize);
        const { x, y } = batchTensors(train, idx, encoding);
        const masks = binary ? channelsToBatch(y) : y;
        const logs = autoEncoderStep(aeTrainer, 'autoencoder', { masks, crossEntropy: binary ? 'binary' : 'categorical' });
        dispose([x, y, masks]);
        return logs;
      },
    });
    aeTrainer.dispose();
    encoder = strategy === 'individual' ? perChannelEncoder(ae.encoder) : ae.encoder;
    const [h, w, c] = ae.codeShape as [number, number, number];
    codeShape = [h, w, strategy === 'individual' ? c * encoding.channels : c];
  }
  if (cfg.lambda2 > 0) {
    const D = buildConditionalDiscriminator({ inputSize, maskChannels: encoding.channels, widths: [filters, 2 * filters], name: 'discriminator' });
    seedInitialWeights(D, mixSeed(cfg.seed, NETWORK_SEED_STREAMS.discriminator));
    owned.push(D);
    networks['discriminator'] = { model: D, optimizer: { learningRate: cfg.learningRate } };
  }
  if (cfg.procedure === 'spar') {
    const D = buildShapeCodeDiscriminator({ codeShape, name: 'discriminator' });
    seedInitialWeights(D, mixSeed(cfg.seed, NETWORK_SEED_STREAMS.discriminator));
    owned.push(D);
    networks['discriminator'] = { model: D, optimizer: { learningRate: cfg.learningRate } };
  }
  const trainer = new Trainer(networks);
  const checkpoints = join(dir, 'checkpoints');
  const result = await fit({
    trainer,
    epochs: cfg.epochs,
    stepsPerEpoch: Math.ceil(train.count / cfg.batchSize),
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    checkpointDir: checkpoints,
    callbacks: options.callbacks ?? [],
    exitOnInterrupt: options.exitOnInterrupt ?? false,
    extra: { fold: foldIndex, config: cfg },
    trainStep: (ctx) => {
      const idx = ctx.permutation(train.count).slice(ctx.batch * cfg.batchSize, (ctx.batch + 1) * cfg.batchSize);
      const { x, y } =
        cfg.augmentation === false
          ? batchTensors(train, idx, encoding)
          : batchTensors(augmentedSlices(train, idx, cfg.augmentation, cfg.seed, ctx.epoch, ctx.batch), idx.map((_, i) => i), encoding);
      const logs =
        cfg.procedure === 'spar' && encoder !== undefined
          ? sparSteps(trainer, { network: 'segmentation', discriminator: 'discriminator', encoder, image: x, labels: y, lambda: cfg.lambda })
          : combinedRegularizationSteps(trainer, {
              network: 'segmentation',
              ...(cfg.lambda2 > 0 ? { discriminator: 'discriminator' } : {}),
              ...(encoder !== undefined ? { encoder } : {}),
              image: x,
              labels: y,
              lambda1: cfg.lambda1,
              lambda2: cfg.lambda2,
              crossEntropy: binary ? 'binary' : 'categorical',
            });
      dispose([x, y]);
      return logs;
    },
    validate: () => ({ dice: validationDice((x) => seg.model.predict(x) as Tensor, validation, strategy, encoding.scored, cfg.batchSize) }),
  });
  if (result.best !== null) await loadBestWeights(checkpoints, trainer);
  await writeFileAtomic(join(dir, 'learning_curves.svg'), learningCurvesSvg(historySeries(result.history), { title: `${cfg.name} — fold ${foldIndex}` }));

  const testId = split.test[0] as string;
  const test = cases.get(testId) as Phantom;
  const probs = await predictVolume(seg.model, test.image, { batchSize: cfg.batchSize });
  const post = postprocessPrediction(probs, test, strategy, classes - 1, cfg.closingRadius);
  await writeFileAtomic(join(dir, `${testId}_prediction.nii.gz`), encodeNifti(post, { gzip: true, datatype: 'uint8' }));
  const testSlices = extractSlices(test.image, test.label, { size: inputSize, emptyFraction: 0, seed: cfg.seed, caseId: testId });
  await writeFoldFigures(
    dir,
    seg,
    [
      {
        caseId: testId,
        domain: cfg.data.domain,
        domainIndex: null,
        slices: testSlices,
        decode: (p) => decodeLabels(p, strategy),
        ...(strategy === 'global' ? { truth: (l: number) => (l > 0 ? 1 : 0) } : {}),
      },
    ],
    { seed: cfg.seed, title: `${cfg.name} — fold ${foldIndex}`, batchSize: cfg.batchSize },
  );
  const scores = scoreCase(foldIndex, testId, test.label, post, names);
  await writeFileAtomic(join(dir, FOLD_SCORES_FILE), JSON.stringify(scores, null, 2));
  trainer.dispose();
  disposeWeights(owned);
  return scores;
}

/**
 * Runs a leave-one-out experiment end to end on a synthetic phantom cohort: for every fold (or the
 * folds listed in `config.folds`), optional auto-encoder pre-training, segmentation training with the
 * configured procedure (baseline CE, combined regularization or SPAR, with alternating discriminator steps),
 * best-checkpoint selection on validation Dice, 3D prediction of the test case, the papers'
 * post-processing of the strategy (largest component per bone or C largest components, ball closing), evaluation (Dice, sensitivity,
 * specificity, MSSD, ASSD, RAVD), and finally the merged per-case and mean ± std tables
 * (see {@link writeExperimentReport}). Folds are resumable: an interrupted fold continues from its
 * last checkpoint when the experiment is run again.
 *
 * Single-domain runs use the `multi`, `global` or `individual` strategy with the baseline, combined
 * regularization or SPAR procedure; multi-domain runs (`data.domains`) train one `shared` or `dsl`
 * network with the multi-task procedure on domain-balanced batches over lock-step leave-one-out folds
 * and evaluate every joint's test case. With `config.methods`, every method runs into its own folder
 * and the returned report holds them in `methods` (top-level `cases` / `summary` empty), plus the
 * `comparison` (ranking, radar, Wilcoxon; {@link compareMethods}) when there are two or more.
 */
export async function runExperiment(config: ExperimentConfig, options: RunExperimentOptions = {}): Promise<ExperimentReport> {
  const cfg = resolveExperimentConfig(config);
  if (cfg.methods === null) return runResolved(cfg, options);
  await mkdir(resolve(cfg.outputDir), { recursive: true });
  await writeFileAtomic(join(resolve(cfg.outputDir), 'config.json'), JSON.stringify(cfg, null, 2));
  const reports: Record<string, ExperimentReport> = {};
  for (const method of cfg.methods) reports[method.name] = await runResolved(method, options);
  const comparison = cfg.methods.length >= 2 ? await compareMethods(cfg.outputDir, reports) : undefined;
  return { cases: [], summary: {}, methods: reports, ...(comparison !== undefined ? { comparison } : {}) };
}

async function runResolved(cfg: ResolvedExperimentConfig, options: RunExperimentOptions): Promise<ExperimentReport> {
  await mkdir(resolve(cfg.outputDir), { recursive: true });
  await writeFileAtomic(join(resolve(cfg.outputDir), 'config.json'), JSON.stringify(cfg, null, 2));
  const cohort = (domain: PhantomDomain): Phantom[] => [
    ...generateCohort(domain, {
      seed: cfg.seed,
      count: cfg.data.cases,
      landmarksPerBone: 0,
      ...(cfg.data.shape !== null ? { size: { shape: cfg.data.shape } } : {}),
    }),
  ];
  if (cfg.data.multiDomain) {
    const perDomain = cfg.data.domains.map((d) => cohort(d));
    const cases = new Map(perDomain.flat().map((p) => [p.caseId, p]));
    const ids = Object.fromEntries(cfg.data.domains.map((d, k) => [d, (perDomain[k] as Phantom[]).map((p) => p.caseId)]));
    for (const fold of lockStepLeaveOneOut(ids)) {
      if (cfg.folds !== null && !cfg.folds.includes(fold.index)) continue;
      await runMultiDomainFold(cfg, fold, { domains: cfg.data.domains, cases }, options);
    }
    return writeExperimentReport(cfg.outputDir);
  }
  const phantoms = cohort(cfg.data.domain);
  const source = cfg.transfer !== null ? cohort(cfg.transfer.from) : null;
  const cases = new Map(phantoms.map((p) => [p.caseId, p]));
  const folds = leaveOneOutSplits(phantoms.map((p) => p.caseId));
  for (const fold of folds) {
    if (cfg.folds !== null && !cfg.folds.includes(fold.index)) continue;
    await runFold(cfg, fold.index, fold, cases, options, source);
  }
  return writeExperimentReport(cfg.outputDir);
}
