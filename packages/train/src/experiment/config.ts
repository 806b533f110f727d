import { basename, join, resolve } from 'node:path';
import { AUGMENTATION_PRESETS, PHANTOM_DOMAINS } from '@pedseg/data';
import type { AugmentationPreset, PhantomDomain } from '@pedseg/data';
import { TrainConfigError } from '../errors.js';
import { trainingPreset } from '../presets.js';

/**
 * Training procedure of an experiment: plain cross-entropy, combined regularization (paper 000),
 * SPAR (paper 001), or the multi-task, multi-domain procedure (papers 002/003, needs `data.domains`).
 */
export type ExperimentProcedure = 'baseline' | 'combined-regularization' | 'spar' | 'multi-task';

/**
 * Single-domain output strategy (paper 000, §3.2): one softmax network (`multi`), one sigmoid "any bone"
 * network whose C largest components are kept (`global`), or one sigmoid network per bone merged by
 * `@pedseg/postprocess` (`individual`).
 */
export type ExperimentStrategy = 'multi' | 'global' | 'individual';

/** Pre-trained encoder of a segmentation network: VGG19, ResNet50, DenseNet121, EfficientNet-B3 or InceptionV3. */
export type ExperimentBackbone = 'vgg' | 'res' | 'dense' | 'efficient' | 'inception';

const BACKBONE_NAMES: readonly ExperimentBackbone[] = ['vgg', 'res', 'dense', 'efficient', 'inception'];

/** Multi-domain network variant (paper 002): every parameter shared, or domain-specific layers (DSL). */
export type ExperimentDomainStrategy = 'shared' | 'dsl';

/**
 * On-disk dataset layout of `data.dir`: `folders` is `DIR/<domain>/<case>/{image,label}.nii.gz` (one
 * domain per folder, label names from `DIR/<domain>/dataset.json` or the built-in joint tables); `msd` is
 * one Medical Segmentation Decathlon / nnU-Net task folder (`dataset.json`, `imagesTr/`, `labelsTr/`),
 * a single domain.
 */
export type ExperimentDataLayout = 'folders' | 'msd';

const DATA_LAYOUTS: readonly ExperimentDataLayout[] = ['folders', 'msd'];

/**
 * One method of a comparison: a name (its output folder) and the fields that differ from the
 * experiment's (procedure, strategy, λ, network, schedule).
 */
export type ExperimentMethod = { name: string } & Partial<
  Pick<
    ExperimentConfig,
    | 'procedure'
    | 'strategy'
    | 'domainStrategy'
    | 'lambda1'
    | 'lambda2'
    | 'lambda'
    | 'lambda3'
    | 'codeDistance'
    | 'multiScale'
    | 'preset'
    | 'network'
    | 'learningRate'
    | 'batchSize'
    | 'epochs'
    | 'autoEncoderEpochs'
    | 'augmentation'
    | 'transfer'
    | 'figures'
  >
>;

/**
 * An experiment: data, network, procedure and schedule. Plain JSON-compatible, so it can come from a
 * file (`pedseg train --config FILE`) or a TypeScript object.
 */
