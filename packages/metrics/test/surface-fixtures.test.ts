import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateSegmentation } from '@pedseg/metrics';
import type { StructureMetrics } from '@pedseg/metrics';
import { close } from './helpers/masks.js';

// Made by fixtures/make_fixtures.py: numpy/scipy for `voxel`, google-deepmind/surface-distance for `element`.
interface Fixture {
  readonly tolerances: number[];
  readonly cases: Record<
    string,
    {
      shape: [number, number, number];
      spacing: [number, number, number];
      reference: number[];
      prediction: number[];
      labels: Record<string, { overlap: Record<string, number>; voxel: Record<string, number>; element: Record<string, number> }>;
    }
  >;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/surface-metrics.json', import.meta.url), 'utf8')) as Fixture;

describe('surface metrics against numpy/scipy and surface-distance (1e-6 relative)', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    for (const [surface, distanceMethod] of [['voxel', 'edt'], ['voxel', 'points'], ['element', 'edt'], ['element', 'points']] as const) {
      it(`${name}, ${surface}, ${distanceMethod}`, () => {
        const selectors = Object.keys(c.labels).map((k) => k.split('+').map(Number));
        for (const tolerance of fixture.tolerances) {
          const result = evaluateSegmentation(
            { data: Uint8Array.from(c.reference), shape: c.shape, spacing: c.spacing },
            { data: Uint8Array.from(c.prediction), shape: c.shape, spacing: c.spacing },
            { labels: selectors, surface, tolerance, distanceMethod },
          );
          for (const [key, want] of Object.entries(c.labels)) {
            const got = result.labels[key]! as StructureMetrics & Record<string, number>;
            for (const [metric, value] of Object.entries(want[surface])) {
              const actual = metric.startsWith('nsd@') ? (Number(metric.slice(4)) === tolerance ? got.nsd : undefined) : got[metric];
              if (actual === undefined) continue;
              expect(close(actual, value, 1e-6), `${key} ${metric} at tolerance ${tolerance}: ${actual} vs ${value}`).toBe(true);
            }
            for (const [metric, value] of Object.entries(want.overlap)) expect(close(got[metric]!, value, 1e-12), `${key} ${metric}`).toBe(true);
          }
        }
      });
    }
  }
});
