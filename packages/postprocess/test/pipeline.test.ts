import { createVolume } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import { describe, expect, it } from 'vitest';
import { ballClosing, keepLargestComponentPerLabel, postprocessSegmentation } from '@pedseg/postprocess';

const shape: Vec3 = [12, 8, 8];
const at = (x: number, y: number, z: number) => x + shape[0] * (y + shape[1] * z);

/** Two bones (cubes with a dent), plus stray specks of both labels. */
function prediction(): Uint8Array {
  const d = new Uint8Array(shape[0] * shape[1] * shape[2]);
  for (let z = 2; z < 6; z++) for (let y = 2; y < 6; y++) for (let x = 1; x < 5; x++) d[at(x, y, z)] = 1;
  for (let z = 2; z < 6; z++) for (let y = 2; y < 6; y++) for (let x = 7; x < 11; x++) d[at(x, y, z)] = 2;
  d[at(2, 3, 3)] = 0; // cavity inside bone 1 (closed by the closing)
  d[at(11, 0, 0)] = 1; // specks
  d[at(0, 7, 7)] = 2;
  return d;
}

describe('postprocessSegmentation', () => {
  it("'multi' = largest component per bone, then radius-2 closing", () => {
    const v = createVolume(prediction(), shape);
    const out = postprocessSegmentation(v, { strategy: 'multi', bones: 2 });
    expect(Array.from(out.data)).toEqual(Array.from(ballClosing(keepLargestComponentPerLabel(v), { radius: 2 }).data));
    expect(out.data[at(11, 0, 0)]).toBe(0);
    expect(out.data[at(0, 7, 7)]).toBe(0);
    expect(out.data[at(2, 3, 3)]).toBe(1);
  });
  it("'global' keeps the C largest foreground components", () => {
    const binary = prediction().map((x) => (x === 0 ? 0 : 1));
    const out = postprocessSegmentation(createVolume(binary, shape), { strategy: 'global', bones: 2, closingRadius: 0 });
    expect(out.data[at(11, 0, 0)]).toBe(0);
    expect(out.data[at(0, 7, 7)]).toBe(0);
    expect(out.data[at(1, 2, 2)]).toBe(1);
    expect(out.data[at(10, 5, 5)]).toBe(1);
  });
  it("'individual' merges the per-bone maps before the same steps as 'multi'", () => {
    const labels = prediction();
    const maps = [1, 2].map((b) => createVolume(Float32Array.from(labels, (x) => (x === b ? 0.9 : 0.1)), shape));
    const out = postprocessSegmentation(maps, { strategy: 'individual', bones: 2 });
    expect(Array.from(out.data)).toEqual(Array.from(postprocessSegmentation(createVolume(labels, shape), { strategy: 'multi', bones: 2 }).data));
  });
});
