/**
 * mulberry32: a small, fast 32-bit seeded pseudo-random generator (Tommy Ettinger's constants).
 * Deterministic for a given seed on every platform, which makes sampled analyses reproducible; not
 * for cryptography.
 *
 * @param seed - Any number; it is reduced to an unsigned 32-bit integer.
 * @returns A function returning uniform floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n) from a [0, 1) generator. */
export function randomIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}
