import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { DomainLabelError, LossDtypeError, LossRankError } from './errors.js';

/**
 * Per-sample domain indices, one per image of the batch: an `int32` tensor of shape `[batch]` (the
 * convention of every `@pedseg` layer and loss) or a plain array of non-negative integers.
 */
export type DomainIndices = Tensor1D | readonly number[];

/**
 * Reads and checks domain indices against the batch size (and the number of domains when known).
 * Reading a `[batch]` int32 tensor is a tiny synchronous download; the losses need the values on
 * the host anyway to build positive-pair masks and per-domain weights without NaN-prone divisions.
 */
export function readDomains(domains: DomainIndices, batch: number, numDomains?: number): Int32Array {
  let values: ArrayLike<number>;
  if (Array.isArray(domains)) {
    values = domains as readonly number[];
  } else {
    const t = domains as Tensor;
    if (t.rank !== 1) {
      throw new LossRankError(`domains must be a rank-1 tensor [batch], got rank ${t.rank}`);
    }
    if (t.dtype !== 'int32') {
      throw new LossDtypeError(`domains must be an int32 tensor, got ${t.dtype}`);
    }
    values = t.dataSync() as Int32Array;
  }
  if (values.length !== batch) {
    throw new DomainLabelError(`domains has ${values.length} entries but the batch has ${batch} samples`);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0) {
      throw new DomainLabelError(`domains[${i}] must be a non-negative integer, got ${String(v)}`);
    }
    if (numDomains !== undefined && v >= numDomains) {
      throw new DomainLabelError(`domains[${i}] = ${v} is not below the number of domains (${numDomains})`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Weights w_i such that Σ_i w_i·s_i = (1/K') Σ_k (1/n_k) Σ_{i: k_i = k} s_i, the mean over the K'
 * domains present in the batch of each domain's mean over its samples (papers' Eq. 1 and Eq. 7).
 * Domains absent from the batch are skipped rather than counted as zero.
 */
export function domainMeanWeights(domains: Int32Array): Float32Array {
  const counts = new Map<number, number>();
  for (const k of domains) counts.set(k, (counts.get(k) ?? 0) + 1);
  const present = counts.size;
  const w = new Float32Array(domains.length);
  domains.forEach((k, i) => {
    w[i] = 1 / (present * (counts.get(k) as number));
  });
  return w;
}
