import { checkInputSize, checkInt, checkOneOf, resolveWidths } from '../checks.js';
import { ModelConfigError } from '../errors.js';

/**
 * Output strategies of the combined-regularization paper (000, §3.2):
 * - `multi`: one network, softmax over the C bones plus background (C + 1 channels);
 * - `global`: one network, one sigmoid channel for "any bone" (the union of the C structures);
 * - `individual`: C independent single-bone networks, each with one sigmoid channel.
 */
export type OutputStrategy = 'multi' | 'global' | 'individual';

/**
 * Multi-task, multi-domain strategies of the multi-task paper (002, §3.3):
 * - `shared`: every parameter shared across domains, ordinary batch norm, one softmax head over the union of
 *   all domains' labels (background shared, see {@link sharedLabelOffsets});
 * - `dsl`: shared convolution kernels, domain-specific batch normalization everywhere (blocks and attention
 *   gates), and domain-specific softmax heads (Eq. 4).
 */
export type DomainStrategy = 'shared' | 'dsl';

/** The multi-domain part of {@link SegmentationNetworkOptions}. */
export interface DomainOptions {
  /** `shared` or `dsl` — the one option an ablation changes. */
  strategy: DomainStrategy;
  /** |C_k| per domain k, background included (e.g. `[4, 4, 3]`); K = `classCounts.length`. */
  classCounts: number[];
}

/** Options of {@link buildUNet} / {@link buildAttentionUNet}. */
export interface SegmentationNetworkOptions {
  /** Spatial input size `[H, W]` (default `[256, 256]`); each must be divisible by `2^depth`. */
  inputSize?: [number, number];
  /** Image channels (default 1, grayscale MR). */
  inputChannels?: number;
  /** Number of poolings (default 4, giving 2·4 + 1 = 9 embedding scales as in the multi-task paper). */
  depth?: number;
  /** Width of the first level; level l has `filters · 2^l` channels (default 32: 7.9M parameters for Att-UNet). */
  filters?: number;
  /** Explicit widths per level, `depth + 1` integers (overrides `filters`). */
  widths?: number[];
  /** Additive attention gates on every skip connection (default false; true for {@link buildAttentionUNet}). */
  attention?: boolean;
  /** Single-domain output strategy (default `multi`). Multi-domain networks are always `multi`. */
  outputStrategy?: OutputStrategy;
  /** C, the number of structures (bones) for single-domain networks (default 1 with `global`). */
  numStructures?: number;
  /** Multi-domain, multi-task variant; absent for a single-domain network. */
  domains?: DomainOptions;
  /** Batch-norm ε (default 1e-5, as the papers' PyTorch code). */
  epsilon?: number;
  /** Batch-norm momentum, Keras convention (default 0.99). */
  momentum?: number;
  /** Model name (default `unet` / `att_unet`). */
  name?: string;
}

/** Fully resolved {@link SegmentationNetworkOptions}. */
export interface ResolvedSegmentationOptions {
  /** `[H, W]`. */
  readonly inputSize: readonly [number, number];
  /** Image channels. */
  readonly inputChannels: number;
  /** Number of poolings. */
  readonly depth: number;
  /** Channels per level (length depth + 1, the last is the bottleneck). */
  readonly widths: readonly number[];
  /** Attention gates on. */
  readonly attention: boolean;
  /** Output strategy (`multi` for multi-domain networks). */
  readonly outputStrategy: OutputStrategy;
  /** C for single-domain networks (0 for multi-domain networks). */
  readonly numStructures: number;
  /** Multi-domain options, or null. */
  readonly domains: Readonly<DomainOptions> | null;
  /** Output channels of the segmentation output. */
  readonly outputChannels: number;
  /** Batch-norm ε. */
  readonly epsilon: number;
  /** Batch-norm momentum. */
  readonly momentum: number;
  /** Model name. */
  readonly name: string;
}

