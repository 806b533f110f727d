import { RepresentationInputError } from './errors.js';
import { mulberry32, randomIndex } from './prng.js';

/**
 * Cosine similarity a·b / (‖a‖‖b‖) of two vectors of equal length.
 *
 * @throws {@link RepresentationInputError} on a length mismatch, a zero vector or a non-finite value.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RepresentationInputError(`vectors have lengths ${a.length} and ${b.length}`);
  const ua = unitVector(a, 'a');
  const ub = unitVector(b, 'b');
  return dot(ua, ub);
}

function unitVector(v: ArrayLike<number>, name: string): Float64Array {
  if (v.length === 0) throw new RepresentationInputError(`${name} is empty`);
  const out = new Float64Array(v.length);
  let norm = 0;
  for (let i = 0; i < v.length; i += 1) {
    const x = v[i] as number;
    if (!Number.isFinite(x)) throw new RepresentationInputError(`${name}[${i}] is ${String(x)}; values must be finite`);
    out[i] = x;
    norm += x * x;
  }
  if (norm === 0) throw new RepresentationInputError(`${name} is the zero vector; its cosine similarity is undefined`);
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < out.length; i += 1) out[i] = (out[i] as number) * scale;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += (a[i] as number) * (b[i] as number);
  // rounding can push |s| a hair above 1 for parallel vectors
  return Math.max(-1, Math.min(1, s));
}

function dotAt(units: Float64Array, a: number, b: number, length: number): number {
  let s = 0;
  for (let k = 0; k < length; k += 1) s += (units[a + k] as number) * (units[b + k] as number);
  return Math.max(-1, Math.min(1, s));
}

/** Mean ± std of the cosine similarity over sampled pairs. */
export interface SimilaritySummary {
  /** Mean cosine similarity. */
  readonly mean: number;
  /** Population standard deviation (ddof 0). */
  readonly std: number;
  /** Number of sampled pairs. */
  readonly pairs: number;
}

/** Similarity within one group (intra-domain). */
export interface WithinGroupSimilarity extends SimilaritySummary {
  /** The group label. */
  readonly group: string;
}

/** Similarity between two groups (inter-domain). */
export interface BetweenGroupSimilarity extends SimilaritySummary {
  /** First group label (earlier in order of first appearance). */
  readonly groupA: string;
  /** Second group label. */
  readonly groupB: string;
}

/** Result of {@link cosineSimilarityAnalysis}. */
export interface CosineSimilarityAnalysis {
  /** One entry per group with at least two members, in order of first appearance. */
  readonly within: readonly WithinGroupSimilarity[];
  /** One entry per unordered pair of groups. */
  readonly between: readonly BetweenGroupSimilarity[];
}

/** Options of {@link cosineSimilarityAnalysis}. */
export interface CosineSimilarityOptions {
  /** Random pairs per group and per pair of groups; default 100 000 (10⁵, as in the paper). */
  readonly pairs?: number;
  /** Seed of the {@link mulberry32} generator; default 0. */
  readonly seed?: number;
}

/**
 * Table 5 of the multi-task paper: mean ± std cosine similarity of embeddings within each group
 * (pairs of two distinct members) and between every two groups, each on `pairs` pairs drawn uniformly
 * with replacement by a seeded generator, so results are reproducible.
 *
 * @param embeddings - One vector per sample (e.g. the GAP embedding at one scale).
 * @param groups - The group (domain) of every sample.
 * @param options - Number of pairs and seed.
 * @throws {@link RepresentationInputError} when lengths differ, a vector is zero, empty or non-finite,
 *   dimensions differ, `pairs` is not a positive integer, or there are no groups.
 */
export function cosineSimilarityAnalysis(
  embeddings: readonly ArrayLike<number>[],
  groups: readonly (string | number)[],
  options: CosineSimilarityOptions = {},
): CosineSimilarityAnalysis {
  const pairs = options.pairs ?? 100_000;
  if (!Number.isInteger(pairs) || pairs < 1) throw new RepresentationInputError(`pairs = ${pairs}; expected a positive integer`);
  if (embeddings.length !== groups.length) {
    throw new RepresentationInputError(`embeddings has ${embeddings.length} vectors but groups has ${groups.length} labels`);
  }
  if (embeddings.length === 0) throw new RepresentationInputError('embeddings is empty');
  const dimension = (embeddings[0] as ArrayLike<number>).length;
  // unit vectors side by side in one buffer: the pair loop then runs over contiguous memory
  const units = new Float64Array(embeddings.length * dimension);
  embeddings.forEach((v, i) => {
    if (v.length !== dimension) throw new RepresentationInputError(`embeddings[${i}] has ${v.length} values; embeddings[0] has ${dimension}`);
    units.set(unitVector(v, `embeddings[${i}]`), i * dimension);
  });
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const key = String(g);
    const list = members.get(key);
    if (list === undefined) members.set(key, [i]);
    else list.push(i);
  });
  const random = mulberry32(options.seed ?? 0);
  const summarize = (draw: () => [number, number]): SimilaritySummary => {
    const values = new Float64Array(pairs);
    let sum = 0;
    for (let p = 0; p < pairs; p += 1) {
      const [i, j] = draw();
      const s = dotAt(units, i * dimension, j * dimension, dimension);
      values[p] = s;
      sum += s;
    }
    const mean = sum / pairs;
    let ss = 0;
    for (const v of values) ss += (v - mean) ** 2;
    return { mean, std: Math.sqrt(ss / pairs), pairs };
  };
  const labels = [...members.keys()];
  const within: WithinGroupSimilarity[] = [];
  for (const group of labels) {
    const list = members.get(group) as number[];
    if (list.length < 2) continue;
    within.push({
      group,
      ...summarize(() => {
        const a = randomIndex(random, list.length);
        let b = randomIndex(random, list.length - 1);
        if (b >= a) b += 1;
        return [list[a] as number, list[b] as number];
      }),
    });
  }
  const between: BetweenGroupSimilarity[] = [];
  for (let x = 0; x < labels.length; x += 1) {
    for (let y = x + 1; y < labels.length; y += 1) {
      const listA = members.get(labels[x] as string) as number[];
      const listB = members.get(labels[y] as string) as number[];
      between.push({
        groupA: labels[x] as string,
        groupB: labels[y] as string,
        ...summarize(() => [listA[randomIndex(random, listA.length)] as number, listB[randomIndex(random, listB.length)] as number]),
      });
    }
  }
  return { within, between };
}
