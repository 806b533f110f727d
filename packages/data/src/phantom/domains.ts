/**
 * The three domains of the papers (pediatric ankle, knee, shoulder MR): label tables, acquisition
 * ranges (from the papers' dataset sections) and the T1-like tissue contrasts of each phantom domain.
 */

/** A joint of the papers' datasets. */
export type PhantomDomain = 'ankle' | 'knee' | 'shoulder';

/** All phantom domains, in the papers' order (A, K, S). */
export const PHANTOM_DOMAINS: readonly PhantomDomain[] = ['ankle', 'knee', 'shoulder'];

/**
 * Label names per domain, indexed by label value (0 = background). Ankle: calcaneus 1, talus 2,
 * distal tibia 3; knee: distal femur 1, proximal fibula 2, patella 3, proximal tibia 4; shoulder:
 * humerus 1, scapula 2.
 */
export const DOMAIN_LABELS: Readonly<Record<PhantomDomain, readonly string[]>> = {
  ankle: ['background', 'calcaneus', 'talus', 'tibia'],
  knee: ['background', 'femur', 'fibula', 'patella', 'tibia'],
  shoulder: ['background', 'humerus', 'scapula'],
};

/** Number of examinations per domain in the papers (MTMD: 20 ankles, 17 knees, 15 shoulders). */
export const PAPER_COHORT_SIZES: Readonly<Record<PhantomDomain, number>> = { ankle: 20, knee: 17, shoulder: 15 };

/** Acquisition and subject ranges of a domain. */
export interface DomainAcquisition {
  /** In-plane voxel size range [min, max] (mm). */
  readonly inPlaneSpacing: readonly [number, number];
  /** Slice spacing range [min, max] (mm). */
  readonly sliceSpacing: readonly [number, number];
  /** Scanner field of view in-plane [x, y] (mm). */
  readonly fieldOfView: readonly [number, number];
  /** Extent covered by the phantom anatomy [x, y, z] (mm); small and custom grids span exactly this. */
  readonly anatomicalExtent: readonly [number, number, number];
  /** World coordinates of the centre of the anatomical extent (mm). */
  readonly center: readonly [number, number, number];
  /** Age range of the cohort (years). */
  readonly ageRange: readonly [number, number];
  /** Fraction of pathological cases in the paper's cohort. */
  readonly pathologicalFraction: number;
}

/**
 * Acquisition ranges per domain. Spacings: ankle 0.25–0.28 mm in-plane, 0.5–0.8 mm slices (FOV
 * 140 × 161 mm²); knee 0.47–0.625 × 0.5–0.63 mm (FOV 320 × 320 mm²); shoulder 0.24–0.37 ×
 * 0.6–1.0 mm (FOV 260 × 210 mm²); ages 7–13, 13–18 and 5–17 years; 7/17 pathological ankles and 7/15
 * pathological shoulders (CombReg, MTMD).
 */
export const DOMAIN_ACQUISITION: Readonly<Record<PhantomDomain, DomainAcquisition>> = {
  ankle: {
    inPlaneSpacing: [0.25, 0.28],
    sliceSpacing: [0.5, 0.8],
    fieldOfView: [140, 161],
    anatomicalExtent: [112, 128, 84],
    center: [0, 0, -8],
    ageRange: [7, 13],
    pathologicalFraction: 7 / 17,
  },
  knee: {
    inPlaneSpacing: [0.47, 0.625],
    sliceSpacing: [0.5, 0.63],
    fieldOfView: [320, 320],
    anatomicalExtent: [140, 140, 124],
    center: [0, 0, 0],
    ageRange: [13, 18],
    pathologicalFraction: 0,
  },
  shoulder: {
    inPlaneSpacing: [0.24, 0.37],
    sliceSpacing: [0.6, 1.0],
    fieldOfView: [260, 210],
    anatomicalExtent: [122, 122, 112],
    center: [-16, -4, -2],
    ageRange: [5, 17],
    pathologicalFraction: 7 / 15,
  },
};

/** Mean intensities of the tissues of a domain (relative to `scale`) and its noise and bias levels. */
export interface DomainContrast {
  /** Scanner units of intensity 1. */
  readonly scale: number;
  /** Outside the body. */
  readonly air: number;
  /** Subcutaneous and intermuscular fat. */
  readonly fat: number;
  /** Muscle and other soft tissue. */
  readonly muscle: number;
  /** Cortical bone. */
  readonly cortex: number;
  /** Ossified trabecular bone with fatty marrow. */
  readonly marrow: number;
  /** Non-ossified cartilage inside a bone (growth plates, epiphyses, apophyses). */
  readonly cartilage: number;
  /** Rician noise σ (relative to `scale`). */
  readonly noise: number;
  /** Peak relative amplitude of the smooth multiplicative bias field. */
  readonly bias: number;
}

/**
 * T1-weighted-like contrasts: the ankle and knee gradient-echo sequences show bright fat and marrow
 * over dark cortex and intermediate muscle; the shoulder eTHRIVE sequence is rendered fat-suppressed
 * (dark fat and marrow, brighter muscle and cartilage) so the domains' intensity distributions
 * differ clearly, as they do between the papers' scanners and sequences.
 */
export const DOMAIN_CONTRAST: Readonly<Record<PhantomDomain, DomainContrast>> = {
  ankle: { scale: 1000, air: 0.02, fat: 0.92, muscle: 0.36, cortex: 0.07, marrow: 0.88, cartilage: 0.5, noise: 0.025, bias: 0.15 },
  knee: { scale: 2400, air: 0.015, fat: 0.8, muscle: 0.28, cortex: 0.08, marrow: 0.7, cartilage: 0.45, noise: 0.035, bias: 0.25 },
  shoulder: { scale: 450, air: 0.03, fat: 0.22, muscle: 0.55, cortex: 0.06, marrow: 0.32, cartilage: 0.75, noise: 0.05, bias: 0.3 },
};
