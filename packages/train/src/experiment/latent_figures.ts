import { join } from 'node:path';
import { dispose, max, mean, tensor1d, tensor4d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { SliceSet } from '@pedseg/data';
import { historySeries, learningCurvesSvg } from '../figures/learning_curves.js';
import { scatterSvg } from '../figures/scatter.js';
import { tsne } from '../figures/tsne.js';
import { writeFigure } from '../figures/write.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { EpochRecord } from '../loop/types.js';
import { decodeLabels, imageBatch } from './batches.js';
import type { ExperimentStrategy } from './config.js';

/** At most this many codes enter one t-SNE (exact t-SNE is O(n²) per iteration); more are thinned evenly. */
export const TSNE_MAX_POINTS = 400;

/** One point of a latent-space t-SNE, as written next to the figure (`tsne-*.json`). */
export interface LatentPoint {
  /** Legend group (bone or joint). */
  readonly group: string;
  /**
   * What the code was computed from: a ground-truth mask, a predicted mask, a training / validation
   * mask, or a test slice's image (the segmentation network's embeddings).
   */
  readonly kind: 'truth' | 'prediction' | 'train' | 'validation' | 'test';
  /** Case of the slice. */
  readonly caseId: string;
  /** Slice position in its volume. */
  readonly slice: number;
  /** 1-based training epoch of a prediction's code (`tsne-shape-codes-epochs.json`); absent otherwise. */
  readonly epoch?: number;
  /** 2D t-SNE coordinates. */
  readonly xy: readonly [number, number];
}

/** Writes `DIR/autoencoder_learning_curves.svg`: every logged term of the auto-encoder pre-training (CE, MSC) per epoch. */
export async function writeAutoEncoderCurves(dir: string, history: readonly EpochRecord[], title: string): Promise<void> {
  if (history.length === 0) return;
  await writeFileAtomic(join(dir, 'autoencoder_learning_curves.svg'), learningCurvesSvg(historySeries(history), { title }));
}

/** Evenly spaced subset of at most `limit` indices of `n`. */
function thin(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor((i * n) / limit));
}

/**
 * t-SNE of codes (PCA to 50, perplexity 30 — lowered to (n − 1)/3 for fewer than 91 points, which
 * t-SNE needs — learning rate 200, seeded), at most {@link TSNE_MAX_POINTS} codes (thinned evenly).
 *
 * @returns the kept points with their 2D coordinates, or null with fewer than 4 codes.
 */
export function embedLatent(codes: readonly number[][], points: readonly Omit<LatentPoint, 'xy'>[], seed: number): LatentPoint[] | null {
  const keep = thin(codes.length, TSNE_MAX_POINTS);
  if (keep.length < 4) return null;
  const data = keep.map((i) => codes[i] as number[]);
  const perplexity = Math.min(30, (data.length - 1) / 3);
  const layout = tsne(data, { perplexity, learningRate: 200, pcaDimensions: 50, seed });
  return keep.map((i, j) => ({ ...(points[i] as Omit<LatentPoint, 'xy'>), xy: [layout[j]?.[0] as number, layout[j]?.[1] as number] as const }));
}

/** Writes `figures/<name>.svg` (one colour per group, a cross for `crossKind` points) and the points as `figures/<name>.json`. */
export async function writeLatentScatter(dir: string, name: string, kept: readonly LatentPoint[], crossKind: LatentPoint['kind'] | null, title: string): Promise<string> {
  const svg = scatterSvg(
    kept.map((p) => p.xy),
    kept.map((p) => p.group),
    { title, markers: kept.map((p) => (p.kind === crossKind ? 'cross' : 'circle')) },
  );
  const file = join('figures', `${name}.svg`);
  await writeFigure(join(dir, file), svg);
  await writeFileAtomic(join(dir, 'figures', `${name}.json`), JSON.stringify(kept));
  return file;
}

/**
 * {@link embedLatent} then {@link writeLatentScatter}.
 *
 * @returns the SVG's path relative to `dir`, or null with fewer than 4 codes.
 */
async function writeTsne(
  dir: string,
  name: string,
  codes: readonly number[][],
  points: readonly Omit<LatentPoint, 'xy'>[],
  crossKind: LatentPoint['kind'],
  options: { seed: number; title: string },
): Promise<string | null> {
  const kept = embedLatent(codes, points, options.seed);
  return kept === null ? null : writeLatentScatter(dir, name, kept, crossKind, options.title);
}

