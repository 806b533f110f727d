import { RankingInputError } from './errors.js';
import { rankMethods, type RankingMethodInput, type RankingResult } from './rankMethods.js';
import { COMBREG_RANKING_RULES, COMBREG_ROBUSTNESS_THRESHOLDS, type AlternativeThreshold, type RankingRules } from './rules.js';

/** Options of {@link rankingRobustness}. */
export interface RankingRobustnessOptions {
  /** Base rules; default {@link COMBREG_RANKING_RULES}. */
  readonly rules?: RankingRules;
  /** Thresholds to try, each on its own; default {@link COMBREG_ROBUSTNESS_THRESHOLDS} (Table S2). */
  readonly alternatives?: readonly AlternativeThreshold[];
  /** Delta degrees of freedom of the std over cases; default 0. */
  readonly ddof?: number;
}

/** A method whose rank differs from the base ranking. */
export interface RankChange {
  /** Method name. */
  readonly name: string;
  /** Rank under the base rules. */
  readonly baseRank: number;
  /** Rank under the alternative threshold. */
  readonly rank: number;
}

/** The ranking under one alternative threshold. */
export interface RankingVariant {
  /** The alternative applied. */
  readonly alternative: AlternativeThreshold;
  /** Full ranking with the modified rules. */
  readonly ranking: RankingResult;
  /** Rank of every method, by name. */
  readonly ranks: Readonly<Record<string, number>>;
  /** Methods whose rank changed (Table S2's bold entries). */
  readonly changed: readonly RankChange[];
}

/** Result of {@link rankingRobustness}. */
export interface RankingRobustness {
  /** The ranking with the base rules. */
  readonly base: RankingResult;
  /** One re-ranking per alternative threshold, in the given order. */
  readonly variants: readonly RankingVariant[];
  /** Methods whose rank never changed. */
  readonly stable: readonly string[];
}

/**
 * Robustness of a ranking to its thresholds (Table S2 of the combined-regularization paper): re-ranks
 * the methods with each alternative threshold applied on its own and reports which ranks changed.
 *
 * @throws {@link RankingInputError} when an alternative names a metric absent from the rules, or on any
 *   input {@link rankMethods} rejects.
 */
export function rankingRobustness(methods: readonly RankingMethodInput[], options: RankingRobustnessOptions = {}): RankingRobustness {
  const rules = options.rules ?? COMBREG_RANKING_RULES;
  const alternatives = options.alternatives ?? COMBREG_ROBUSTNESS_THRESHOLDS;
  const ddof = options.ddof ?? 0;
  const base = rankMethods(methods, { rules, ddof });
  const baseRanks = new Map(base.methods.map((m) => [m.name, m.rank]));
  const unstable = new Set<string>();
  const variants = alternatives.map((alternative) => {
    const rule = rules[alternative.metric];
    if (rule === undefined) {
      throw new RankingInputError(`alternative ${alternative.label} changes ${alternative.metric}, which is not among the ranking rules`);
    }
    const modified: RankingRules = { ...rules, [alternative.metric]: { best: rule.best, threshold: alternative.threshold } };
    const ranking = rankMethods(methods, { rules: modified, ddof });
    const ranks: Record<string, number> = {};
    const changed: RankChange[] = [];
    for (const m of ranking.methods) {
      ranks[m.name] = m.rank;
      const baseRank = baseRanks.get(m.name) as number;
      if (baseRank !== m.rank) {
        changed.push({ name: m.name, baseRank, rank: m.rank });
        unstable.add(m.name);
      }
    }
    return { alternative, ranking, ranks, changed };
  });
  const stable = methods.map((m) => m.name).filter((name) => !unstable.has(name));
  return { base, variants, stable };
}
