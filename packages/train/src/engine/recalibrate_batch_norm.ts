import { tensor, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel, LayerVariable } from '@tensorflow/tfjs-layers';
import { TrainConfigError } from '../errors.js';

/** What {@link recalibrateBatchNorm} changed. */
export interface BatchNormRecalibration {
  /** Moving-statistics variables (`moving_mean` / `moving_variance`) found and recomputed. */
  readonly variables: number;
  /** Batches run through the model. */
  readonly batches: number;
}

/** A layer's Keras-convention `momentum` field (tfjs-layers BatchNormalization and every DSBN layer of @pedseg/core). */
interface WithMomentum {
  momentum: number;
}

interface Statistic {
  readonly variable: LayerVariable;
  /** `[K, C]` per-domain rows (DSBN) or `[C]` (plain batch norm). */
  readonly perDomain: boolean;
  readonly channels: number;
  readonly rows: number;
}

const MOVING = /moving_(mean|variance)(_\d+)?$/;

type AnyLayer = LayersModel['layers'][number];

/** The model's layers, nested models expanded (their own layers hold the statistics and the momenta). */
function leafLayers(model: LayersModel): AnyLayer[] {
  const out: AnyLayer[] = [];
  const visit = (layer: AnyLayer): void => {
    const inner = (layer as unknown as { layers?: AnyLayer[] }).layers;
    if (Array.isArray(inner)) inner.forEach(visit);
    else if (!out.includes(layer)) out.push(layer);
  };
  model.layers.forEach(visit);
  return out;
}

/** Every moving mean / variance pair of the layers, the variance paired with its mean by name. */
function movingStatistics(layers: readonly AnyLayer[]): { means: Statistic[]; variances: Statistic[] } {
  const seen = new Set<number>();
  const byName = new Map<string, Statistic>();
  for (const layer of layers) {
    for (const variable of layer.nonTrainableWeights) {
      if (!MOVING.test(variable.name) || seen.has(variable.id)) continue;
      seen.add(variable.id);
      const shape = variable.shape;
      const perDomain = shape.length === 2;
      byName.set(variable.name, { variable, perDomain, channels: shape[shape.length - 1] as number, rows: perDomain ? (shape[0] as number) : 1 });
    }
  }
  const means: Statistic[] = [];
  const variances: Statistic[] = [];
  for (const [name, s] of byName) {
    if (!name.includes('moving_mean')) continue;
    const v = byName.get(name.replace('moving_mean', 'moving_variance'));
    if (v === undefined) continue;
    means.push(s);
    variances.push(v);
  }
  return { means, variances };
}

/** The domain index of every sample: the values of the batch's first int32 input, or all 0. */
function domainsOf(inputs: readonly Tensor[], batch: number): Int32Array {
  const d = inputs.find((t) => t.dtype === 'int32');
  if (d === undefined) return new Int32Array(batch);
  return Int32Array.from(d.dataSync());
}

/**
 * Batch-norm statistics recalibration (AdaBN; PyTorch's `torch.optim.swa_utils.update_bn`): runs `batches`
 * through `model` in training mode with no weight update and sets every moving mean and variance — of
 * tfjs-layers `BatchNormalization` and of the domain-specific batch norms of `@pedseg/core` (one `[K, C]`
 * row per domain) — to the statistics of the data it saw.
 *
 * Needed when a network is used in inference mode after too few training steps for its moving averages to
 * converge: a frozen auto-encoder pre-trained for one epoch with momentum 0.99 keeps most of its initial
 * statistics (0, 1), so its inference-mode codes are not the ones it learned.
 *
 * Every layer runs with its own batch statistics during the pass (as in training), so a layer's result is the
 * pooled statistics of its input over all samples of each domain: per domain k, with n_b samples of k in batch
 * b and that batch's moments μ_b, σ²_b (biased, over the samples of k and the spatial axes),
 * μ = Σ n_b μ_b / Σ n_b and σ² = Σ n_b (σ²_b + μ_b²) / Σ n_b − μ². For the first layer, or with one batch per
 * domain, these are exactly the population moments of the data; the mean equals `update_bn`'s cumulative
 * average, the variance also counts the spread of the batch means, which small batches would otherwise
 * miss. A domain absent from every batch keeps its statistics; so do all weights. The layers' momenta are
 * restored afterwards.
 *
 * @param model - A model with batch-norm layers; its `apply` must accept each batch.
 * @param batches - Model inputs (e.g. `[image, domain]`); the first int32 input gives each sample's domain
 *   (without one, every sample is domain 0). The caller keeps ownership of the tensors.
 * @returns How many statistics and batches were used.
 * @throws {@link TrainConfigError} if `batches` is empty or a batch-norm layer has no numeric `momentum`.
 */
