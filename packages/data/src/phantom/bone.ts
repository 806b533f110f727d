/**
 * Bones as implicit solids: a smooth union of primitives, minus optional carved primitives (the
 * concavity of a glenoid), with non-ossified (cartilaginous) sub-regions and a cortex thickness.
 */
import { PrimitiveField, smoothMin, type Primitive, type Triple } from './primitives.js';

/** Description of one bone of a phantom (all lengths in mm, world frame). */
export interface BoneSpec {
  /** Anatomical name, e.g. `'talus'`. */
  readonly name: string;
  /** Label value in the label map; 0 for unlabelled structures that only shape the image. */
  readonly label: number;
  /** Primitives whose smooth union is the bone; the first is the anchor of its landmarks. */
  readonly primitives: readonly Primitive[];
  /** Blend width of the smooth union (mm). */
  readonly blend: number;
  /** Primitives subtracted from the bone (a joint surface's concavity). */
  readonly carve: readonly Primitive[];
  /** Non-ossified regions (growth plates, apophyses, cartilaginous epiphyses) inside the bone. */
  readonly cartilage: readonly Primitive[];
  /** Cortical thickness (mm). */
  readonly cortex: number;
}

/** Evaluator of a {@link BoneSpec}. */
export class BoneField {
  /** The bone. */
  readonly spec: BoneSpec;
  private readonly parts: PrimitiveField[];
  private readonly carves: PrimitiveField[];
  private readonly cartilages: PrimitiveField[];
  /** World-space axis-aligned bounds [min, max] that contain the bone. */
  readonly bounds: { readonly min: Triple; readonly max: Triple };

  /** @param spec - the bone. */
  constructor(spec: BoneSpec) {
    this.spec = spec;
    this.parts = spec.primitives.map((p) => new PrimitiveField(p));
    this.carves = spec.carve.map((p) => new PrimitiveField(p));
    this.cartilages = spec.cartilage.map((p) => new PrimitiveField(p));
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    for (const f of this.parts) {
      for (let a = 0; a < 3; a += 1) {
        min[a] = Math.min(min[a]!, f.primitive.center[a]! - f.boundingRadius - spec.blend);
        max[a] = Math.max(max[a]!, f.primitive.center[a]! + f.boundingRadius + spec.blend);
      }
    }
    this.bounds = { min: min as unknown as Triple, max: max as unknown as Triple };
  }

  /** Approximate signed distance (mm) to the bone surface; negative inside. */
  value(x: number, y: number, z: number): number {
    let f = Infinity;
    for (const p of this.parts) f = smoothMin(f, p.value(x, y, z), this.spec.blend);
    for (const c of this.carves) f = Math.max(f, -c.value(x, y, z));
    return f;
  }

  /** Whether (x, y, z), assumed inside the bone, lies in a non-ossified region. */
  isCartilage(x: number, y: number, z: number): boolean {
    for (const c of this.cartilages) if (c.value(x, y, z) < 0) return true;
    return false;
  }
}
