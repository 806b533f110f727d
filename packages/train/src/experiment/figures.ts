import { join } from 'node:path';
import { dispose, fill, image as tfImage, mean, slice, tensor4d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { SliceSet } from '@pedseg/data';
import type { SegmentationNetwork } from '@pedseg/models';
import { attentionOverlaySvg, contourOverlaySvg } from '../figures/overlays.js';
import type { Slice2D } from '../figures/overlays.js';
import { scatterSvg } from '../figures/scatter.js';
import { writeFigure } from '../figures/write.js';
import { embedLatent, writeLatentScatter } from './latent_figures.js';
import type { LatentPoint } from './latent_figures.js';
import { tsnePanelsSvg } from './tsne_panels.js';

/** The test slices of one case, and how to read the network's output for them. */
export interface FigureCase {
  /** Case id (file names). */
  readonly caseId: string;
  /** Joint of the case (t-SNE colour). */
  readonly domain: string;
  /** Domain index fed to a multi-domain network, or null for a single-domain one. */
  readonly domainIndex: number | null;
  /** The case's labelled slices at the network's input size. */
  readonly slices: SliceSet;
  /** Probabilities `[B, H, W, C]` → label map `[B, H, W]` in the same label values as {@link truth}. */
  readonly decode: (probs: Tensor, domains: Tensor1D | null) => Tensor;
  /** Ground-truth label value → the label drawn (e.g. every bone → 1 for the `global` strategy). */
  readonly truth?: (label: number) => number;
}

/** Contour slices drawn per case. */
const CONTOUR_SLICES = 3;

/** Up to `count` slice positions spread evenly over `n` slices. */
function spread(n: number, count: number): number[] {
  const k = Math.min(n, count);
  return Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * n) / k));
}

function slice2d(data: ArrayLike<number>, s: number, H: number, W: number): Slice2D {
  return { width: W, height: H, data: Array.from({ length: H * W }, (_, k) => data[s * H * W + k] as number) };
}

/**
 * The figures of a fold, written into `DIR/figures/`: for each test case, predicted-vs-ground-truth
 * contour overlays of a few slices (`contours-<case>-z<k>.svg`) and, for an attention UNet, the finest
 * attention gate's coefficients resized to the slice over its middle one (`attention-<case>-z<k>.svg`);
 * with more than one joint, paper 002's Fig. 8 view of the network: for every embedding scale
 * s = 1…2·depth+1 (encoder, bottleneck, decoder), a t-SNE of the global-average-pooled embeddings z_s of
 * every test slice coloured by joint (`tsne-scale-<s>.svg` and its points `tsne-scale-<s>.json`; PCA to
 * 50, perplexity 30 — lowered to (n − 1)/3 for fewer than 91 slices, which t-SNE needs — learning rate
 * 200, seeded, at most `TSNE_MAX_POINTS` slices), their small multiples (`tsne-scales.svg`), and the
 * bottleneck's (middle scale's) view again as `tsne-bottleneck.svg`.
 *
 * @returns the written file names, relative to `DIR`.
 */
