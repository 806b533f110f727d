export { RankingInputError } from './errors.js';
export { COMBREG_RANKING_RULES, COMBREG_ROBUSTNESS_THRESHOLDS } from './rules.js';
export type { RankingMetricRule, RankingRules, AlternativeThreshold } from './rules.js';
export { metricScore, caseScore } from './score.js';
export type { RankingMetricValues, RankingCase } from './score.js';
export { rankMethods } from './rankMethods.js';
export type { RankingMethodInput, RankMethodsOptions, MethodRanking, RankingResult } from './rankMethods.js';
export { rankingRobustness } from './robustness.js';
export type { RankingRobustnessOptions, RankChange, RankingVariant, RankingRobustness } from './robustness.js';
