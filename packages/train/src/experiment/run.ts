import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { dispose } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { extractSlices, generateCohort, leaveOneOutSplits, lockStepLeaveOneOut } from '@pedseg/data';
import type { Phantom, PhantomDomain } from '@pedseg/data';
import { predictVolume } from '@pedseg/models';
import { encodeNifti } from '@pedseg/volume';
import { Trainer } from '../engine/trainer.js';
import type { TrainableNetwork } from '../engine/trainer.js';
import { historySeries, learningCurvesSvg } from '../figures/learning_curves.js';
import { writeFileAtomic } from '../io/atomic.js';
import { loadBestWeights } from '../loop/checkpoint.js';
import { fit } from '../loop/fit.js';
import { combinedRegularizationSteps, sparSteps } from '../procedures.js';
import { individualRegularizationSteps } from '../procedures_individual.js';
import { augmentedSlices } from './augmentation.js';
import { writeFoldFigures } from './figures.js';
import { pretrainForTransfer } from './transfer.js';
import { batchTensors, decodeLabels, targetEncoding, validationDice } from './batches.js';
import { buildFoldRegularizers } from './regularizers.js';
import { writeShapeCodeTsne } from './latent_figures.js';
import { latentEpochsCallback, writeShapeCodeEpochsTsne } from './latent_epochs.js';
import { cohortSlices, cohortSummary, openExperimentCohort } from './cohort.js';
import type { ExperimentCohort } from './cohort.js';
import { compareMethods } from './compare.js';
import { runMultiDomainFold } from './multi_domain.js';
import { postprocessPrediction } from './predict.js';
import { resolveExperimentConfig } from './config.js';
import { buildRunNetwork } from './network.js';
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
  cohort: ExperimentCohort,
  options: RunExperimentOptions,
  source: readonly Phantom[] | null = null,
): Promise<CaseScores> {
  const dir = join(resolve(cfg.outputDir), `fold-${foldIndex}`);
  await mkdir(dir, { recursive: true });
  const domain = cfg.data.domain;
  const names = cohort.labels[domain] as readonly string[];
  const classes = names.length;
  const { inputSize } = cfg.network;
  const train = await cohortSlices(cohort, domain, split.train, { size: inputSize, emptyFraction: cfg.data.emptyFraction, seed: cfg.seed });
  const validation = await cohortSlices(cohort, domain, split.validation, { size: inputSize, emptyFraction: 0, seed: cfg.seed });

  const strategy = cfg.strategy;
  const encoding = targetEncoding(strategy, classes);
  const binary = strategy !== 'multi';
  const seg = await buildRunNetwork(cfg, { outputStrategy: strategy, numStructures: strategy === 'global' ? 1 : classes - 1 });
  const networks: Record<string, TrainableNetwork> = { segmentation: { model: seg.model, optimizer: { learningRate: cfg.learningRate } } };
  // The models of a builder share layers (model / fullModel, encoder / auto-encoder); their weights are
  // freed once each at the end of the fold.
  const owned: LayersModel[] = [seg.model, seg.fullModel];
  if (cfg.transfer !== null && source !== null) await pretrainForTransfer(cfg, seg, source, dir, options);
  // Shape auto-encoders (pre-trained here) and discriminators; one of each per bone for `individual`.
  const regularizers = await buildFoldRegularizers(cfg, { dir, train, encoding, options, title: `${cfg.name} — fold ${foldIndex}` });
  const { encoder, members } = regularizers;
  owned.push(...regularizers.owned);
  Object.assign(networks, regularizers.networks);
  const trainer = new Trainer(networks);
  const checkpoints = join(dir, 'checkpoints');
  // SPAR Fig. 3: the validation predictions' shape codes at the end of the listed epochs.
  const latentEpochs = regularizers.shapeEncoders.length > 0 ? cfg.figures.latentEpochs : [];
  const latentInput = { slices: validation, network: seg.model, strategy, labelNames: names, encoders: regularizers.shapeEncoders, batchSize: cfg.batchSize };
  const result = await fit({
    trainer,
    epochs: cfg.epochs,
    stepsPerEpoch: Math.ceil(train.count / cfg.batchSize),
    batchSize: cfg.batchSize,
    seed: cfg.seed,
    checkpointDir: checkpoints,
    callbacks: [...(options.callbacks ?? []), ...(latentEpochs.length > 0 ? [latentEpochsCallback(dir, latentInput, latentEpochs)] : [])],
    exitOnInterrupt: options.exitOnInterrupt ?? false,
    extra: { fold: foldIndex, config: cfg },
    trainStep: (ctx) => {
      const idx = ctx.permutation(train.count).slice(ctx.batch * cfg.batchSize, (ctx.batch + 1) * cfg.batchSize);
      const { x, y } =
        cfg.augmentation === false
          ? batchTensors(train, idx, encoding)
          : batchTensors(augmentedSlices(train, idx, cfg.augmentation, cfg.seed, ctx.epoch, ctx.batch), idx.map((_, i) => i), encoding);
      const logs =
        members !== null
          ? individualRegularizationSteps(trainer, {
              network: 'segmentation',
              members,
              image: x,
              labels: y,
              procedure: cfg.procedure === 'spar' ? 'spar' : 'combined-regularization',
              lambda1: cfg.lambda1,
              lambda2: cfg.lambda2,
              lambda: cfg.lambda,
              codeDistance: cfg.codeDistance,
            })
          : cfg.procedure === 'spar' && encoder !== undefined
          ? sparSteps(trainer, { network: 'segmentation', discriminator: 'discriminator', encoder, image: x, labels: y, lambda: cfg.lambda, crossEntropy: binary ? 'binary' : 'categorical' })
          : combinedRegularizationSteps(trainer, {
              network: 'segmentation',
              ...(cfg.lambda2 > 0 ? { discriminator: 'discriminator' } : {}),
              ...(encoder !== undefined ? { encoder } : {}),
              image: x,
              labels: y,
              lambda1: cfg.lambda1,
              lambda2: cfg.lambda2,
              codeDistance: cfg.codeDistance,
              crossEntropy: binary ? 'binary' : 'categorical',
            });
      dispose([x, y]);
      return logs;
    },
    validate: () => ({ dice: validationDice((x) => seg.model.predict(x) as Tensor, validation, strategy, encoding.scored, cfg.batchSize) }),
  });
  if (result.best !== null) await loadBestWeights(checkpoints, trainer);
  await writeFileAtomic(join(dir, 'learning_curves.svg'), learningCurvesSvg(historySeries(result.history), { title: `${cfg.name} — fold ${foldIndex}` }));
  if (latentEpochs.length > 0) await writeShapeCodeEpochsTsne(dir, { ...latentInput, seed: cfg.seed, title: `${cfg.name} — fold ${foldIndex}` }, latentEpochs);

  const testId = split.test[0] as string;
  const test = await cohort.load(domain, testId);
  const probs = await predictVolume(seg, test.image, { batchSize: cfg.batchSize });
  const post = postprocessPrediction(probs, test, strategy, classes - 1, cfg.closingRadius);
  await writeFileAtomic(join(dir, `${testId}_prediction.nii.gz`), encodeNifti(post, { gzip: true, datatype: 'uint8' }));
  const testSlices = extractSlices(test.image, test.label, { size: inputSize, emptyFraction: 0, seed: cfg.seed, caseId: testId });
  await writeFoldFigures(
    dir,
    seg,
    [
      {
        caseId: testId,
        domain,
        domainIndex: null,
        slices: testSlices,
        decode: (p) => decodeLabels(p, strategy),
        ...(strategy === 'global' ? { truth: (l: number) => (l > 0 ? 1 : 0) } : {}),
      },
    ],
    { seed: cfg.seed, title: `${cfg.name} — fold ${foldIndex}`, batchSize: cfg.batchSize },
  );
  if (regularizers.shapeEncoders.length > 0) {
    await writeShapeCodeTsne(dir, {
      slices: testSlices,
      network: seg.model,
      strategy,
      labelNames: names,
      encoders: regularizers.shapeEncoders,
      batchSize: cfg.batchSize,
      seed: cfg.seed,
      title: `${cfg.name} — fold ${foldIndex}`,
    });
  }
  const scores = scoreCase(foldIndex, testId, test.label, post, names);
  await writeFileAtomic(join(dir, FOLD_SCORES_FILE), JSON.stringify(scores, null, 2));
  trainer.dispose();
  disposeWeights(owned);
  return scores;
}