/** Global max pooling `[B, h, w, c]` → rows of c numbers (the papers' shape codes, SPAR §3.4 and 000 §5.2). */
function maxPooledCodes(encoder: LayersModel, input: Tensor): number[][] {
  return tidy(() => max(encoder.apply(input, { training: false }) as Tensor, [1, 2]).arraySync() as number[][]);
}

/** What {@link writeShapeCodeTsne} needs from a single-domain fold. */
export interface ShapeCodeTsneInput {
  /** The test case's slices (ground truth and images). */
  readonly slices: SliceSet;
  /** The trained segmentation network: images `[B, H, W, 1]` → probabilities. */
  readonly network: LayersModel;
  /** Output strategy of the network. */
  readonly strategy: ExperimentStrategy;
  /** Label names, background first. */
  readonly labelNames: readonly string[];
  /**
   * The frozen shape encoders: one for `multi` (C + 1 one-hot channels) and `global` (one channel),
   * one per bone for `individual` (one channel each, member c's own auto-encoder).
   */
  readonly encoders: readonly LayersModel[];
  /** Batch size of the forward passes. */
  readonly batchSize: number;
  /** t-SNE seed. */
  readonly seed: number;
  /** Figure title prefix. */
  readonly title: string;
}

/**
 * The SPAR paper's Fig. 3 view of a fold (also the combined-regularization paper's Fig. 11): the frozen
 * shape encoder projects every 2D bone mask of the test case — its ground truth and the network's
 * prediction — into the latent shape space, global max pooling turns each code map into a vector, and
 * an exact t-SNE embeds them in 2D, one colour per bone, circles for ground truth and crosses for
 * predictions (`figures/tsne-shape-codes.svg` and `.json`). A bone mask is encoded as the label map it
 * would be alone (one-hot with that bone and background for `multi`, one channel for `global` /
 * `individual`); for `global` the objects are the whole "bone" masks, as the network predicts no bone
 * names. Empty masks are left out (as in paper 002's t-SNE).
 *
 * @returns the written SVG path relative to `dir`, or null when there are fewer than 4 masks.
 */
export async function writeShapeCodeTsne(dir: string, input: ShapeCodeTsneInput): Promise<string | null> {
  const { codes, points } = collectShapeCodes(input, ['truth', 'prediction']);
  return writeTsne(dir, 'tsne-shape-codes', codes, points, 'prediction', {
    seed: input.seed,
    title: `${input.title} — t-SNE of shape codes (○ truth, × prediction)`,
  });
}

/**
 * The shape codes of {@link writeShapeCodeTsne} before the t-SNE: every non-empty 2D bone mask of the
 * slices' ground truth (`'truth'`) and / or of the network's current prediction (`'prediction'`),
 * encoded by the frozen shape encoder and global-max-pooled.
 */
export function collectShapeCodes(
  input: Omit<ShapeCodeTsneInput, 'seed' | 'title'>,
  kinds: readonly ('truth' | 'prediction')[],
): { codes: number[][]; points: Omit<LatentPoint, 'xy'>[] } {
  const { slices, strategy, labelNames, encoders } = input;
  const { height: H, width: W, count } = slices;
  const hw = H * W;
  const classes = labelNames.length;
  const objects = strategy === 'global' ? [1] : Array.from({ length: classes - 1 }, (_, c) => c + 1);
  const codes: number[][] = [];
  const points: Omit<LatentPoint, 'xy'>[] = [];
  for (let start = 0; start < count; start += input.batchSize) {
    const idx = Array.from({ length: Math.min(input.batchSize, count - start) }, (_, i) => start + i);
    let predicted: ArrayLike<number> = [];
    if (kinds.includes('prediction')) {
      const x = imageBatch(slices, idx);
      predicted = tidy(() => decodeLabels(input.network.predict(x) as Tensor, strategy).dataSync());
      x.dispose();
    }
    const readers = {
      truth: (s: number, k: number) => { const l = slices.labels[s * hw + k] as number; return strategy === 'global' ? (l > 0 ? 1 : 0) : l; },
      prediction: (s: number, k: number) => predicted[(s - start) * hw + k] as number,
    };
    for (const kind of kinds) {
      const labelOf = readers[kind];
      for (const label of objects) {
        const members = idx.filter((s) => {
          for (let k = 0; k < hw; k += 1) if (labelOf(s, k) === label) return true;
          return false;
        });
        if (members.length === 0) continue;
        const channels = strategy === 'multi' ? classes : 1;
        const buf = new Float32Array(members.length * hw * channels);
        members.forEach((s, i) => {
          for (let k = 0; k < hw; k += 1) {
            const on = labelOf(s, k) === label;
            if (channels === 1) buf[i * hw + k] = on ? 1 : 0;
            else buf[(i * hw + k) * channels + (on ? label : 0)] = 1;
          }
        });
        const masks = tensor4d(buf, [members.length, H, W, channels]);
        const encoder = (strategy === 'individual' ? encoders[label - 1] : encoders[0]) as LayersModel;
        const rows = maxPooledCodes(encoder, masks);
        masks.dispose();
        members.forEach((s, i) => {
          codes.push(rows[i] as number[]);
          points.push({ group: strategy === 'global' ? 'bone' : (labelNames[label] as string), kind, caseId: slices.caseIds[s] as string, slice: slices.sliceIndices[s] as number });
        });
      }
    }
  }
  return { codes, points };
}

