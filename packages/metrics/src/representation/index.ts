export { RepresentationInputError } from './errors.js';
export { mulberry32 } from './prng.js';
export { cosineSimilarity, cosineSimilarityAnalysis } from './cosineSimilarity.js';
export type {
  SimilaritySummary,
  WithinGroupSimilarity,
  BetweenGroupSimilarity,
  CosineSimilarityAnalysis,
  CosineSimilarityOptions,
} from './cosineSimilarity.js';