export async function writeFoldFigures(dir: string, network: SegmentationNetwork, cases: readonly FigureCase[], options: { seed: number; title: string; batchSize: number }): Promise<string[]> {
  const written: string[] = [];
  const scales = network.embeddingCount;
  const points: number[][][] = Array.from({ length: scales }, () => []);
  const meta: Omit<LatentPoint, 'xy'>[] = [];
  for (const c of cases) {
    const { height: H, width: W, count } = c.slices;
    if (count === 0) continue;
    const chosen = new Set(spread(count, CONTOUR_SLICES));
    const middle = spread(count, CONTOUR_SLICES)[Math.floor(Math.min(count, CONTOUR_SLICES) / 2)] as number;
    for (let start = 0; start < count; start += options.batchSize) {
      const B = Math.min(options.batchSize, count - start);
      const x = tensor4d(c.slices.images.slice(start * H * W, (start + B) * H * W), [B, H, W, 1]);
      const d = c.domainIndex === null ? null : (fill([B], c.domainIndex, 'int32') as Tensor1D);
      const outs = network.fullModel.apply(d === null ? x : [x, d], { training: false }) as Tensor[];
      const o = network.splitOutputs(outs);
      const labels = c.decode(o.segmentation, d);
      const predicted = labels.dataSync();
      const codes = o.embeddings.map((e) => tidy(() => mean(e, [1, 2])));
      codes.forEach((code, k) => (points[k] as number[][]).push(...(code.arraySync() as number[][])));
      for (let b = 0; b < B; b += 1) meta.push({ group: c.domain, kind: 'test', caseId: c.caseId, slice: c.slices.sliceIndices[start + b] as number });
      for (let b = 0; b < B; b += 1) {
        const s = start + b;
        const z = c.slices.sliceIndices[s] as number;
        if (chosen.has(s)) {
          const truth = slice2d(c.slices.labels, s, H, W);
          const gt = c.truth === undefined ? truth : { ...truth, data: Array.from(truth.data, c.truth) };
          const svg = contourOverlaySvg(slice2d(c.slices.images, s, H, W), gt, slice2d(predicted, b, H, W), { title: `${options.title} — ${c.caseId} z=${z} (solid: truth, dashed: prediction)` });
          const name = join('figures', `contours-${c.caseId}-z${z}.svg`);
          await writeFigure(join(dir, name), svg);
          written.push(name);
        }
        if (s === middle && o.attention.length > 0) {
          const finest = o.attention[o.attention.length - 1] as Tensor;
          const map = tidy(() => tfImage.resizeBilinear(slice(finest, [b, 0, 0, 0], [1, -1, -1, -1]) as Tensor4D, [H, W]).dataSync());
          const svg = attentionOverlaySvg(slice2d(c.slices.images, s, H, W), { width: W, height: H, data: map }, { title: `${options.title} — attention, ${c.caseId} z=${z}` });
          const name = join('figures', `attention-${c.caseId}-z${z}.svg`);
          await writeFigure(join(dir, name), svg);
          written.push(name);
        }
      }
      dispose([x, ...(d === null ? [] : [d]), ...outs, labels, ...codes]);
    }
  }
  if (new Set(meta.map((m) => m.group)).size > 1) written.push(...(await writeScaleTsnes(dir, points, meta, options)));
  return written;
}

/** The per-scale t-SNE figures of {@link writeFoldFigures}; `codes[s]` holds scale s + 1's pooled embeddings. */
async function writeScaleTsnes(dir: string, codes: readonly number[][][], meta: readonly Omit<LatentPoint, 'xy'>[], options: { seed: number; title: string }): Promise<string[]> {
  const written: string[] = [];
  const panels = [];
  const bottleneck = (codes.length - 1) / 2;
  for (const [k, scale] of codes.entries()) {
    const kept = embedLatent(scale, meta, options.seed);
    if (kept === null) return written;
    const dim = scale[0]?.length ?? 0;
    written.push(await writeLatentScatter(dir, `tsne-scale-${k + 1}`, kept, null, `${options.title} — t-SNE of embeddings z_s${k + 1} (d = ${dim})`));
    panels.push({ caption: `z_s${k + 1} (d = ${dim})`, points: kept });
    if (k === bottleneck) {
      const name = join('figures', 'tsne-bottleneck.svg');
      const svg = scatterSvg(kept.map((p) => p.xy), kept.map((p) => p.group), { title: `${options.title} — t-SNE of bottleneck embeddings` });
      await writeFigure(join(dir, name), svg);
      written.push(name);
    }
  }
  const name = join('figures', 'tsne-scales.svg');
  await writeFigure(join(dir, name), tsnePanelsSvg(panels, { title: `${options.title} — t-SNE of the embeddings at every scale`, shareAxes: false }));
  written.push(name);
  return written;
}
