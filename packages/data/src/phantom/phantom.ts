import { createVolume, type Volume } from '@pedseg/volume';
import { DataArgumentError } from '../errors.js';
import { Rng } from '../random.js';
import { buildAnatomy } from './anatomy.js';
import { BoneField } from './bone.js';
import { DOMAIN_CONTRAST, DOMAIN_LABELS, PAPER_COHORT_SIZES, PHANTOM_DOMAINS, type PhantomDomain } from './domains.js';
import { gridAffine, phantomGrid, type PhantomSize } from './geometry.js';
import { boneLandmarks, type BoneLandmarks } from './landmarks.js';
import { rasterise } from './rasterise.js';
import { sampleSubject, type PhantomSubject } from './subject.js';

/** Options of {@link generatePhantom}. */
export interface PhantomOptions {
  /** Seed of the cohort; the case's own stream is derived from it, the domain and `caseIndex`. */
  readonly seed: number;
  /** Index of the case in its cohort (0-based); default 0. */
  readonly caseIndex?: number;
  /** Grid size; default `'small'` (48 × 48 × 24). */
  readonly size?: PhantomSize;
  /** Force the pathological deformation on or off (default: drawn with the paper's frequency). */
  readonly pathological?: boolean;
  /** Force motion ghosting on or off (default: drawn, probability 0.2). */
  readonly motion?: boolean;
  /** Force the subject's age in years (size, growth plates and ossification follow it). */
  readonly age?: number;
  /** Landmarks per labelled bone; default 64; 0 skips them. */
  readonly landmarksPerBone?: number;
}

/** One synthetic case: image, label map, landmarks and the factors that made it. */
export interface Phantom {
  /** Joint. */
  readonly domain: PhantomDomain;
  /** Case identifier, `<domain>_<NNN>` with NNN = caseIndex + 1. */
  readonly caseId: string;
  /** Subject factors (age, size, pathology, motion). */
  readonly subject: PhantomSubject;
  /** T1-like intensities (scanner units, float32). */
  readonly image: Volume<Float32Array>;
  /** Label map on the same grid; values per {@link DOMAIN_LABELS}. */
  readonly label: Volume<Uint8Array>;
  /** Label names indexed by value. */
  readonly labels: readonly string[];
  /** Surface landmarks per labelled bone (world mm), in label order. */
  readonly landmarks: readonly BoneLandmarks[];
}

/** Identifier of case `caseIndex` of `domain`: `ankle_001`, … */
export function phantomCaseId(domain: PhantomDomain, caseIndex: number): string {
  return `${domain}_${String(caseIndex + 1).padStart(3, '0')}`;
}

/** Throws {@link DataArgumentError} unless `domain` is a phantom domain. */
export function assertPhantomDomain(domain: string): asserts domain is PhantomDomain {
  if (!(PHANTOM_DOMAINS as readonly string[]).includes(domain)) {
    throw new DataArgumentError(`domain must be one of ${PHANTOM_DOMAINS.join(', ')}, got '${domain}'`);
  }
}

/**
 * Generates one seeded, deterministic phantom case of `domain`: bones as smooth unions of perturbed
 * superellipsoids arranged as in the joint, subject-specific size and shape, optional pathology,
 * T1-like tissue contrast with non-ossified regions, bias field, optional motion ghosting and Rician
 * noise. The same `(domain, seed, caseIndex, size, overrides)` always gives identical bytes.
 *
 * @throws {@link DataArgumentError} for an unknown domain, a bad seed, index or size.
 */
export function generatePhantom(domain: PhantomDomain, options: PhantomOptions): Phantom {
  assertPhantomDomain(domain);
  const caseIndex = options.caseIndex ?? 0;
  if (!Number.isInteger(caseIndex) || caseIndex < 0) {
    throw new DataArgumentError(`caseIndex must be a non-negative integer, got ${caseIndex}`);
  }
  if (!Number.isFinite(options.seed)) throw new DataArgumentError(`seed must be a finite number, got ${options.seed}`);
  const landmarkCount = options.landmarksPerBone ?? 64;
  if (!Number.isInteger(landmarkCount) || landmarkCount < 0) {
    throw new DataArgumentError(`landmarksPerBone must be a non-negative integer, got ${landmarkCount}`);
  }
  if (options.age !== undefined && !(Number.isFinite(options.age) && options.age > 0 && options.age < 30)) {
    throw new DataArgumentError(`age must be a number of years in (0, 30), got ${options.age}`);
  }
  const rng = new Rng(options.seed).fork(`${domain}#${caseIndex}`);
  const overrides = {
    ...(options.pathological === undefined ? {} : { pathological: options.pathological }),
    ...(options.motion === undefined ? {} : { motion: options.motion }),
    ...(options.age === undefined ? {} : { age: options.age }),
  };
  const subject = sampleSubject(domain, rng.fork('subject'), overrides);
  const grid = phantomGrid(domain, options.size ?? 'small', rng.fork('grid'));
  const anatomy = buildAnatomy(domain, subject, rng.fork('anatomy'));
  const { image, label } = rasterise(anatomy, grid, DOMAIN_CONTRAST[domain], subject, rng.fork('appearance'));
  const affine = gridAffine(grid);
  const landmarks =
    landmarkCount === 0
      ? []
      : anatomy.bones
          .filter((b) => b.label > 0)
          .sort((a, b) => a.label - b.label)
          .map((b) => boneLandmarks(new BoneField(b), landmarkCount));
  return {
    domain,
    caseId: phantomCaseId(domain, caseIndex),
    subject,
    image: createVolume(image, grid.shape, { spacing: grid.spacing, affine }),
    label: createVolume(label, grid.shape, { spacing: grid.spacing, affine }),
    labels: DOMAIN_LABELS[domain],
    landmarks,
  };
}

/** Options of {@link generateCohort}. */
export interface CohortOptions extends Omit<PhantomOptions, 'caseIndex' | 'pathological' | 'motion' | 'age'> {
  /** Number of cases; default the paper's cohort size of the domain (20 ankles, 17 knees, 15 shoulders). */
  readonly count?: number;
}

/**
 * Lazily generates a cohort: case i is `generatePhantom(domain, { ...options, caseIndex: i })`, produced
 * only when the iteration reaches it, so a full-size cohort never has to be in memory at once.
 *
 * @throws {@link DataArgumentError} for a bad count (when iteration starts) or bad phantom options.
 */
export function* generateCohort(domain: PhantomDomain, options: CohortOptions): Generator<Phantom> {
  assertPhantomDomain(domain);
  const count = options.count ?? PAPER_COHORT_SIZES[domain];
  if (!Number.isInteger(count) || count < 1) throw new DataArgumentError(`count must be a positive integer, got ${count}`);
  for (let caseIndex = 0; caseIndex < count; caseIndex += 1) yield generatePhantom(domain, { ...options, caseIndex });
}
