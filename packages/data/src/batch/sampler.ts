import * as tf from '@tensorflow/tfjs-core';
import type { Augmenter } from '../augment/augment.js';
import { DataArgumentError } from '../errors.js';
import { Rng } from '../random.js';
import type { SliceSet } from '../slices/extract.js';

/** One training batch (the caller disposes the tensors). */
export interface Batch {
  /** `[B, H, W, 1]` float32 normalized intensities. */
  readonly images: tf.Tensor4D;
  /** `[B, H, W]` int32 label values. */
  readonly labels: tf.Tensor3D;
  /** `[B]` int32 domain index of every sample, for the domain-specific layers. */
  readonly domain: tf.Tensor1D;
}

/** Where one sample of a batch comes from. */
export interface BatchEntry {
  /** Domain index (position of the pool). */
  readonly domain: number;
  /** Slice index inside that pool. */
  readonly slice: number;
}

/** Options of the batch samplers. */
export interface SamplerOptions {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Seed of the shuffling. */
  readonly seed: number;
  /** Optional on-the-fly augmentation applied to every batch. */
  readonly augmenter?: Augmenter;
}

/** Endless seeded shuffling without replacement: a fresh permutation each time the pool is used up. */
class Cycler {
  private order: number[] = [];
  private at = 0;
  constructor(
    private readonly count: number,
    private readonly rng: Rng,
  ) {}
  next(): number {
    if (this.at >= this.order.length) {
      this.order = this.rng.shuffle(Array.from({ length: this.count }, (_, i) => i));
      this.at = 0;
    }
    const v = this.order[this.at]!;
    this.at += 1;
    return v;
  }
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DataArgumentError(`batchSize must be a positive integer, got ${batchSize}`);
}

function buildBatch(poolOf: (domain: number) => SliceSet, entries: readonly BatchEntry[], augmenter: Augmenter | undefined): Batch {
  const { height: H, width: W } = poolOf(entries[0]!.domain);
  const plane = H * W;
  const B = entries.length;
  const images = new Float32Array(B * plane);
  const labels = new Int32Array(B * plane);
  const domain = new Int32Array(B);
  entries.forEach((e, b) => {
    const pool = poolOf(e.domain);
    images.set(pool.images.subarray(e.slice * plane, (e.slice + 1) * plane), b * plane);
    labels.set(pool.labels.subarray(e.slice * plane, (e.slice + 1) * plane), b * plane);
    domain[b] = e.domain;
  });
  const x = tf.tensor4d(images, [B, H, W, 1], 'float32');
  const y = tf.tensor3d(labels, [B, H, W], 'int32');
  const d = tf.tensor1d(domain, 'int32');
  if (!augmenter) return { images: x, labels: y, domain: d };
  const out = augmenter.apply(x, y);
  x.dispose();
  y.dispose();
  return { images: out.images, labels: out.labels as tf.Tensor3D, domain: d };
}

/**
 * Domain-balanced batches for the multi-task, multi-domain strategies: every batch holds
 * `batchSize / D` slices of each of the D domains (contiguous, in domain order), each domain's slices
 * shuffled without replacement and reshuffled when used up; `domain` carries the per-sample indices.
 */
export class DomainBalancedSampler {
  /** Slices per domain in each batch. */
  readonly perDomain: number;
  /** Batches needed to show every slice of the largest domain once. */
  readonly batchesPerEpoch: number;
  private readonly cyclers: Cycler[];

  /**
   * @param pools - one slice set per domain (domain index = position), all of the same slice size.
   * @param options - batch size (a multiple of the number of domains), seed, augmentation.
   * @throws {@link DataArgumentError} for an empty pool, differing slice sizes or an indivisible batch size.
   */
  constructor(
    private readonly pools: readonly SliceSet[],
    private readonly options: SamplerOptions,
  ) {
    checkBatchSize(options.batchSize);
    if (pools.length === 0) throw new DataArgumentError('DomainBalancedSampler: need at least one domain pool');
    if (options.batchSize % pools.length !== 0) {
      throw new DataArgumentError(`batchSize ${options.batchSize} is not a multiple of the number of domains ${pools.length}`);
    }
    pools.forEach((p, k) => {
      if (p.count === 0) throw new DataArgumentError(`domain ${k}: slice pool is empty`);
      if (p.height !== pools[0]!.height || p.width !== pools[0]!.width) {
        throw new DataArgumentError(`domain ${k}: slice size [${p.height}, ${p.width}] differs from domain 0 [${pools[0]!.height}, ${pools[0]!.width}]`);
      }
    });
    this.perDomain = options.batchSize / pools.length;
    const rng = new Rng(options.seed);
    this.cyclers = pools.map((p, k) => new Cycler(p.count, rng.fork(`domain-${k}`)));
    this.batchesPerEpoch = Math.ceil(Math.max(...pools.map((p) => p.count)) / this.perDomain);
  }

  /** The sources of the next batch (advances the sampler). */
  nextEntries(): BatchEntry[] {
    const out: BatchEntry[] = [];
    this.cyclers.forEach((c, domain) => {
      for (let i = 0; i < this.perDomain; i += 1) out.push({ domain, slice: c.next() });
    });
    return out;
  }

  /** The next batch as tensors (advances the sampler). */
  nextBatch(): Batch {
    return buildBatch((d) => this.pools[d]!, this.nextEntries(), this.options.augmenter);
  }
}

/**
 * Batches from one slice set, for the individual, transfer and shared strategies: seeded shuffling
 * without replacement, reshuffled every epoch; `domain` is filled with `domainIndex`.
 */
export class SingleDomainSampler {
  /** Batches per pass over the pool. */
  readonly batchesPerEpoch: number;
  private readonly cycler: Cycler;

  /**
   * @param pool - the slices.
   * @param options - batch size, seed, augmentation, and the domain index to report (default 0).
   */
  constructor(
    private readonly pool: SliceSet,
    private readonly options: SamplerOptions & { readonly domainIndex?: number },
  ) {
    checkBatchSize(options.batchSize);
    if (pool.count === 0) throw new DataArgumentError('SingleDomainSampler: slice pool is empty');
    const d = options.domainIndex ?? 0;
    if (!Number.isInteger(d) || d < 0) throw new DataArgumentError(`domainIndex must be a non-negative integer, got ${d}`);
    this.cycler = new Cycler(pool.count, new Rng(options.seed));
    this.batchesPerEpoch = Math.ceil(pool.count / options.batchSize);
  }

  /** The sources of the next batch (advances the sampler); `domain` is the reported domain index. */
  nextEntries(): BatchEntry[] {
    const domain = this.options.domainIndex ?? 0;
    return Array.from({ length: this.options.batchSize }, () => ({ domain, slice: this.cycler.next() }));
  }

  /** The next batch as tensors (advances the sampler). */
  nextBatch(): Batch {
    return buildBatch(() => this.pool, this.nextEntries(), this.options.augmenter);
  }
}
