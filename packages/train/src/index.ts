/**
 * `@pedseg/train` — the papers' training procedures for tfjs-layers models: a multi-network engine
 * (one Adam per network, alternating discriminator / network steps that each update only their own
 * variables), the papers' Adam schedules as presets, a training loop with validation, best-checkpoint
 * selection on Dice, atomic checkpoints with exact resume and SIGINT handling, progress / JSONL / CSV
 * callbacks, and dependency-free SVG figures (learning curves, radar plots, t-SNE, overlays).
 *
 * @packageDocumentation
 */

/** Name of this package. */
export const PACKAGE_NAME = '@pedseg/train';

export { TrainConfigError, NonFiniteLossError, CheckpointError, FigureInputError } from './errors.js';
export { SeededRandom, mixSeed } from './random.js';
export type { RandomState } from './random.js';
export { Adam } from './engine/adam.js';
export type { AdamOptions, AdamState } from './engine/adam.js';
export { Trainer } from './engine/trainer.js';
export { seedInitialWeights } from './engine/seed_weights.js';
export { recalibrateBatchNorm } from './engine/recalibrate_batch_norm.js';
export type { BatchNormRecalibration } from './engine/recalibrate_batch_norm.js';
export type { AlternatingStep, LossTerms, TermValues, TrainableNetwork, TrainerOptions } from './engine/trainer.js';
export { TRAINING_PRESETS, trainingPreset, stepsPerEpoch } from './presets.js';
export type { PresetPaper, PresetRole, TrainingPreset, TrainingPresetId } from './presets.js';
export { fit } from './loop/fit.js';
export type { FitOptions, StepContext } from './loop/fit.js';
export type { BatchEndEvent, EpochEndEvent, EpochRecord, FitResult, TrainBeginEvent, TrainingCallback } from './loop/types.js';
export {
  BEST_DIR,
  LATEST_FILE,
  latestCheckpoint,
  loadBestWeights,
  loadCheckpoint,
  saveBestWeights,
  saveCheckpoint,
} from './loop/checkpoint.js';
export type { TrainingState } from './loop/checkpoint.js';
export { writeFileAtomic } from './io/atomic.js';
export { ProgressBar } from './callbacks/progress_bar.js';
export type { ProgressBarOptions, ProgressStream } from './callbacks/progress_bar.js';
export { CsvLogger, JsonlLogger } from './callbacks/loggers.js';
export type { JsonlLoggerOptions } from './callbacks/loggers.js';
export { learningCurvesSvg, historySeries } from './figures/learning_curves.js';
export type { CurveSeries, LearningCurveOptions } from './figures/learning_curves.js';
export { radarPlotSvg } from './figures/radar.js';
export type { RadarOptions, RadarSeries } from './figures/radar.js';
export { pca, tsne } from './figures/tsne.js';
export type { TsneOptions } from './figures/tsne.js';
export { scatterSvg } from './figures/scatter.js';
export type { ScatterOptions } from './figures/scatter.js';
export { encodePng, pngDataUri } from './figures/png.js';
export { attentionOverlaySvg, contourOverlaySvg, labelContourPath } from './figures/overlays.js';
export type { OverlayOptions, Slice2D } from './figures/overlays.js';
export { writeFigure } from './figures/write.js';
export { autoEncoderStep, combinedRegularizationSteps, multiTaskStep, sparSteps } from './procedures.js';
export { individualRegularizationSteps } from './procedures_individual.js';
export type { IndividualMember, IndividualRegularizationStepOptions } from './procedures_individual.js';
export type {
  AutoEncoderContrastiveOptions,
  AutoEncoderStepOptions,
  CombinedRegularizationStepOptions,
  MultiTaskForward,
  MultiTaskStepOptions,
  SparStepOptions,
} from './procedures.js';
export { resolveExperimentConfig } from './experiment/config.js';
export type {
  ExperimentBackbone,
  ExperimentConfig,
  ExperimentDataLayout,
  ExperimentDomainStrategy,
  ExperimentMethod,
  ExperimentProcedure,
  ExperimentStrategy,
  ExperimentTransfer,
  ResolvedExperimentConfig,
} from './experiment/config.js';
export { openExperimentCohort } from './experiment/cohort.js';
export type { ExperimentCase, ExperimentCohort } from './experiment/cohort.js';
export { compareMethods } from './experiment/compare.js';
export type { MethodComparison, SliceWilcoxon } from './experiment/compare.js';
export { runExperiment } from './experiment/run.js';
export type { RunExperimentOptions } from './experiment/run.js';
export { FOLD_SCORES_FILE, REPORT_METRICS, writeExperimentReport } from './experiment/report.js';
export type { CaseScores, ExperimentReport, ReportMetric, SummaryCell } from './experiment/report.js';
export { predictCommand, readExperimentConfig, reportCommand, trainCommand } from './commands.js';
export type { TrainCommand, TrainCommandIo } from './commands.js';
