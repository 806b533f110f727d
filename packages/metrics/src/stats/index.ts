export {
  StatisticsInputError,
  EmptySampleError,
  SampleNotFiniteError,
  SampleLengthMismatchError,
  SampleTooSmallError,
  DegenerateSampleError,
  StatisticsOptionError,
} from './errors.js';
export type { StatisticalTestResult, Alternative } from './types.js';
export type { NumericSample } from './validate.js';
export { wilcoxonSignedRank } from './wilcoxon.js';
export type { WilcoxonOptions, WilcoxonResult, WilcoxonZeroMethod, WilcoxonMethod } from './wilcoxon.js';
export { ksTwoSample } from './ksTwoSample.js';
export type { KsTwoSampleOptions, KsTwoSampleResult, KsMethod } from './ksTwoSample.js';
export { dagostinoPearson, DAGOSTINO_MIN_SAMPLES } from './dagostinoPearson.js';
export type { DagostinoPearsonResult } from './dagostinoPearson.js';
export { meanStd, percentile, percentileSummary } from './summary.js';
export type { MeanStd, MeanStdOptions, PercentileSummary, PercentileSummaryOptions } from './summary.js';
export { erfc, normalCdf, normalSf, chiSquare2Sf } from './special.js';
export { kstwoSf, kolmogorovSf, smirnovSf } from './kolmogorov.js';
