// Benchmark: exact EDT and connected components on a 160×256×256 anisotropic two-ellipsoid mask.
// Prints one JSON line. Timings (ms, single-threaded) are the best of 5 runs after a warm-up: the
// machine is shared, so the minimum is the most stable estimate; the load average is reported too.
import { loadavg } from 'node:os';
import {
  boundingBox,
  connectedComponents3D,
  padBox,
  squaredDistanceToFeatures,
  squaredDistanceToFeaturesInBox,
  type Vec3,
} from '@pedseg/volume';

const shape: Vec3 = [160, 256, 256];
const spacing: Vec3 = [0.8, 0.3, 0.3];
const [nx, ny, nz] = shape;
const mask = new Uint8Array(nx * ny * nz);
const complement = new Uint8Array(mask.length);

// Two ellipsoids (semi-axes in mm), one larger and one small, not touching.
const ellipsoids = [
  { c: [60, 110, 120], r: [30, 20, 25] },
  { c: [110, 190, 160], r: [12, 8, 10] },
] as const;
for (let z = 0, i = 0; z < nz; z++)
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++, i++) {
      let inside = 0;
      for (const { c, r } of ellipsoids) {
        const u = ((x - c[0]) * spacing[0]) / r[0];
        const v = ((y - c[1]) * spacing[1]) / r[1];
        const w = ((z - c[2]) * spacing[2]) / r[2];
        if (u * u + v * v + w * w <= 1) inside = 1;
      }
      mask[i] = inside;
      complement[i] = 1 - inside;
    }

/** CPU time (user + system, ms) of the fastest run, keyed by the name of the measurement. */
const cpuMs: Record<string, number> = {};

function best(run: () => unknown, name: string, repeats = 5): number {
  run(); // warm-up (JIT)
  let fastest = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (wall < fastest) {
      fastest = wall;
      cpu = (c.user + c.system) / 1000;
    }
  }
  cpuMs[name] = Math.round(cpu * 10) / 10;
  return Math.round(fastest * 10) / 10;
}

const box = padBox(boundingBox(mask, shape)!, shape, 10);
let count6 = 0;
let count26 = 0;
const result = {
  bench: '@pedseg/volume edt+cc',
  shape,
  spacing,
  voxels: mask.length,
  foreground: mask.reduce((a, v) => a + v, 0),
  edtToMaskMs: best(() => squaredDistanceToFeatures(mask, shape, spacing), 'edtToMask'),
  edtToBackgroundMs: best(() => squaredDistanceToFeatures(complement, shape, spacing), 'edtToBackground'),
  edtInBoxMs: best(() => squaredDistanceToFeaturesInBox(mask, shape, spacing, box), 'edtInBox'),
  boxVoxels: (box.hi[0] - box.lo[0]) * (box.hi[1] - box.lo[1]) * (box.hi[2] - box.lo[2]),
  cc6Ms: best(() => (count6 = connectedComponents3D(mask, shape, 6).count), 'cc6'),
  cc26Ms: best(() => (count26 = connectedComponents3D(mask, shape, 26).count), 'cc26'),
  cc26ComplementMs: best(() => connectedComponents3D(complement, shape, 26), 'cc26Complement'),
  components6: 0,
  components26: 0,
  cpuMs,
  timing: 'wall ms: best of 5 after 1 warm-up; cpuMs: CPU time of that run',
  loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  node: process.version,
};
result.components6 = count6;
result.components26 = count26;
console.log(JSON.stringify(result));