export interface ExperimentConfig {
  /** Run name (used in tables). */
  name: string;
  /** Output directory of the run: `fold-<i>/` per fold, `per_case.csv`, `summary.csv`, `summary.json`. */
  outputDir: string;
  /** Seed of phantoms, splits order, data order and initial weights. Default 0. */
  seed?: number;
  /**
   * The cases: a synthetic phantom cohort of `@pedseg/data` (without `dir`), or datasets on disk (`dir`);
   * one domain (`domain`) or several (`domains`, multi-task).
   */
  data: {
    /**
     * Root of on-disk datasets (relative paths are taken from the working directory). Without it the
     * run generates phantoms. With it the volumes keep their own shapes and spacings: slices are resized
     * to `network.inputSize` for training and prediction, and each test case is evaluated in mm on its own grid.
     */
    dir?: string;
    /** Layout of `dir`; default `'folders'`. */
    layout?: ExperimentDataLayout;
    /**
     * Domain of a single-domain experiment: a phantom joint, or with `dir` the name of a domain folder
     * (any name; with the `msd` layout it only names the task, default the folder's name).
     */
    domain?: PhantomDomain | (string & {});
    /**
     * Domains of a multi-domain experiment (lock-step leave-one-out, domain-balanced batches): phantom
     * joints, or with `dir` domain folder names (`folders` layout only).
     */
    domains?: (PhantomDomain | (string & {}))[];
    /**
     * Number of cases per domain (≥ 3 for leave-one-out). Required for phantoms; with `dir` optional
     * (default every case) and, when given, the first N case ids in sorted order.
     */
    cases?: number;
    /** Phantom grid `[nx, ny, nz]`; default `@pedseg/data`'s small grid. Not with `dir`. */
    shape?: [number, number, number];
    /** Fraction of empty slices kept for training (0–1). Default 0.1. */
    emptyFraction?: number;
  };
  /** Segmentation network (`@pedseg/models` UNet / Att-UNet). */
  network?: {
    /** Network input `[H, W]`, divisible by 2^depth. Default `[32, 32]`. */
    inputSize?: [number, number];
    /** Poolings. Default 2. */
    depth?: number;
    /** First-level width. Default 8. */
    filters?: number;
    /** Attention gates (Att-UNet). Default true. */
    attention?: boolean;
    /**
     * Moving-average momentum of the batch norms (Keras convention). Default 0.99, as Keras; short runs
     * want less (e.g. 0.9), or inference sees moving statistics that are still mostly their initial values.
     */
    momentum?: number;
    /**
     * A pre-trained-encoder UNet of `@pedseg/models` instead of the plain UNet (`depth` and `filters`
     * then do not apply; `inputSize` divisible by 16 for `vgg` / `res`, 32 for the others; not with the
     * `individual` strategy). Default none.
     */
    backbone?: ExperimentBackbone;
    /** Divides every width of a backbone network (1 = the original network, the only one ImageNet weights fit). Default 1. */
    widthDivisor?: number;
    /** Local tfjs layers-model folder with the backbone's ImageNet encoder; without it the encoder is randomly initialized (with a warning). */
    weights?: string;
  };
  /** Procedure. Default `'combined-regularization'`, or `'multi-task'` with `data.domains`. */
  procedure?: ExperimentProcedure;
  /** Single-domain output strategy. Default `'multi'`. */
  strategy?: ExperimentStrategy;
  /** Multi-domain network variant (`data.domains`). Default `'dsl'`. */
  domainStrategy?: ExperimentDomainStrategy;
  /**
   * Shape-priors weight (combined regularization; default from the preset, else 0.1), or λ1 of the
   * multi-joint auto-encoder's pre-training L_AE = CE + λ1·MSC (multi-task with λ3 > 0, paper 002 Eq. 6;
   * default from the preset, else 0.05).
   */
  lambda1?: number;
  /**
   * Adversarial weight (combined regularization; default from the preset, else 0.01), or the
   * contrastive weight (multi-task; default from the preset, else 0.5; 0 disables it).
   */
  lambda2?: number;
  /** SPAR weight λ. Default from the preset, else 0.01. */
  lambda?: number;
  /** Multi-joint anatomical priors weight (multi-task); > 0 pre-trains a multi-joint auto-encoder. Default from the preset, else 0.1. */
  lambda3?: number;
  /**
   * Reduction of the code distance over the code elements — combined regularization's shape priors
   * (paper 000 Eq. 6) and multi-task MJAP (paper 002 Eq. 7); baseline and SPAR have no code distance and
   * ignore it: `'sum'` (default, the papers' ‖F(ŷ) − F(y)‖²₂) or `'mean'` (divided by the code's h·w·c
   * elements). The sum grows with the code map (8192 elements for a 64×64 depth-2 8-filter network,
   * 131072 for 256×256 depth-4 32-filter codes) and can dwarf the cross-entropy at λ1 = 0.1.
   */
  codeDistance?: 'sum' | 'mean';
  /** Multi-task: contrastive term on every embedding scale (paper 002) instead of the bottleneck only (paper 003). Default true. */
  multiScale?: boolean;
  /** A preset of {@link TRAINING_PRESETS} providing learning rate, batch size, epochs and λ. */
  preset?: string;
  /** Adam learning rate (overrides the preset). */
  learningRate?: number;
  /** Batch size (overrides the preset). */
  batchSize?: number;
  /** Epochs (overrides the preset). */
  epochs?: number;
  /** Auto-encoder pre-training epochs (λ1 > 0, SPAR, λ3 > 0). Default 1. */
  autoEncoderEpochs?: number;
  /**
   * On-the-fly augmentation of the segmentation network's training batches with an
   * `AUGMENTATION_PRESETS` entry of `@pedseg/data` (`'combReg'`, `'mtmd'`, `'dslContrastive'`), seeded
   * by (seed, epoch, batch) so a resumed run replays it; `false` (default) trains on the slices as they are.
   */
  augmentation?: AugmentationPreset | false;
  /**
   * Transfer between joints: pre-train the segmentation network on every case of `from` (cross-entropy
   * only, `pretrainEpochs`), copy its weights except the output head into a fresh network, then train
   * that on `to` with the configured procedure (`fineTuneEpochs`, default `epochs`) and evaluate it on
   * `to`'s leave-one-out folds. Sets `data.domain` to `to` (give no other `data.domain`).
   */
  transfer?: ExperimentTransfer;
  /** Run only these folds (e.g. `[i]` for `--fold i`); default all. */
  folds?: number[];
  /** Radius of the final ball closing in voxels (paper: 2, the 5×5×5 ball). Default 2. */
  closingRadius?: number;
  /**
   * Optional figures. `latentEpochs`: 1-based epochs (e.g. `[1, 2, 3, 4, 5, 10]`, the SPAR paper's
   * Fig. 3) at whose end the validation case's ground-truth and predicted bone masks are encoded by the
   * frozen shape encoder; the fold then writes `figures/tsne-shape-codes-epochs.svg` / `.json` (one
   * shared t-SNE, one panel per epoch). Single-domain runs with a shape encoder only (SPAR, or λ1 > 0
   * with combined regularization). Default none.
   */
  figures?: {
    /** 1-based epochs of the latent-space figure (`tsne-shape-codes-epochs.svg`). */
    latentEpochs?: number[];
  };
  /**
   * Methods compared on the same data and folds, each run into `outputDir/<name>/`; with two or more,
   * the run directory also gets ranking scores, a radar figure and slice-Dice Wilcoxon tests.
   */
  methods?: ExperimentMethod[];
}

