import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng, hashString } from '@pedseg/data';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/rng.json', import.meta.url), 'utf8')) as Record<string, number[]>;

describe('Rng (xoshiro128** seeded by SplitMix32)', () => {
  it('matches an independent Python implementation bit for bit', () => {
    for (const [seed, expected] of Object.entries(fixtures)) {
      const rng = new Rng(Number(seed));
      expect(expected.map(() => rng.nextUint32())).toEqual(expected);
    }
  });

  it('same seed, same sequence; different seeds, different sequences', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const c = new Rng(124);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
  });

  it('uniform draws lie in [0, 1) with mean ≈ 1/2, normals have mean ≈ 0 and variance ≈ 1', () => {
    const rng = new Rng(9);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 20000; i += 1) {
      const u = rng.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < 20000; i += 1) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(Math.abs(s1 / 20000)).toBeLessThan(0.05);
    expect(s2 / 20000).toBeGreaterThan(0.95);
    expect(s2 / 20000).toBeLessThan(1.05);
  });

  it('fork gives a stream that depends on the key and does not advance the parent', () => {
    const rng = new Rng(5);
    const f1 = rng.fork('a').next();
    const f2 = rng.fork('a').next();
    const f3 = rng.fork('b').next();
    expect(f1).toBe(f2);
    expect(f1).not.toBe(f3);
    expect(rng.next()).toBe(new Rng(5).next());
  });

  it('shuffle is a permutation', () => {
    const out = new Rng(3).shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out.slice().sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('hashString is FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
