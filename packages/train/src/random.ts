import { TrainConfigError } from './errors.js';

/** The complete, JSON-serializable state of a {@link SeededRandom}: four 32-bit words. */
export type RandomState = readonly [number, number, number, number];

/** FNV-1a hash of the given integers, used to derive independent streams from (seed, epoch, step). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let v = Math.trunc(part) >>> 0;
    for (let i = 0; i < 4; i += 1) {
      h ^= v & 0xff;
      h = Math.imul(h, 0x01000193);
      v >>>= 8;
    }
  }
  return h >>> 0;
}

/**
 * A seeded sfc32 generator whose whole state is four integers, so a checkpoint can store it and a
 * resumed run draws exactly the numbers the uninterrupted run would have drawn. Not cryptographic.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed - any finite number, reduced to an unsigned 32-bit integer. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new TrainConfigError(`SeededRandom: seed must be a finite number, got ${seed}`);
    const s = Math.trunc(seed) >>> 0;
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = s;
    // Discard the first outputs: sfc32 needs a few rounds to decorrelate nearby seeds.
    for (let i = 0; i < 15; i += 1) this.nextUint32();
  }

  /** Recreates a generator from {@link SeededRandom.getState}. */
  static fromState(state: RandomState): SeededRandom {
    const r = new SeededRandom(0);
    r.setState(state);
    return r;
  }

  /** The current state (copy). */
  getState(): RandomState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Restores a state returned by {@link SeededRandom.getState}. */
  setState(state: RandomState): void {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v))) {
      throw new TrainConfigError(`SeededRandom.setState: expected four integers, got ${JSON.stringify(state)}`);
    }
    [this.a, this.b, this.c, this.d] = state.map((v) => v | 0) as [number, number, number, number];
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform double in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A uniformly random permutation of 0…n−1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const tmp = out[i] as number;
      out[i] = out[j] as number;
      out[j] = tmp;
    }
    return out;
  }
}
