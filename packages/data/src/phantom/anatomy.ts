/**
 * Joint layouts of the phantoms in a reference frame (mm; x lateral, y anterior, z superior), made
 * subject-specific by a size factor, a small global rotation and translation, per-primitive jitter and
 * smooth radial ripples. Pathological cases: ankles get a flattened talar dome, a medially deviated
 * talar neck and an inverted calcaneus (clubfoot-like); shoulders get a flattened, posteriorly
 * subluxed humeral head and a retroverted, flat glenoid (brachial plexus palsy sequelae). Unlabelled
 * bones (fibula and navicular at the ankle, clavicle at the shoulder) appear in the image only.
 */
import type { Rng } from '../random.js';
import type { BoneSpec } from './bone.js';
import { matMul3, randomRipples, rotationXYZ, type Primitive, type Triple } from './primitives.js';
import type { PhantomDomain } from './domains.js';
import type { PhantomSubject } from './subject.js';

/** The implicit description of one phantom: bones and the soft-tissue body around them. */
export interface Anatomy {
  /** Bones; labelled ones carry their label value, unlabelled ones label 0. */
  readonly bones: readonly BoneSpec[];
  /** Primitives whose smooth union is the limb / body outline. */
  readonly body: readonly Primitive[];
  /** Subcutaneous fat thickness (mm). */
  readonly fatThickness: number;
}

interface Part {
  readonly c: Triple;
  readonly r: Triple;
  readonly e?: readonly [number, number];
  readonly rot?: Triple;
  readonly ripple?: number;
}

interface Frame {
  readonly k: number;
  readonly rotation: readonly number[];
  readonly translation: Triple;
  readonly rng: Rng;
}