/** The `transfer` strategy of an experiment: source joint, target joint and the two schedules. */
export interface ExperimentTransfer {
  /** Joint the network is pre-trained on. */
  from: PhantomDomain;
  /** Joint the network is fine-tuned and evaluated on. */
  to: PhantomDomain;
  /** Pre-training epochs on `from`. Default: the experiment's `epochs`. */
  pretrainEpochs?: number;
  /** Fine-tuning epochs on `to`. Default: the experiment's `epochs`. */
  fineTuneEpochs?: number;
}

/** A config with every default filled in. */
export interface ResolvedExperimentConfig {
  /** Run name. */
  readonly name: string;
  /** Output directory. */
  readonly outputDir: string;
  /** Seed. */
  readonly seed: number;
  /**
   * Data options; `domain` is `domains[0]`; more than one domain (or `multiDomain`) means multi-task.
   * `cases` is null for "every case of the on-disk datasets" (`runExperiment` records the case ids it
   * used under `cohort` in the run's `config.json`); `dir` is absolute, or null for phantoms.
   */
  readonly data: {
    readonly domain: string;
    readonly domains: readonly string[];
    readonly multiDomain: boolean;
    readonly cases: number | null;
    readonly shape: [number, number, number] | null;
    readonly emptyFraction: number;
    readonly dir: string | null;
    readonly layout: ExperimentDataLayout;
  };
  /** Network options. */
  readonly network: {
    readonly inputSize: [number, number];
    readonly depth: number;
    readonly filters: number;
    readonly attention: boolean;
    readonly momentum: number;
    readonly backbone: ExperimentBackbone | null;
    readonly widthDivisor: number;
    readonly weights: string | null;
  };
  /** Procedure. */
  readonly procedure: ExperimentProcedure;
  /** Output strategy (`multi` for multi-domain runs). */
  readonly strategy: ExperimentStrategy;
  /** Multi-domain network variant. */
  readonly domainStrategy: ExperimentDomainStrategy;
  /** λ1 (shape priors for combined regularization, the auto-encoder's MSC for multi-task; else 0). */
  readonly lambda1: number;
  /** λ2 (adversarial for combined regularization, contrastive for multi-task). */
  readonly lambda2: number;
  /** SPAR λ (0 unless SPAR). */
  readonly lambda: number;
  /** λ3 (MJAP; 0 unless multi-task). */
  readonly lambda3: number;
  /** Reduction of the shape-priors code distance over code elements. */
  readonly codeDistance: 'sum' | 'mean';
  /** Multi-scale contrastive term. */
  readonly multiScale: boolean;
  /** Learning rate. */
  readonly learningRate: number;
  /** Batch size. */
  readonly batchSize: number;
  /** Epochs. */
  readonly epochs: number;
  /** Auto-encoder epochs. */
  readonly autoEncoderEpochs: number;
  /** Augmentation preset of the segmentation batches, or false. */
  readonly augmentation: AugmentationPreset | false;
  /** Transfer between joints (`epochs` is then the fine-tuning schedule), or null. */
  readonly transfer: { readonly from: PhantomDomain; readonly to: PhantomDomain; readonly pretrainEpochs: number } | null;
  /** Folds to run, or null for all. */
  readonly folds: readonly number[] | null;
  /** Closing radius. */
  readonly closingRadius: number;
  /** The compared methods, each fully resolved (output in `outputDir/<name>/`), or null. */
  readonly methods: readonly ResolvedExperimentConfig[] | null;
  /** Optional figures: the 1-based epochs of the latent-space figure, ascending (empty: none). */
  readonly figures: {
    /** 1-based epochs of `tsne-shape-codes-epochs.svg`, ascending; empty for none. */
    readonly latentEpochs: readonly number[];
  };
}

