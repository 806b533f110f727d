import { readNifti } from '@pedseg/volume';
import { labelCensus } from '../src/overlap/label-census.js';
import { paddedCrop } from '../src/surface/padded-crop.js';
import { voxelSurface, directedVoxelDistances } from '../src/surface/voxel-surface.js';
import { summarizeSurfaceDistances } from '../src/surface/surface-scores.js';
let c0 = process.cpuUsage();
const lap = (name: string) => { const u = process.cpuUsage(c0); console.log(name.padEnd(10), ((u.user + u.system) / 1000).toFixed(1)); c0 = process.cpuUsage(); };
const r = await readNifti('/tmp/pedseg-bench/x1/ref.nii.gz');
const p = await readNifti('/tmp/pedseg-bench/x1/pred.nii.gz');
lap('read');
for (let it = 0; it < 2; it++) {
  const c = labelCensus(r.data, p.data, r.shape); lap('census');
  const rb = c.referenceBoxes.get(1)!, pb = c.predictionBoxes.get(1)!;
  const box = { lo: [0, 1, 2].map((a) => Math.min(rb.lo[a]!, pb.lo[a]!)) as unknown as readonly [number, number, number], hi: [0, 1, 2].map((a) => Math.max(rb.hi[a]!, pb.hi[a]!)) as unknown as readonly [number, number, number] };
  const a = paddedCrop(r.data, r.shape, box, [1]); const b = paddedCrop(p.data, r.shape, box, [1]); lap('crop');
  const sa = voxelSurface(a), sb = voxelSurface(b); lap('surface');
  const d1 = directedVoxelDistances(sa, sb, a.shape, r.spacing, 1); lap('directed1');
  const d2 = directedVoxelDistances(sb, sa, a.shape, r.spacing, 1); lap('directed2');
  summarizeSurfaceDistances(d1, d2, 95); lap('summary');
  console.log('n', d1.distances.length, d2.distances.length);
}