function place(part: Part, f: Frame, jitter = true): Primitive {
  const j = jitter ? 1 : 0;
  const rng = f.rng;
  const local = [0, 1, 2].map((a) => f.k * part.c[a]! + j * rng.normal() * 0.8 * f.k);
  const R = f.rotation;
  const center: Triple = [
    f.translation[0] + R[0]! * local[0]! + R[1]! * local[1]! + R[2]! * local[2]!,
    f.translation[1] + R[3]! * local[0]! + R[4]! * local[1]! + R[5]! * local[2]!,
    f.translation[2] + R[6]! * local[0]! + R[7]! * local[1]! + R[8]! * local[2]!,
  ];
  const radii = part.r.map((r) => f.k * r * (1 + j * clamp(rng.normal() * 0.04, -0.08, 0.08))) as unknown as Triple;
  const rot = part.rot ?? [0, 0, 0];
  const angles = rot.map((a) => a + j * clamp(rng.normal() * 2.5, -5, 5)) as [number, number, number];
  const rotation = matMul3(R, rotationXYZ(...angles));
  const ripples = jitter && (part.ripple ?? 0.06) > 0 ? randomRipples(rng, 3, part.ripple ?? 0.06) : [];
  return { center, radii, exponents: part.e ?? [1, 1], rotation, ripples };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function bone(name: string, label: number, f: Frame, parts: Part[], extra: Partial<{ blend: number; cortex: number; carve: Part[]; cartilage: Part[] }> = {}): BoneSpec {
  return {
    name,
    label,
    primitives: parts.map((p) => place(p, f)),
    blend: (extra.blend ?? 4) * f.k,
    carve: (extra.carve ?? []).map((p) => place(p, f, false)),
    cartilage: (extra.cartilage ?? []).map((p) => place({ ...p, ripple: 0.03 }, f)),
    cortex: (extra.cortex ?? 1.4) * Math.sqrt(f.k),
  };
}

const DISC: readonly [number, number] = [0.2, 1];
const ROD: readonly [number, number] = [0.3, 1];

function frame(subject: PhantomSubject, rng: Rng): Frame {
  const rotation = rotationXYZ(rng.normal() * 2, rng.normal() * 2, clamp(rng.normal() * 4, -8, 8));
  const translation: Triple = [rng.normal() * 1.5, rng.normal() * 1.5, rng.normal() * 1.5];
  return { k: subject.sizeFactor, rotation, translation, rng };
}

function ankle(subject: PhantomSubject, rng: Rng): Anatomy {
  const f = frame(subject, rng);
  const p = subject.pathological;
  const physisHalf = subject.openPhysis ? 1.3 - 0.05 * (subject.age - 7) : 0;
  const tibia = bone(
    'tibia',
    3,
    f,
    [
      { c: [0, -4, 8], r: [16, 14, 8] },
      { c: [0, -5, 17], r: [11, 10, 10], e: ROD },
      { c: [-18, -3, 0], r: [4.5, 7, 9] },
    ],
    { cartilage: physisHalf > 0 ? [{ c: [0, -4, 12], r: [18, 16, physisHalf], e: DISC }] : [] },
  );
  const talus = bone('talus', 2, f, [
    { c: [0, -2, -9], r: [14, 17, p ? 5.5 : 7.5], e: p ? [0.7, 1] : [1, 1] },
    { c: [p ? -4 : 1, 17, -13], r: [9, 11, 7], rot: [-15, 0, p ? -20 : 0] },
  ]);
  const calcaneus = bone(
    'calcaneus',
    1,
    f,
    [
      { c: [3, -8, -26], r: [13, 27, 10], e: [0.7, 0.8], rot: [12, p ? 15 : 0, 0] },
      { c: [3, -32, -30], r: [11, 9, 12] },
      { c: [-11, -1, -19], r: [6, 8, 3.5] },
    ],
    { cartilage: subject.age < 11 ? [{ c: [3, -40, -30], r: [12, 4, 12] }] : [] },
  );
  const fibula = bone('fibula', 0, f, [
    { c: [20, -10, 4], r: [5.5, 7, 14], rot: [0, -5, 0] },
    { c: [21, -11, 22], r: [5, 5, 9], e: ROD },
  ]);
  const navicular = bone('navicular', 0, f, [{ c: [0, 33, -12], r: [12, 5.5, 8] }]);
  const body = [
    place({ c: [0, -6, 12], r: [34, 30, 32], e: [0.25, 1], ripple: 0.03 }, f),
    place({ c: [2, 12, -30], r: [38, 60, 22], e: [0.6, 0.8], ripple: 0.03 }, f),
  ];
  return { bones: [calcaneus, talus, tibia, fibula, navicular], body, fatThickness: 5 * f.k };
}

function knee(subject: PhantomSubject, rng: Rng): Anatomy {
  const f = frame(subject, rng);
  const open = subject.openPhysis;
  const femur = bone(
    'femur',
    1,
    f,
    [
      { c: [0, -4, 24], r: [29, 23, 13] },
      { c: [0, -4, 41], r: [13, 13, 12], e: ROD },
      { c: [-18, -8, 12], r: [13, 22, 11] },
      { c: [18, -8, 12], r: [13, 21, 11] },
      { c: [0, 12, 17], r: [22, 9, 10] },
    ],
    { cortex: 1.8, cartilage: open ? [{ c: [0, -4, 22], r: [31, 25, 1.1], e: DISC }] : [] },
  );
  const fibula = bone('fibula', 2, f, [
    { c: [31, -24, -22], r: [7.5, 7.5, 8] },
    { c: [32, -25, -39], r: [5, 5, 13], e: ROD },
  ]);
  const patella = bone('patella', 3, f, [{ c: [0, 36, 16], r: [20, 8.5, 18], e: [0.8, 0.8], rot: [-8, 0, 0] }]);
  const tibia = bone(
    'tibia',
    4,
    f,
    [
      { c: [0, -7, -17], r: [26, 20, 11] },
      { c: [0, -7, -7], r: [35, 25, 6], e: [0.5, 0.7] },
      { c: [0, -9, -39], r: [14, 14, 14], e: ROD },
      { c: [0, 13, -20], r: [8, 6, 9] },
    ],
    { cortex: 1.8, cartilage: open ? [{ c: [0, -7, -13], r: [30, 22, 1.1], e: DISC }] : [] },
  );
  const body = [place({ c: [0, 0, 0], r: [62, 58, 80], e: [0.2, 1], ripple: 0.03 }, f)];
  return { bones: [femur, fibula, patella, tibia], body, fatThickness: 8 * f.k };
}

function shoulder(subject: PhantomSubject, rng: Rng): Anatomy {
  const f = frame(subject, rng);
  const p = subject.pathological;
  const head: Part = p ? { c: [14, -6, 4], r: [19 * 0.72, 19, 20] } : { c: [12, 0, 4], r: [19, 20, 20] };
  const cartilage: Part[] = [];
  if (subject.openPhysis) cartilage.push({ c: [14, 0, -6], r: [18, 18, 1.1], e: DISC, rot: [0, 20, 0] });
  if (subject.age < 10) cartilage.push({ c: [head.c[0] - 9, head.c[1], head.c[2] + 2], r: [8, 17, 17] });
  const humerus = bone(
    'humerus',
    1,
    f,
    [
      head,
      { c: [14, 0, -8], r: [14, 14, 12] },
      { c: [17, 0, -30], r: [10.5, 10.5, 24], e: ROD },
      { c: [28, 6, 8], r: [7, 10, 9] },
    ],
    { cartilage },
  );
  const glenoid: Part = p ? { c: [-15, 0, 3], r: [4, 12, 16], rot: [0, 0, -20] } : { c: [-15, 0, 3], r: [6, 13, 18] };
  const scapula = bone(
    'scapula',
    2,
    f,
    [
      glenoid,
      { c: [-22, -5, 0], r: [9, 8, 14], rot: [0, 0, 33] },
      { c: [-46, -20, -12], r: [32, 2.2, 38], e: [0.7, 0.7], rot: [0, 0, 33], ripple: 0.04 },
      // spine: from the posterior blade up to the acromion, which it carries over the humeral head
      { c: [-28, -23, 21], r: [30, 4.5, 4.5], rot: [0, -22, 8] },
      { c: [-44, -24, 12], r: [10, 5, 8], rot: [0, 0, 33] },
      { c: [-4, -18, 30], r: [18, 8, 4.5] },
      // coracoid: a base on the glenoid neck and an anterior hook
      { c: [-13, 8, 13], r: [7, 10, 8] },
      { c: [-9, 17, 18], r: [5, 11, 5], rot: [20, 0, 0] },
    ],
    { blend: 3, cortex: 1.1, carve: p ? [] : [{ c: head.c, r: [head.r[0] + 2.5, head.r[1] + 2.5, head.r[2] + 2.5] }] },
  );
  const clavicle = bone('clavicle', 0, f, [{ c: [-20, 12, 44], r: [34, 6, 6], e: [0.8, 1], rot: [0, 0, -20] }]);
  const body = [
    place({ c: [18, 0, -10], r: [38, 42, 70], e: [0.6, 1], ripple: 0.03 }, f),
    place({ c: [-70, -5, 0], r: [60, 65, 90], e: [0.3, 0.8], ripple: 0.03 }, f),
    place({ c: [-10, -2, 20], r: [50, 50, 34], ripple: 0.03 }, f),
  ];
  return { bones: [humerus, scapula, clavicle], body, fatThickness: 6 * f.k };
}

/** Builds the anatomy of one case of `domain`. */
export function buildAnatomy(domain: PhantomDomain, subject: PhantomSubject, rng: Rng): Anatomy {
  switch (domain) {
    case 'ankle':
      return ankle(subject, rng);
    case 'knee':
      return knee(subject, rng);
    case 'shoulder':
      return shoulder(subject, rng);
  }
}