/** Validates `figures` against the resolved run (epochs, domains, shape encoder). */
function resolveFigures(figures: ExperimentConfig['figures'], run: { epochs: number; multiDomain: boolean; shapeEncoder: boolean }): { latentEpochs: number[] } {
  if (figures === undefined) return { latentEpochs: [] };
  if (figures === null || typeof figures !== 'object' || Array.isArray(figures)) throw new TrainConfigError('experiment config: figures must be an object { latentEpochs? }');
  const epochs = figures.latentEpochs;
  if (epochs === undefined) return { latentEpochs: [] };
  if (!Array.isArray(epochs)) throw new TrainConfigError(`experiment config: figures.latentEpochs must be an array of 1-based epochs, got ${JSON.stringify(epochs)}`);
  for (const e of epochs as unknown[]) {
    if (typeof e !== 'number' || !Number.isInteger(e) || e < 1 || e > run.epochs) {
      throw new TrainConfigError(`experiment config: figures.latentEpochs entries must be integers in [1, ${run.epochs}] (1-based epochs of this run), got ${JSON.stringify(e)}`);
    }
  }
  if (new Set(epochs).size !== epochs.length) throw new TrainConfigError(`experiment config: figures.latentEpochs has duplicates: ${epochs.join(', ')}`);
  if (epochs.length > 0 && run.multiDomain) throw new TrainConfigError('experiment config: figures.latentEpochs applies to single-domain runs (the shape encoder of SPAR / combined regularization)');
  if (epochs.length > 0 && !run.shapeEncoder) {
    throw new TrainConfigError("experiment config: figures.latentEpochs needs a shape encoder: procedure 'spar', or 'combined-regularization' with lambda1 > 0 (in a comparison, give figures per method)");
  }
  return { latentEpochs: [...epochs].sort((a, b) => a - b) };
}

/** Validates the data source fields: `dir` (made absolute), `layout`, and what does not apply on disk. */
function resolveDataSource(data: ExperimentConfig['data']): { dir: string | null; layout: ExperimentDataLayout } {
  const layout = data.layout ?? 'folders';
  if (!DATA_LAYOUTS.includes(layout)) {
    throw new TrainConfigError(`experiment config: data.layout must be ${DATA_LAYOUTS.map((l) => `'${l}'`).join(' or ')}, got '${String(layout)}'`);
  }
  if (data.dir === undefined) {
    if (data.layout !== undefined) throw new TrainConfigError('experiment config: data.layout needs data.dir (the on-disk datasets)');
    return { dir: null, layout };
  }
  if (typeof data.dir !== 'string' || data.dir === '') throw new TrainConfigError(`experiment config: data.dir must be a non-empty folder path, got ${JSON.stringify(data.dir)}`);
  if (data.shape !== undefined) {
    throw new TrainConfigError('experiment config: data.shape is the phantom grid and does not apply with data.dir (on-disk volumes keep their own grid)');
  }
  if (layout === 'msd' && data.domains !== undefined) {
    throw new TrainConfigError("experiment config: data.layout 'msd' is one task folder (a single domain); use data.domain, or layout 'folders' for data.domains");
  }
  return { dir: resolve(data.dir), layout };
}

