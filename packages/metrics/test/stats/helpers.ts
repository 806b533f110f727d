import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Reads a JSON fixture relative to this folder. */
export function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as T;
}

/** frac(i·φ)·scale + offset for i = 1..n — the generator of make_fixtures.py's large samples. */
export function golden(n: number, offset: number, scale: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i += 1) out.push(((i * 0.6180339887498949) % 1) * scale + offset);
  return out;
}

/** Asserts |actual − expected| ≤ rtol·|expected| (exact equality for zero). */
export function expectClose(actual: number, expected: number, rtol: number, label: string): void {
  const ok = actual === expected || Math.abs(actual - expected) <= rtol * Math.abs(expected);
  if (!ok) expect.fail(`${label}: got ${actual}, expected ${expected} (rel err ${Math.abs(actual - expected) / Math.abs(expected)})`);
}