export function recalibrateBatchNorm(model: LayersModel, batches: Iterable<Tensor | Tensor[]>): BatchNormRecalibration {
  const leaves = leafLayers(model);
  const { means, variances } = movingStatistics(leaves);
  const layers = leaves.filter((l) => l.nonTrainableWeights.some((w) => MOVING.test(w.name)));
  for (const l of layers) {
    if (typeof (l as unknown as Partial<WithMomentum>).momentum !== 'number') {
      throw new TrainConfigError(`recalibrateBatchNorm: layer '${l.name}' has moving statistics but no numeric momentum`);
    }
  }
  const momentumLayers = layers as unknown as WithMomentum[];
  // Per statistic: Σ n·μ and Σ n·(σ² + μ²) per row and channel, and Σ n per row.
  const sums = means.map((s) => ({ m: new Float64Array(s.rows * s.channels), q: new Float64Array(s.rows * s.channels), n: new Float64Array(s.rows) }));
  const saved = momentumLayers.map((l) => l.momentum);
  let count = 0;
  try {
    // Momentum 0: after a training-mode pass, each present domain's moving statistics ARE this batch's moments.
    for (const l of momentumLayers) l.momentum = 0;
    for (const batch of batches) {
      const inputs = Array.isArray(batch) ? batch : [batch];
      const size = inputs[0]?.shape[0] ?? 0;
      const domains = domainsOf(inputs, size);
      tidy(() => {
        model.apply(inputs.length === 1 ? (inputs[0] as Tensor) : inputs, { training: true });
      });
      means.forEach((s, i) => {
        const mean = s.variable.read().dataSync();
        const variance = (variances[i] as Statistic).variable.read().dataSync();
        const acc = sums[i] as { m: Float64Array; q: Float64Array; n: Float64Array };
        for (let r = 0; r < s.rows; r += 1) {
          const n = s.perDomain ? domains.reduce((a, k) => a + (k === r ? 1 : 0), 0) : size;
          if (n === 0) continue;
          acc.n[r] = (acc.n[r] as number) + n;
          for (let c = 0; c < s.channels; c += 1) {
            const j = r * s.channels + c;
            const mu = mean[j] as number;
            acc.m[j] = (acc.m[j] as number) + n * mu;
            acc.q[j] = (acc.q[j] as number) + n * ((variance[j] as number) + mu * mu);
          }
        }
      });
      count += 1;
    }
  } finally {
    momentumLayers.forEach((l, i) => (l.momentum = saved[i] as number));
  }
  if (count === 0) throw new TrainConfigError('recalibrateBatchNorm: no batches given');
  means.forEach((s, i) => {
    const v = (variances[i] as Statistic).variable;
    const acc = sums[i] as { m: Float64Array; q: Float64Array; n: Float64Array };
    // The pass overwrote the rows it touched: rebuild both variables from the sums, keeping untouched rows.
    const original = { mean: s.variable.read().dataSync().slice(), variance: v.read().dataSync().slice() };
    const mean = new Float32Array(original.mean.length);
    const variance = new Float32Array(original.variance.length);
    for (let r = 0; r < s.rows; r += 1) {
      const n = acc.n[r] as number;
      for (let c = 0; c < s.channels; c += 1) {
        const j = r * s.channels + c;
        if (n === 0) {
          mean[j] = original.mean[j] as number;
          variance[j] = original.variance[j] as number;
          continue;
        }
        const mu = (acc.m[j] as number) / n;
        mean[j] = mu;
        variance[j] = Math.max((acc.q[j] as number) / n - mu * mu, 0);
      }
    }
    tidy(() => {
      s.variable.write(tensor(mean, s.variable.shape as number[]));
      v.write(tensor(variance, v.shape as number[]));
    });
  });
  return { variables: 2 * means.length, batches: count };
}