const PROCEDURES: readonly ExperimentProcedure[] = ['baseline', 'combined-regularization', 'spar', 'multi-task'];

function positive(name: string, v: number, integer = true): void {
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new TrainConfigError(`experiment config: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  }
}

/**
 * Fills the defaults of an experiment config and validates it.
 * @throws {@link TrainConfigError} naming the first invalid field.
 */
export function resolveExperimentConfig(config: ExperimentConfig): ResolvedExperimentConfig {
  if (config == null || typeof config !== 'object') throw new TrainConfigError('experiment config: expected an object');
  if (typeof config.name !== 'string' || config.name === '') throw new TrainConfigError('experiment config: name must be a non-empty string');
  if (typeof config.outputDir !== 'string' || config.outputDir === '') throw new TrainConfigError('experiment config: outputDir must be a non-empty string');
  if (config.data == null) throw new TrainConfigError('experiment config: data is required');
  const preset = config.preset !== undefined ? trainingPreset(config.preset) : null;
  if (config.data.domain !== undefined && config.data.domains !== undefined) {
    throw new TrainConfigError('experiment config: give data.domain (one joint) or data.domains (multi-task), not both');
  }
  if (config.data.domains !== undefined && (!Array.isArray(config.data.domains) || config.data.domains.length === 0)) {
    throw new TrainConfigError('experiment config: data.domains must be a non-empty array of joints');
  }
  const data = resolveDataSource(config.data);
  const transfer = config.transfer;
  if (transfer !== undefined && data.dir !== null) {
    throw new TrainConfigError('experiment config: transfer pre-trains on a phantom joint; it is not supported with data.dir');
  }
  if (transfer !== undefined) {
    if (transfer == null || typeof transfer !== 'object') throw new TrainConfigError('experiment config: transfer must be { from, to, pretrainEpochs?, fineTuneEpochs? }');
    for (const k of ['from', 'to'] as const) {
      if (!PHANTOM_DOMAINS.includes(transfer[k])) throw new TrainConfigError(`experiment config: transfer.${k} must be one of ${PHANTOM_DOMAINS.join(', ')}, got '${String(transfer[k])}'`);
    }
    if (transfer.from === transfer.to) throw new TrainConfigError(`experiment config: transfer.from and transfer.to are both '${transfer.to}'`);
    if (config.data.domains !== undefined) throw new TrainConfigError('experiment config: transfer is single-domain (from → to); drop data.domains');
    if (config.data.domain !== undefined && config.data.domain !== transfer.to) {
      throw new TrainConfigError(`experiment config: data.domain '${config.data.domain}' contradicts transfer.to '${transfer.to}'`);
    }
  }
  const domains: string[] =
    config.data.domains ??
    (config.data.domain !== undefined
      ? [config.data.domain]
      : transfer !== undefined
        ? [transfer.to]
        : data.dir !== null && data.layout === 'msd'
          ? [basename(data.dir)]
          : []);
  if (domains.length === 0) {
    throw new TrainConfigError(`experiment config: data.domain or data.domains is required${data.dir !== null ? ' (domain folder names under data.dir)' : ''}`);
  }
  for (const d of domains) {
    if (data.dir !== null) {
      if (typeof d !== 'string' || d === '' || d === '.' || d === '..' || /[/\\]/.test(d)) {
        throw new TrainConfigError(`experiment config: data.domain(s) with data.dir must be folder names, got '${String(d)}'`);
      }
    } else if (!(PHANTOM_DOMAINS as readonly string[]).includes(d)) {
      throw new TrainConfigError(`experiment config: unknown phantom domain '${String(d)}' (expected ${PHANTOM_DOMAINS.join(', ')}; or give data.dir for on-disk datasets)`);
    }
  }
  if (new Set(domains).size !== domains.length) throw new TrainConfigError(`experiment config: data.domains has duplicates: ${domains.join(', ')}`);
  const multiDomain = config.data.domains !== undefined;
  const procedure = config.procedure ?? (multiDomain ? 'multi-task' : 'combined-regularization');
  if (!PROCEDURES.includes(procedure)) {
    throw new TrainConfigError(`experiment config: procedure must be one of ${PROCEDURES.map((p) => `'${p}'`).join(', ')}, got '${String(procedure)}'`);
  }
  if (multiDomain !== (procedure === 'multi-task')) {
    throw new TrainConfigError(
      multiDomain
        ? `experiment config: data.domains needs procedure 'multi-task', got '${procedure}'`
        : "experiment config: procedure 'multi-task' needs data.domains (the joints trained together)",
    );
  }
  const strategy = config.strategy ?? 'multi';
  if (strategy !== 'multi' && strategy !== 'global' && strategy !== 'individual') {
    throw new TrainConfigError(`experiment config: strategy must be 'multi', 'global' or 'individual', got '${String(strategy)}'`);
  }
  if (multiDomain && strategy !== 'multi') throw new TrainConfigError(`experiment config: multi-domain networks use the 'multi' strategy, got '${strategy}'`);
  const domainStrategy = config.domainStrategy ?? 'dsl';
  if (domainStrategy !== 'shared' && domainStrategy !== 'dsl') {
    throw new TrainConfigError(`experiment config: domainStrategy must be 'shared' or 'dsl', got '${String(domainStrategy)}'`);
  }
  const lambdas = preset?.lambdas ?? {};
  const lambda1 =
    procedure === 'combined-regularization'
      ? (config.lambda1 ?? lambdas['lambda1'] ?? 0.1)
      : procedure === 'multi-task'
        ? (config.lambda1 ?? lambdas['lambda1'] ?? 0.05)
        : 0;
  const lambda2 =
    procedure === 'combined-regularization'
      ? (config.lambda2 ?? lambdas['lambda2'] ?? 0.01)
      : procedure === 'multi-task'
        ? (config.lambda2 ?? lambdas['lambda2'] ?? 0.5)
        : 0;
  const lambda = procedure === 'spar' ? (config.lambda ?? lambdas['lambda'] ?? 0.01) : 0;
  const lambda3 = procedure === 'multi-task' ? (config.lambda3 ?? lambdas['lambda3'] ?? 0.1) : 0;
  for (const [k, v] of [['lambda1', lambda1], ['lambda2', lambda2], ['lambda', lambda], ['lambda3', lambda3]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new TrainConfigError(`experiment config: ${k} must be ≥ 0, got ${v}`);
  }
  const codeDistance = config.codeDistance ?? 'sum';
  if (codeDistance !== 'sum' && codeDistance !== 'mean') {
    throw new TrainConfigError(`experiment config: codeDistance must be 'sum' or 'mean', got '${String(codeDistance)}'`);
  }
  const resolved: ResolvedExperimentConfig = {
    name: config.name,
    outputDir: config.outputDir,
    seed: config.seed ?? 0,
    data: {
      domain: domains[0] as string,
      domains,
      multiDomain,
      cases: config.data.cases ?? null,
      shape: config.data.shape ?? null,
      emptyFraction: config.data.emptyFraction ?? 0.1,
      dir: data.dir,
      layout: data.layout,
    },
    network: {
      inputSize: config.network?.inputSize ?? [32, 32],
      depth: config.network?.depth ?? 2,
      filters: config.network?.filters ?? 8,
      attention: config.network?.attention ?? true,
      momentum: config.network?.momentum ?? 0.99,
      backbone: config.network?.backbone ?? null,
      widthDivisor: config.network?.widthDivisor ?? 1,
      weights: config.network?.weights ?? null,
    },
    procedure,
    strategy,
    domainStrategy,
    lambda1,
    lambda2,
    lambda,
    lambda3,
    codeDistance,
    multiScale: config.multiScale ?? true,
    learningRate: config.learningRate ?? preset?.learningRate ?? 1e-3,
    batchSize: config.batchSize ?? preset?.batchSize ?? 8,
    epochs: transfer?.fineTuneEpochs ?? config.epochs ?? preset?.epochs ?? 2,
    autoEncoderEpochs: config.autoEncoderEpochs ?? 1,
    augmentation: config.augmentation ?? false,
    transfer: transfer === undefined ? null : { from: transfer.from, to: transfer.to, pretrainEpochs: transfer.pretrainEpochs ?? config.epochs ?? preset?.epochs ?? 2 },
    folds: config.folds ?? null,
    closingRadius: config.closingRadius ?? 2,
    methods: null,
    figures: { latentEpochs: [] },
  };
  if (resolved.data.cases === null) {
    if (resolved.data.dir === null) throw new TrainConfigError('experiment config: data.cases is required for phantom cohorts (or give data.dir)');
  } else {
    positive('data.cases', resolved.data.cases);
    if (resolved.data.cases < 3) throw new TrainConfigError(`experiment config: data.cases must be ≥ 3 for leave-one-out, got ${resolved.data.cases}`);
  }
  positive('learningRate', resolved.learningRate, false);
  positive('batchSize', resolved.batchSize);
  positive('epochs', resolved.epochs);
  positive('autoEncoderEpochs', resolved.autoEncoderEpochs);
  const backbone = resolved.network.backbone;
  if (backbone !== null) {
    if (!BACKBONE_NAMES.includes(backbone)) {
      throw new TrainConfigError(`experiment config: network.backbone must be one of ${BACKBONE_NAMES.map((b) => `'${b}'`).join(', ')}, got '${String(backbone)}'`);
    }
    if (strategy === 'individual') throw new TrainConfigError("experiment config: network.backbone does not support the 'individual' strategy");
    const div = 2 ** (backbone === 'vgg' || backbone === 'res' ? 4 : 5);
    if (resolved.network.inputSize.some((n) => n % div !== 0)) {
      throw new TrainConfigError(`experiment config: network.inputSize ${resolved.network.inputSize.join('×')} must be divisible by ${div} for the '${backbone}' backbone`);
    }
    positive('network.widthDivisor', resolved.network.widthDivisor);
  }
  const momentum = resolved.network.momentum;
  if (!(Number.isFinite(momentum) && momentum >= 0 && momentum < 1)) {
    throw new TrainConfigError(`experiment config: network.momentum must be in [0, 1), got ${momentum}`);
  }
  if (resolved.transfer !== null) positive('transfer.pretrainEpochs', resolved.transfer.pretrainEpochs);
  if (resolved.augmentation !== false && (typeof resolved.augmentation !== 'string' || !(resolved.augmentation in AUGMENTATION_PRESETS))) {
    throw new TrainConfigError(
      `experiment config: augmentation must be false or one of ${Object.keys(AUGMENTATION_PRESETS).map((k) => `'${k}'`).join(', ')}, got '${String(resolved.augmentation)}'`,
    );
  }
  if (!(resolved.data.emptyFraction >= 0 && resolved.data.emptyFraction <= 1)) {
    throw new TrainConfigError(`experiment config: data.emptyFraction must be in [0, 1], got ${resolved.data.emptyFraction}`);
  }
  if (multiDomain && resolved.batchSize % domains.length !== 0) {
    throw new TrainConfigError(`experiment config: batchSize ${resolved.batchSize} must be a multiple of the ${domains.length} domains (domain-balanced batches)`);
  }
  if (resolved.folds !== null) {
    for (const f of resolved.folds) {
      // On-disk runs without data.cases check the upper bound once the datasets are open.
      if (!Number.isInteger(f) || f < 0 || f >= (resolved.data.cases ?? Infinity)) {
        throw new TrainConfigError(`experiment config: fold ${f} is out of range [0, ${resolved.data.cases ?? 'number of cases'})`);
      }
    }
  }
  // With methods, each method checks its own procedure (the top level's does not run).
  const shapeEncoder = config.methods !== undefined || procedure === 'spar' || (procedure === 'combined-regularization' && lambda1 > 0);
  const figures = resolveFigures(config.figures, { epochs: resolved.epochs, multiDomain, shapeEncoder });
  if (config.methods === undefined) return { ...resolved, figures };
  if (!Array.isArray(config.methods) || config.methods.length === 0) throw new TrainConfigError('experiment config: methods must be a non-empty array');
  const seen = new Set<string>();
  const methods = config.methods.map((m, i) => {
    if (typeof m?.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(m.name) || m.name === '.' || m.name === '..') {
      throw new TrainConfigError(`experiment config: methods[${i}].name must be a folder name of letters, digits, '.', '_' or '-', got '${String(m?.name)}'`);
    }
    if (seen.has(m.name)) throw new TrainConfigError(`experiment config: duplicate method name '${m.name}'`);
    seen.add(m.name);
    const { methods: _ignored, ...base } = config;
    void _ignored;
    return resolveExperimentConfig({ ...base, ...m, outputDir: join(config.outputDir, m.name) });
  });
  return { ...resolved, figures, methods };
}
