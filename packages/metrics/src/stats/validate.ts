import { EmptySampleError, SampleNotFiniteError } from './errors.js';

/** Numbers a test accepts: a plain array or any typed array. */
export type NumericSample = ArrayLike<number>;

/** Copies a sample into a Float64Array after checking it is non-empty and finite. */
export function checkedSample(sample: NumericSample, argument: string): Float64Array {
  if (sample.length === 0) throw new EmptySampleError(argument);
  const out = new Float64Array(sample.length);
  for (let i = 0; i < sample.length; i += 1) {
    const v = sample[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SampleNotFiniteError(argument, i, v);
    out[i] = v;
  }
  return out;
}
