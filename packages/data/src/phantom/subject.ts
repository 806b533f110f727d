import type { Rng } from '../random.js';
import { DOMAIN_ACQUISITION, type PhantomDomain } from './domains.js';

/** The random subject and acquisition factors of one phantom case. */
export interface PhantomSubject {
  /** Age in years, within the domain's cohort range. */
  readonly age: number;
  /** Linear size of the anatomy relative to the domain's reference subject (≈ 0.6–1.05). */
  readonly sizeFactor: number;
  /** Whether the case carries the domain's pathological deformation (see the anatomy notes). */
  readonly pathological: boolean;
  /** Whether the image has motion ghosting along the phase-encoding direction (y). */
  readonly motion: boolean;
  /** Whether growth plates are still open (non-ossified slabs inside the long bones). */
  readonly openPhysis: boolean;
}

/** Options that force subject factors instead of drawing them. */
export interface SubjectOverrides {
  /** Force the pathological deformation on or off. */
  readonly pathological?: boolean;
  /** Force motion ghosting on or off. */
  readonly motion?: boolean;
  /** Force the age (years). */
  readonly age?: number;
}

/** Probability that a phantom case shows motion ghosting when not forced. */
export const MOTION_PROBABILITY = 0.2;

const SIZE_RANGE: Readonly<Record<PhantomDomain, readonly [number, number]>> = {
  ankle: [0.8, 1.0],
  knee: [0.92, 1.04],
  shoulder: [0.62, 1.0],
};

/** Draws the subject factors of one case. Size grows linearly with age, ±4 % between subjects. */
export function sampleSubject(domain: PhantomDomain, rng: Rng, overrides: SubjectOverrides = {}): PhantomSubject {
  const acq = DOMAIN_ACQUISITION[domain];
  const [a0, a1] = acq.ageRange;
  const ageDraw = rng.uniform(a0, a1);
  const age = overrides.age ?? ageDraw;
  const t = Math.min(1, Math.max(0, (age - a0) / (a1 - a0)));
  const [s0, s1] = SIZE_RANGE[domain];
  const sizeFactor = Math.min(s1 * 1.02, (s0 + t * (s1 - s0)) * (1 + 0.04 * Math.max(-1, Math.min(1, rng.normal() * 0.5))));
  const pathDraw = rng.bernoulli(acq.pathologicalFraction);
  const motionDraw = rng.bernoulli(MOTION_PROBABILITY);
  return {
    age,
    sizeFactor,
    pathological: overrides.pathological ?? pathDraw,
    motion: overrides.motion ?? motionDraw,
    openPhysis: age < 15.5,
  };
}