/**
 * Runs a leave-one-out experiment end to end on a synthetic phantom cohort or on datasets read from
 * disk (`data.dir`, see {@link openExperimentCohort}): for every fold (or the
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
  const cohort = await openExperimentCohort(cfg);
  await mkdir(resolve(cfg.outputDir), { recursive: true });
  // The cohort's case ids and label names are recorded too: an on-disk run's data may change later.
  await writeFileAtomic(join(resolve(cfg.outputDir), 'config.json'), JSON.stringify({ ...cfg, cohort: cohortSummary(cohort) }, null, 2));
  if (cfg.data.multiDomain) {
    for (const fold of lockStepLeaveOneOut(cohort.caseIds)) {
      if (cfg.folds !== null && !cfg.folds.includes(fold.index)) continue;
      await runMultiDomainFold(cfg, fold, cohort, options);
    }
    return writeExperimentReport(cfg.outputDir);
  }
  const transferSource = (domain: PhantomDomain): Phantom[] => [
    ...generateCohort(domain, {
      seed: cfg.seed,
      count: cfg.data.cases as number,
      landmarksPerBone: 0,
      ...(cfg.data.shape !== null ? { size: { shape: cfg.data.shape } } : {}),
    }),
  ];
  const source = cfg.transfer !== null ? transferSource(cfg.transfer.from) : null;
  const folds = leaveOneOutSplits(cohort.caseIds[cfg.data.domain] as readonly string[]);
  for (const fold of folds) {
    if (cfg.folds !== null && !cfg.folds.includes(fold.index)) continue;
    await runFold(cfg, fold.index, fold, cohort, options, source);
  }
  return writeExperimentReport(cfg.outputDir);
}
