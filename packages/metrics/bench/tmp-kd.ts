import { readNifti } from '@pedseg/volume';
import { labelCensus } from '../src/overlap/label-census.js';
import { paddedCrop } from '../src/surface/padded-crop.js';
import { voxelSurface, directedVoxelDistances } from '../src/surface/voxel-surface.js';

function points(s: Uint8Array, shape: readonly number[], sp: readonly number[]): Float64Array {
  let n = 0; for (let i = 0; i < s.length; i++) n += s[i]!;
  const out = new Float64Array(3 * n); let k = 0;
  const [px, py] = shape;
  for (let i = 0; i < s.length; i++) if (s[i]) { const x = i % px!, y = Math.floor(i / px!) % py!, z = Math.floor(i / (px! * py!)); out[k++] = x * sp[0]!; out[k++] = y * sp[1]!; out[k++] = z * sp[2]!; }
  return out;
}
class KD {
  perm: Int32Array; axis: Uint8Array; xs: Float64Array;
  constructor(public p: Float64Array) {
    const n = p.length / 3; this.perm = new Int32Array(n); for (let i = 0; i < n; i++) this.perm[i] = i;
    this.axis = new Uint8Array(n); this.build(0, n);
    // reorder coordinates for locality
    this.xs = new Float64Array(3 * n); for (let i = 0; i < n; i++) { const j = this.perm[i]!; this.xs[3 * i] = p[3 * j]!; this.xs[3 * i + 1] = p[3 * j + 1]!; this.xs[3 * i + 2] = p[3 * j + 2]!; }
  }
  build(lo: number, hi: number): void {
    if (hi - lo <= 1) return;
    const p = this.p, perm = this.perm;
    let mn = [Infinity, Infinity, Infinity], mx = [-Infinity, -Infinity, -Infinity];
    for (let i = lo; i < hi; i++) { const j = perm[i]! * 3; for (let a = 0; a < 3; a++) { const v = p[j + a]!; if (v < mn[a]!) mn[a] = v; if (v > mx[a]!) mx[a] = v; } }
    let ax = 0; let best = -1; for (let a = 0; a < 3; a++) if (mx[a]! - mn[a]! > best) { best = mx[a]! - mn[a]!; ax = a; }
    const mid = (lo + hi) >> 1; this.axis[mid] = ax;
    // quickselect
    let l = lo, r = hi - 1;
    while (l < r) {
      const pivot = p[perm[(l + r) >> 1]! * 3 + ax]!;
      let i = l, j = r;
      while (i <= j) { while (p[perm[i]! * 3 + ax]! < pivot) i++; while (p[perm[j]! * 3 + ax]! > pivot) j--; if (i <= j) { const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t; i++; j--; } }
      if (mid <= j) r = j; else if (mid >= i) l = i; else break;
    }
    this.build(lo, mid); this.build(mid + 1, hi);
  }
  stack = new Int32Array(256); bound = new Float64Array(128);
  nearest2(x: number, y: number, z: number): number {
    let best = Infinity; const xs = this.xs, axis = this.axis, stack = this.stack, bound = this.bound;
    let sp = 0;
    stack[0] = 0; stack[1] = xs.length / 3; bound[0] = 0; sp = 1;
    while (sp > 0) {
      sp--;
      if (bound[sp]! >= best) continue;
      let lo = stack[2 * sp]!, hi = stack[2 * sp + 1]!;
      while (hi > lo) {
        const mid = (lo + hi) >> 1; const o = 3 * mid;
        const dx = xs[o]! - x, dy = xs[o + 1]! - y, dz = xs[o + 2]! - z;
        const d2 = dx * dx + dy * dy + dz * dz; if (d2 < best) best = d2;
        const ax = axis[mid]!; const diff = ax === 0 ? -dx : ax === 1 ? -dy : -dz;
        const d2p = diff * diff;
        if (diff < 0) { if (d2p < best && hi > mid + 1) { stack[2 * sp] = mid + 1; stack[2 * sp + 1] = hi; bound[sp] = d2p; sp++; } hi = mid; }
        else { if (d2p < best && mid > lo) { stack[2 * sp] = lo; stack[2 * sp + 1] = mid; bound[sp] = d2p; sp++; } lo = mid + 1; }
      }
    }
    return best;
  }
}
const r = await readNifti('/tmp/pedseg-bench/x1/ref.nii.gz');
const p = await readNifti('/tmp/pedseg-bench/x1/pred.nii.gz');
const c = labelCensus(r.data, p.data, r.shape);
const rb = c.referenceBoxes.get(1)!, pb = c.predictionBoxes.get(1)!;
const box = { lo: [0, 1, 2].map((a) => Math.min(rb.lo[a]!, pb.lo[a]!)) as unknown as readonly [number, number, number], hi: [0, 1, 2].map((a) => Math.max(rb.hi[a]!, pb.hi[a]!)) as unknown as readonly [number, number, number] };
const a = paddedCrop(r.data, r.shape, box, [1]); const b = paddedCrop(p.data, r.shape, box, [1]);
const sa = voxelSurface(a), sb = voxelSurface(b);
for (let it = 0; it < 3; it++) {
  let c0 = process.cpuUsage();
  const PA = points(sa, a.shape, r.spacing), PB = points(sb, a.shape, r.spacing);
  const tree = new KD(PB);
  const t1 = process.cpuUsage(c0).user / 1000; c0 = process.cpuUsage();
  const n = PA.length / 3; const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.sqrt(tree.nearest2(PA[3 * i]!, PA[3 * i + 1]!, PA[3 * i + 2]!));
  d.sort();
  const t2 = process.cpuUsage(c0).user / 1000; c0 = process.cpuUsage();
  const ref = directedVoxelDistances(sa, sb, a.shape, r.spacing, 1);
  const t3 = process.cpuUsage(c0).user / 1000;
  let mx = 0; for (let i = 0; i < n; i++) mx = Math.max(mx, Math.abs(d[i]! - ref.distances[i]!));
  console.log('points+build', t1.toFixed(1), 'query', t2.toFixed(1), 'edt-path', t3.toFixed(1), 'maxdiff', mx);
}