/**
 * Channel layout of the `shared` strategy's single head: channel 0 is the background of every domain, then
 * each domain's foreground classes in domain order. Domain k's class c ≥ 1 lives in channel
 * `offsets[k] + c − 1`; the head has `1 + Σ_k (|C_k| − 1)` channels.
 *
 * @param classCounts - |C_k| per domain, background included.
 * @returns the per-domain offsets and the total channel count.
 * @throws {@link ModelConfigError} for an empty list or a count < 1.
 */
export function sharedLabelOffsets(classCounts: readonly number[]): { offsets: number[]; channels: number } {
  if (!Array.isArray(classCounts) || classCounts.length === 0) {
    throw new ModelConfigError(`sharedLabelOffsets: classCounts must be a non-empty array, got ${JSON.stringify(classCounts)}`);
  }
  const offsets: number[] = [];
  let next = 1;
  classCounts.forEach((c, k) => {
    checkInt(c, `classCounts[${k}]`, 'sharedLabelOffsets');
    offsets.push(next);
    next += c - 1;
  });
  return { offsets, channels: next };
}

/** @internal Validates and completes the options. */
export function resolveSegmentationOptions(
  options: SegmentationNetworkOptions,
  defaults: { attention: boolean; name: string },
  where: string,
): ResolvedSegmentationOptions {
  if (options == null || typeof options !== 'object') {
    throw new ModelConfigError(`${where}: options must be an object, got ${String(options)}`);
  }
  const depth = checkInt(options.depth ?? 4, 'depth', where);
  const inputSize = checkInputSize(options.inputSize ?? [256, 256], depth, where) as [number, number];
  const inputChannels = checkInt(options.inputChannels ?? 1, 'inputChannels', where);
  const widths = resolveWidths(options.widths, options.filters ?? 32, depth, where);
  const epsilon = options.epsilon ?? 1e-5;
  const momentum = options.momentum ?? 0.99;
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new ModelConfigError(`${where}: epsilon must be a positive finite number, got ${epsilon}`);
  if (!(momentum >= 0 && momentum <= 1)) throw new ModelConfigError(`${where}: momentum must be in [0, 1], got ${momentum}`);
  const base = { inputSize, inputChannels, depth, widths, attention: options.attention ?? defaults.attention, epsilon, momentum, name: options.name ?? defaults.name };
  if (options.domains !== undefined) {
    const d = options.domains;
    const strategy = checkOneOf(d?.strategy, ['shared', 'dsl'] as const, 'domains.strategy', where);
    if (!Array.isArray(d.classCounts) || d.classCounts.length === 0) {
      throw new ModelConfigError(`${where}: domains.classCounts must be a non-empty array of class counts, got ${JSON.stringify(d.classCounts)}`);
    }
    const classCounts = d.classCounts.map((c, k) => checkInt(c, `domains.classCounts[${k}]`, where, 2));
    if (options.outputStrategy !== undefined && options.outputStrategy !== 'multi') {
      throw new ModelConfigError(`${where}: multi-domain networks use softmax heads (outputStrategy 'multi'), got '${options.outputStrategy}'`);
    }
    const outputChannels = strategy === 'dsl' ? Math.max(...classCounts) : sharedLabelOffsets(classCounts).channels;
    return { ...base, outputStrategy: 'multi', numStructures: 0, domains: { strategy, classCounts }, outputChannels };
  }
  const outputStrategy = checkOneOf(options.outputStrategy ?? 'multi', ['multi', 'global', 'individual'] as const, 'outputStrategy', where);
  const numStructures = checkInt(options.numStructures ?? (outputStrategy === 'global' ? 1 : undefined), 'numStructures', where);
  const outputChannels = outputStrategy === 'multi' ? numStructures + 1 : outputStrategy === 'global' ? 1 : numStructures;
  return { ...base, outputStrategy, numStructures, domains: null, outputChannels };
}
