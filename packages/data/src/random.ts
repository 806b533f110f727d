/**
 * The package's one source of randomness: a small seeded PRNG, so that phantoms, slice selection,
 * augmentation, batches and splits are reproducible from a number.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) — 128-bit state, 32-bit output, period 2^128 − 1 —
 * whose four state words are filled from the seed by SplitMix32. Uniform doubles take 53 bits from two
 * outputs; normals use the Marsaglia polar method. {@link Rng.fork} derives an independent stream from
 * a string key (FNV-1a hash of the key mixed with the parent's seed), so adding a new random draw in
 * one part of a generator does not shift the numbers of another part.
 *
 * Same seed → same sequence on every platform for the integer and uniform draws (pure 32-bit integer
 * arithmetic); the generators that then apply `Math.sin`/`Math.exp`/`Math.pow` are byte-identical for a
 * given Node.js (V8) version.
 */

function splitMix32(state: number): { value: number; state: number } {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return { value: z >>> 0, state: next };
}

/** FNV-1a 32-bit hash of a string (used to turn fork keys into seeds). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded xoshiro128** generator (see the module notes). Not cryptographic. */
export class Rng {
  /** The seed this generator was created from (an unsigned 32-bit integer). */
  readonly seed: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** @param seed - any finite number; it is reduced to an unsigned 32-bit integer. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng: seed must be a finite number, got ${seed}`);
    this.seed = Math.trunc(seed) >>> 0;
    let st = this.seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const r = splitMix32(st);
      st = r.state;
      words.push(r.value);
    }
    this.s0 = words[0]! | 0;
    this.s1 = words[1]! | 0;
    this.s2 = words[2]! | 0;
    this.s3 = words[3]! | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Fisher–Yates shuffle of a copy of `items`. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = this.int(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  /** An independent generator derived from this generator's seed and `key` (does not advance this one). */
  fork(key: string): Rng {
    return new Rng((Math.imul(this.seed ^ 0x5bd1e995, 0x9e3779b1) ^ hashString(key)) >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