/** What {@link writeJointCodeTsne} needs from a multi-domain fold. */
export interface JointCodeTsneInput {
  /** Per joint (domain index = position): its training and validation slice pools. */
  readonly pools: readonly { readonly train: SliceSet; readonly validation: SliceSet }[];
  /** Joint names (legend). */
  readonly joints: readonly string[];
  /** Padded label channels of the multi-joint auto-encoder (max |C_k|). */
  readonly maxClasses: number;
  /** The multi-joint auto-encoder's encoder F, inputs `[mask, domain]`. */
  readonly encoder: LayersModel;
  /** Batch size of the forward passes. */
  readonly batchSize: number;
  /** t-SNE seed. */
  readonly seed: number;
  /** Figure title prefix. */
  readonly title: string;
}

/**
 * Paper 002's Fig. 8 view of the multi-joint auto-encoder (§3.5): the ground-truth label maps of the
 * training (circles) and validation (crosses) slices of every joint, masks of background only
 * discarded, are encoded by the frozen encoder F; the codes, global-average-pooled as the paper's
 * embeddings z̃, are embedded by an exact t-SNE and coloured by joint
 * (`figures/tsne-autoencoder-codes.svg` and `.json`).
 *
 * @returns the written SVG path relative to `dir`, or null when there are fewer than 4 masks.
 */
export async function writeJointCodeTsne(dir: string, input: JointCodeTsneInput): Promise<string | null> {
  const codes: number[][] = [];
  const points: Omit<LatentPoint, 'xy'>[] = [];
  const C = input.maxClasses;
  for (const [k, joint] of input.joints.entries()) {
    const pools = input.pools[k];
    if (pools === undefined) continue;
    for (const [kind, set] of [['train', pools.train], ['validation', pools.validation]] as const) {
      const hw = set.height * set.width;
      const nonEmpty = Array.from({ length: set.count }, (_, s) => s).filter((s) => set.labels.subarray(s * hw, (s + 1) * hw).some((l) => l > 0));
      for (let start = 0; start < nonEmpty.length; start += input.batchSize) {
        const idx = nonEmpty.slice(start, start + input.batchSize);
        const buf = new Float32Array(idx.length * hw * C);
        idx.forEach((s, i) => {
          for (let p = 0; p < hw; p += 1) buf[(i * hw + p) * C + (set.labels[s * hw + p] as number)] = 1;
        });
        const masks = tensor4d(buf, [idx.length, set.height, set.width, C]);
        const d = tensor1d(idx.map(() => k), 'int32');
        const rows = tidy(() => mean(input.encoder.apply([masks, d], { training: false }) as Tensor, [1, 2]).arraySync() as number[][]);
        dispose([masks, d]);
        idx.forEach((s, i) => {
          codes.push(rows[i] as number[]);
          points.push({ group: joint, kind, caseId: set.caseIds[s] as string, slice: set.sliceIndices[s] as number });
        });
      }
    }
  }
  return writeTsne(dir, 'tsne-autoencoder-codes', codes, points, 'validation', {
    seed: input.seed,
    title: `${input.title} — t-SNE of multi-joint auto-encoder codes (○ train, × validation)`,
  });
}
