import { RankingInputError } from './errors.js';
import { COMBREG_RANKING_RULES, validateRules, type RankingRules } from './rules.js';
import { caseScore, type RankingCase } from './score.js';

/** A method to rank and its per-case metric values. */
export interface RankingMethodInput {
  /** Method name, e.g. `CombRegMulti Res-UNet`. */
  readonly name: string;
  /** Its cases (one entry per 3D segmentation). */
  readonly cases: readonly RankingCase[];
}

/** Options of {@link rankMethods}. */
export interface RankMethodsOptions {
  /** Metric rules; default {@link COMBREG_RANKING_RULES} (Table 1 of the paper). */
  readonly rules?: RankingRules;
  /** Delta degrees of freedom of the std over cases; default 0 (numpy's default). */
  readonly ddof?: number;
}

/** One ranked method. */
export interface MethodRanking {
  /** Method name. */
  readonly name: string;
  /** Mean case score in [0, 100]. */
  readonly mean: number;
  /** Standard deviation of the case scores. */
  readonly std: number;
  /** Rank by mean score, 1 = best; methods with equal means share the lower rank (1, 2, 2, 4). */
  readonly rank: number;
  /** Score of every case, in input order. */
  readonly caseScores: readonly number[];
}

/** Result of {@link rankMethods}: methods in rank order (ties keep input order). */
export interface RankingResult {
  /** The ranked methods, best first. */
  readonly methods: readonly MethodRanking[];
  /** The rules used. */
  readonly rules: RankingRules;
}

/**
 * The ranking system of the combined-regularization paper: every metric value is mapped linearly from
 * its threshold (0) to its best value (100), 0 beyond the threshold; a case scores the mean over its
 * metrics; a method scores mean ± std over its cases; methods are ranked by mean score.
 *
 * @param methods - Methods with their per-case metric values.
 * @param options - Rules and std convention; see {@link RankMethodsOptions}.
 * @throws {@link RankingInputError} on no methods, duplicate names, a method without cases, a missing
 *   or NaN metric, a value better than its best, or invalid rules.
 */
export function rankMethods(methods: readonly RankingMethodInput[], options: RankMethodsOptions = {}): RankingResult {
  const rules = options.rules ?? COMBREG_RANKING_RULES;
  const ddof = options.ddof ?? 0;
  validateRules(rules);
  if (methods.length === 0) throw new RankingInputError('no methods to rank');
  const seen = new Set<string>();
  const scored = methods.map((method) => {
    if (seen.has(method.name)) throw new RankingInputError(`method name ${JSON.stringify(method.name)} appears twice`);
    seen.add(method.name);
    if (method.cases.length <= ddof) {
      throw new RankingInputError(`method ${JSON.stringify(method.name)} has ${method.cases.length} cases; needs more than ddof = ${ddof}`);
    }
    const caseScores = method.cases.map((c, i) => caseScore(c, rules, `method ${JSON.stringify(method.name)}, case ${i}`));
    let sum = 0;
    for (const s of caseScores) sum += s;
    const mean = sum / caseScores.length;
    let ss = 0;
    for (const s of caseScores) ss += (s - mean) ** 2;
    return { name: method.name, mean, std: Math.sqrt(ss / (caseScores.length - ddof)), caseScores };
  });
  const order = scored.map((_, i) => i).sort((a, b) => (scored[b] as { mean: number }).mean - (scored[a] as { mean: number }).mean || a - b);
  const ranked: MethodRanking[] = [];
  order.forEach((index, position) => {
    const entry = scored[index] as (typeof scored)[number];
    const previous = ranked[position - 1];
    const rank = previous !== undefined && previous.mean === entry.mean ? previous.rank : position + 1;
    ranked.push({ ...entry, rank });
  });
  return { methods: ranked, rules };
}
