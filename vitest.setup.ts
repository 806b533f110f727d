/**
 * Makes every test draw the same "random" values on every run, so that CI (one run on a fresh clone)
 * passes exactly when a local run does:
 * - `Math.random` becomes a seeded generator. tfjs draws the seed of every unseeded random op — and so of
 *   every tfjs-layers initializer built without `seed` — from `Math.random`: a test that builds a model
 *   without seeding it would otherwise start from different weights on every run.
 * - fast-check runs with a fixed seed instead of one taken from the clock. `FC_SEED=<n>` picks another
 *   seed and `FC_SEED=random` restores the clock-based seeds, to explore more inputs locally (a failure
 *   prints the seed that reproduces it).
 * Each test gets its own seeds, derived from its file and full name, so its values do not depend on which
 * other tests ran before it (a `-t` filter reproduces a CI failure exactly).
 */
import fc from 'fast-check';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, expect } from 'vitest';

/** FNV-1a: a stable 32-bit hash of a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a small, fast generator of floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fcSeed = process.env['FC_SEED'];

function seedAll(key: string): void {
  Math.random = mulberry32(hash(key));
  if (fcSeed === 'random') return;
  const seed = fcSeed === undefined || fcSeed === '' ? hash(`fast-check ${key}`) | 0 : Number(fcSeed) | 0;
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}

// Relative to the repository root, so that every checkout (CI's included) draws the same values.
const root = fileURLToPath(new URL('.', import.meta.url));
const file = relative(root, expect.getState().testPath ?? '').replace(/\\/g, '/');
// Module level: covers models built while the file is collected (describe bodies) and in beforeAll hooks.
seedAll(file);
beforeEach((context) => {
  const names: string[] = [];
  for (let task: { name: string; suite?: unknown } | undefined = context.task; task; task = task.suite as typeof task) names.unshift(task.name);
  seedAll(`${file} > ${names.join(' > ')}`);
});
