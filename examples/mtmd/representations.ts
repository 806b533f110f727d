/**
 * The MTMD paper's analysis of the learnt shared representations (§3.5): the multi-scale embeddings
 * z_s1 … z_s(2·depth+1) of a trained multi-domain Att-UNet — each a global-average-pooled feature map,
 * the vectors the MSC term acts on — computed on every non-empty 2D slice of the training and
 * validation cases, then
 * - Table 5: mean ± std cosine similarity within each domain and between every two domains, on random
 *   pairs (`cosineSimilarityAnalysis` of @pedseg/metrics);
 * - Fig. 8: a t-SNE of each scale (PCA to 50 dimensions, perplexity 30, learning rate 200), one colour per
 *   domain, crosses for validation slices.
 */
import { join } from 'node:path';
import { dispose, fill, mean, tensor4d, tidy } from '@tensorflow/tfjs-core';
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { extractSlices } from '@pedseg/data';
import { cosineSimilarityAnalysis } from '@pedseg/metrics';
import type { CosineSimilarityAnalysis } from '@pedseg/metrics';
import { buildAttentionUNet } from '@pedseg/models';
import { Trainer, loadBestWeights, openExperimentCohort, resolveExperimentConfig, scatterSvg, tsne, writeFigure } from '@pedseg/train';
import type { ExperimentCohort, ExperimentConfig, ExperimentReport } from '@pedseg/train';
import { svgGrid } from '../_shared/figures.js';

/** Embeddings of one trained network: per scale, one vector per slice. */
export interface ScaleEmbeddings {
  /** `vectors[s][i]`: the GAP embedding of slice i at scale s (s = 0 is z_s1, the encoder's first level). */
  readonly vectors: number[][][];
  /** Domain of every slice. */
  readonly domains: string[];
  /** Whether each slice comes from a validation case (else training). */
  readonly validation: boolean[];
}

/** At most this many slices enter a t-SNE (exact t-SNE is O(n²) per iteration); more are thinned evenly. */
const TSNE_MAX_POINTS = 600;

/**
 * The embeddings of the method `name` of a multi-domain comparison, fold 0: rebuilds its Att-UNet,
 * loads the best-on-validation weights the runner saved, and runs every non-empty training and
 * validation slice of the fold through it (the test cases, listed in the method's report, are left out).
 */
export async function methodEmbeddings(config: ExperimentConfig, name: string, report: ExperimentReport): Promise<ScaleEmbeddings> {
  const resolved = resolveExperimentConfig(config);
  const cfg = resolved.methods?.find((m) => m.name === name);
  if (cfg === undefined) throw new Error(`methodEmbeddings: no method '${name}' in the config`);
  const cohort: ExperimentCohort = await openExperimentCohort(cfg);
  const domains = cfg.data.domains;
  const classCounts = domains.map((d) => (cohort.labels[d] as readonly string[]).length);
  const { inputSize, depth, filters, momentum } = cfg.network;
  const net = buildAttentionUNet({ inputSize, depth, filters, momentum, name: 'segmentation', domains: { strategy: cfg.domainStrategy, classCounts } });
  const trainer = new Trainer({ segmentation: { model: net.model, optimizer: { learningRate: cfg.learningRate } } });
  await loadBestWeights(join(cfg.outputDir, 'fold-0', 'checkpoints'), trainer);
  const testIds = new Set(report.cases.filter((c) => c.fold === 0).map((c) => `${c.domain ?? ''}/${c.caseId}`));
  // Lock-step fold 0 validates on each domain's second case (the runner's split: test, validation, train…).
  const out: ScaleEmbeddings = { vectors: Array.from({ length: net.embeddingCount }, () => []), domains: [], validation: [] };
  for (const [k, domain] of domains.entries()) {
    const ids = (cohort.caseIds[domain] ?? []).filter((id) => !testIds.has(`${domain}/${id}`));
    for (const [j, id] of ids.entries()) {
      const c = await cohort.load(domain, id);
      const slices = extractSlices(c.image, c.label, { size: inputSize, emptyFraction: 0, seed: cfg.seed, caseId: id });
      const { height: H, width: W, count } = slices;
      for (let start = 0; start < count; start += cfg.batchSize) {
        const B = Math.min(cfg.batchSize, count - start);
        const x = tensor4d(slices.images.slice(start * H * W, (start + B) * H * W), [B, H, W, 1]);
        const d = fill([B], k, 'int32') as Tensor1D;
        const outs = net.fullModel.apply([x, d], { training: false }) as Tensor[];
        const { embeddings } = net.splitOutputs(outs);
        embeddings.forEach((e, s) => {
          const rows = tidy(() => mean(e, [1, 2]).arraySync() as number[][]);
          (out.vectors[s] as number[][]).push(...rows);
        });
        for (let b = 0; b < B; b += 1) {
          out.domains.push(domain);
          out.validation.push(j === 0);
        }
        dispose([x, d, ...outs]);
      }
    }
  }
  trainer.dispose();
  const seen = new Set<number>();
  for (const w of [...net.model.weights, ...net.fullModel.weights]) {
    if (seen.has(w.id)) continue;
    seen.add(w.id);
    w.dispose();
  }
  return out;
}

/** Table 5 of the paper for one method: the cosine-similarity analysis of every scale. */
export function similarityByScale(e: ScaleEmbeddings, pairs: number, seed: number): CosineSimilarityAnalysis[] {
  // A slice whose embedding is exactly zero (every ReLU off) has no direction: left out.
  return e.vectors.map((rows) => {
    const keep = rows.map((r, i) => (r.some((v) => v !== 0) ? i : -1)).filter((i) => i >= 0);
    return cosineSimilarityAnalysis(
      keep.map((i) => rows[i] as number[]),
      keep.map((i) => e.domains[i] as string),
      { pairs, seed },
    );
  });
}

/** Evenly spaced subset of at most `limit` of `n` indices. */
function thin(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.floor(((i + 0.5) * n) / limit));
}

/**
 * Fig. 8 of the paper: one t-SNE per (method, scale), written as `DIR/tsne-<method>-s<k>.svg`, and a
 * grid `DIR/tsne-scales.svg` (methods in rows, scales in columns).
 * @returns the grid's path relative to `dir`.
 */
export async function writeScaleTsne(dir: string, methods: readonly { name: string; label: string; embeddings: ScaleEmbeddings }[], seed: number): Promise<string> {
  const cells: string[][] = [];
  for (const m of methods) {
    const row: string[] = [];
    const idx = thin(m.embeddings.domains.length, TSNE_MAX_POINTS);
    const groups = idx.map((i) => m.embeddings.domains[i] as string);
    const markers = idx.map((i) => (m.embeddings.validation[i] ? 'cross' : 'circle') as 'cross' | 'circle');
    for (const [s, rows] of m.embeddings.vectors.entries()) {
      const points = idx.map((i) => rows[i] as number[]);
      const perplexity = Math.min(30, (points.length - 1) / 3);
      const layout = tsne(points, { perplexity, learningRate: 200, pcaDimensions: 50, seed });
      const svg = scatterSvg(layout, groups, { title: `${m.label} — z_s${s + 1} (${(rows[0] ?? []).length}-d)`, size: 260, radius: 2.5, markers });
      await writeFigure(join(dir, `tsne-${m.name}-s${s + 1}.svg`), svg);
      row.push(svg);
    }
    cells.push(row);
  }
  await writeFigure(join(dir, 'tsne-scales.svg'), svgGrid(cells, methods.map((m) => m.label)));
  return 'tsne-scales.svg';
}
