import { describe, expect, it } from 'vitest';
import { connectedComponents3D } from '@pedseg/volume';
import {
  DOMAIN_ACQUISITION,
  DOMAIN_LABELS,
  DataArgumentError,
  PHANTOM_DOMAINS,
  Rng,
  PAPER_COHORT_SIZES,
  SMALL_PHANTOM_SHAPE,
  generateCohort,
  generatePhantom,
  phantomGrid,
  type Phantom,
} from '@pedseg/data';

function labelCounts(p: Phantom): Map<number, number> {
  const m = new Map<number, number>();
  for (const v of p.label.data) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

const cache = new Map<string, Phantom>();
function phantom(domain: (typeof PHANTOM_DOMAINS)[number], caseIndex: number): Phantom {
  const key = `${domain}/${caseIndex}`;
  if (!cache.has(key)) cache.set(key, generatePhantom(domain, { seed: 11, caseIndex, landmarksPerBone: 16 }));
  return cache.get(key)!;
}

describe('generatePhantom', () => {
  it('is deterministic: same seed → identical bytes; another seed or case → different', () => {
    for (const domain of PHANTOM_DOMAINS) {
      const a = generatePhantom(domain, { seed: 3, caseIndex: 2, landmarksPerBone: 8 });
      const b = generatePhantom(domain, { seed: 3, caseIndex: 2, landmarksPerBone: 8 });
      expect(Buffer.from(a.image.data.buffer).equals(Buffer.from(b.image.data.buffer))).toBe(true);
      expect(Buffer.from(a.label.data.buffer).equals(Buffer.from(b.label.data.buffer))).toBe(true);
      expect(Array.from(a.landmarks[0]!.points)).toEqual(Array.from(b.landmarks[0]!.points));
      const c = generatePhantom(domain, { seed: 4, caseIndex: 2, landmarksPerBone: 0 });
      expect(Buffer.from(a.label.data.buffer).equals(Buffer.from(c.label.data.buffer))).toBe(false);
      expect(Buffer.from(a.image.data.buffer).equals(Buffer.from(phantom(domain, 2).image.data.buffer))).toBe(false);
    }
  });

  it('contains exactly the label set of its domain, every bone with a real volume', () => {
    for (const domain of PHANTOM_DOMAINS) {
      for (const caseIndex of [0, 1, 2]) {
        const p = phantom(domain, caseIndex);
        const counts = labelCounts(p);
        expect([...counts.keys()].sort()).toEqual(DOMAIN_LABELS[domain].map((_, v) => v));
        for (let v = 1; v < DOMAIN_LABELS[domain].length; v += 1) expect(counts.get(v)!).toBeGreaterThan(40);
        expect(p.labels).toEqual(DOMAIN_LABELS[domain]);
      }
    }
  });

  it('small grids: 48×48×24 over the anatomical extent, anisotropic, consistent affine', () => {
    for (const domain of PHANTOM_DOMAINS) {
      const p = phantom(domain, 0);
      expect(p.image.shape).toEqual(SMALL_PHANTOM_SHAPE);
      const ext = DOMAIN_ACQUISITION[domain].anatomicalExtent;
      p.image.spacing.forEach((s, a) => expect(s).toBeCloseTo(ext[a]! / SMALL_PHANTOM_SHAPE[a]!, 10));
      expect(p.image.spacing[2]).toBeGreaterThan(p.image.spacing[0]);
      expect(p.label.affine).toEqual(p.image.affine);
      expect([p.image.affine[0], p.image.affine[5], p.image.affine[10]]).toEqual([...p.image.spacing]);
    }
  });

  it('full grids use the papers\' spacing ranges and a 256–512 in-plane matrix', () => {
    for (const domain of PHANTOM_DOMAINS) {
      const acq = DOMAIN_ACQUISITION[domain];
      for (let i = 0; i < 20; i += 1) {
        const g = phantomGrid(domain, 'full', new Rng(i));
        expect(g.spacing[0]).toBe(g.spacing[1]);
        expect(g.spacing[0]).toBeGreaterThanOrEqual(acq.inPlaneSpacing[0]);
        expect(g.spacing[0]).toBeLessThanOrEqual(acq.inPlaneSpacing[1]);
        expect(g.spacing[2]).toBeGreaterThanOrEqual(acq.sliceSpacing[0]);
        expect(g.spacing[2]).toBeLessThanOrEqual(acq.sliceSpacing[1]);
        for (const n of g.shape.slice(0, 2)) expect(n >= 256 && n <= 512).toBe(true);
        expect(g.shape[2]).toBeGreaterThanOrEqual(90);
        expect(g.shape[2]).toBeLessThanOrEqual(260);
      }
    }
  });

  it('keeps every bone inside the image (no labelled voxel on a face of the grid)', () => {
    for (const domain of PHANTOM_DOMAINS) {
      for (const caseIndex of [0, 1, 2]) {
        const p = phantom(domain, caseIndex);
        const [nx, ny, nz] = p.label.shape;
        let onFace = 0;
        for (let z = 0; z < nz; z += 1) {
          for (let y = 0; y < ny; y += 1) {
            for (let x = 0; x < nx; x += 1) {
              const face = x === 0 || y === 0 || z === 0 || x === nx - 1 || y === ny - 1 || z === nz - 1;
              if (face && p.label.data[x + nx * (y + ny * z)] !== 0) onFace += 1;
            }
          }
        }
        expect(onFace, `${domain} case ${caseIndex}`).toBe(0);
      }
    }
  });

  it('separates different bones by a joint space (no two labels are 6-neighbours)', () => {
    for (const domain of PHANTOM_DOMAINS) {
      for (const caseIndex of [0, 1, 2, 3]) {
        const p = caseIndex < 3 ? phantom(domain, caseIndex) : generatePhantom(domain, { seed: 11, caseIndex, pathological: true, landmarksPerBone: 0 });
        const [nx, ny, nz] = p.label.shape;
        const d = p.label.data;
        let touching = 0;
        for (let z = 0; z < nz; z += 1) {
          for (let y = 0; y < ny; y += 1) {
            for (let x = 0; x < nx; x += 1) {
              const v = d[x + nx * (y + ny * z)]!;
              if (v === 0) continue;
              for (const [dx, dy, dz] of [[1, 0, 0], [0, 1, 0], [0, 0, 1]] as const) {
                if (x + dx >= nx || y + dy >= ny || z + dz >= nz) continue;
                const w = d[x + dx + nx * (y + dy + ny * (z + dz))]!;
                if (w !== 0 && w !== v) touching += 1;
              }
            }
          }
        }
        expect(touching, `${domain} case ${caseIndex}`).toBe(0);
      }
    }
  });

  it('makes every bone one 26-connected component (post-processing keeps the largest one)', () => {
    const cases: Phantom[] = PHANTOM_DOMAINS.flatMap((d) => [0, 1, 2].map((i) => phantom(d, i)));
    for (const caseIndex of [22, 24]) {
      cases.push(generatePhantom('shoulder', { seed: 11, caseIndex, size: { shape: [96, 96, 64] }, landmarksPerBone: 0 }));
    }
    for (const p of cases) {
      for (let v = 1; v < p.labels.length; v += 1) {
        const mask = p.label.data.map((x) => (x === v ? 1 : 0));
        expect(connectedComponents3D(mask, p.label.shape, 26).count, `${p.caseId} ${p.labels[v]}`).toBe(1);
      }
    }
  });

  it('has clearly different intensity distributions between domains', () => {
    // raw 99th percentiles (scanner scale and brightest tissue) are disjoint; the mean z-scored intensity of bone voxels: bright fatty marrow in ankle and knee, dark marrow under
    // the shoulder's fat suppression — a difference that survives the per-volume normalization.
    const stats = (p: Phantom): { p99: number; boneZ: number } => {
      const x = p.image.data;
      let s = 0;
      for (const v of x) s += v;
      const mean = s / x.length;
      let ss = 0;
      for (const v of x) ss += (v - mean) ** 2;
      const std = Math.sqrt(ss / x.length);
      let b = 0;
      let n = 0;
      x.forEach((v, i) => {
        if (p.label.data[i]! > 0) {
          b += (v - mean) / std;
          n += 1;
        }
      });
      const sorted = Float32Array.from(x).sort();
      return { p99: sorted[Math.floor(0.99 * sorted.length)]!, boneZ: b / n };
    };
    const per = Object.fromEntries(PHANTOM_DOMAINS.map((d) => [d, [0, 1, 2].map((i) => stats(phantom(d, i)))]));
    const range = (d: string, k: 'p99' | 'boneZ'): [number, number] => {
      const v = per[d]!.map((s) => s[k]);
      return [Math.min(...v), Math.max(...v)];
    };
    const disjoint = (a: [number, number], b: [number, number]): boolean => a[1] < b[0] || b[1] < a[0];
    for (const [a, b] of [['ankle', 'knee'], ['ankle', 'shoulder'], ['knee', 'shoulder']] as const) {
      expect(disjoint(range(a, 'p99'), range(b, 'p99')), `${a} vs ${b} 99th percentile`).toBe(true);
    }
    expect(range('shoulder', 'boneZ')[1]).toBeLessThan(range('ankle', 'boneZ')[0]);
    expect(range('shoulder', 'boneZ')[1]).toBeLessThan(range('knee', 'boneZ')[0]);
  });

  it('places landmarks on the surface of their bone', () => {
    for (const domain of PHANTOM_DOMAINS) {
      const p = phantom(domain, 0);
      expect(p.landmarks.map((l) => l.label)).toEqual(DOMAIN_LABELS[domain].slice(1).map((_, i) => i + 1));
      const [nx, ny, nz] = p.label.shape;
      const [sx, sy, sz] = p.label.spacing;
      const [ox, oy, oz] = [p.label.affine[3]!, p.label.affine[7]!, p.label.affine[11]!];
      for (const lm of p.landmarks) {
        expect(lm.points.length).toBe(16 * 3);
        let near = 0;
        for (let n = 0; n < 16; n += 1) {
          const i = Math.round((lm.points[3 * n]! - ox) / sx);
          const j = Math.round((lm.points[3 * n + 1]! - oy) / sy);
          const k = Math.round((lm.points[3 * n + 2]! - oz) / sz);
          let found = false;
          for (let dk = -1; dk <= 1 && !found; dk += 1)
            for (let dj = -1; dj <= 1 && !found; dj += 1)
              for (let di = -1; di <= 1 && !found; di += 1) {
                const [a, b, c] = [i + di, j + dj, k + dk];
                if (a >= 0 && b >= 0 && c >= 0 && a < nx && b < ny && c < nz && p.label.data[a + nx * (b + ny * c)] === lm.label) found = true;
              }
          if (found) near += 1;
        }
        // joint-space carving may remove the voxels under a few contact landmarks
        expect(near, `${domain} ${lm.name}`).toBeGreaterThanOrEqual(12);
      }
    }
  });

  it('landmark n follows the subject: it moves with size, so corresponding points differ between cases', () => {
    const a = phantom('knee', 0).landmarks[2]!.points;
    const b = phantom('knee', 1).landmarks[2]!.points;
    expect(Array.from(a)).not.toEqual(Array.from(b));
    // same anatomical point: the patella's landmarks stay within a few cm between subjects
    for (let n = 0; n < 16; n += 1) {
      const d = Math.hypot(a[3 * n]! - b[3 * n]!, a[3 * n + 1]! - b[3 * n + 1]!, a[3 * n + 2]! - b[3 * n + 2]!);
      expect(d).toBeLessThan(15);
    }
  });

  it('pathology flattens the humeral head; motion ghosting changes the image but not the labels', () => {
    const healthy = generatePhantom('shoulder', { seed: 2, pathological: false, motion: false, landmarksPerBone: 0 });
    const sick = generatePhantom('shoulder', { seed: 2, pathological: true, motion: false, landmarksPerBone: 0 });
    expect(labelCounts(sick).get(1)!).toBeLessThan(labelCounts(healthy).get(1)!);
    expect(sick.subject.pathological).toBe(true);
    const ghost = generatePhantom('shoulder', { seed: 2, pathological: false, motion: true, landmarksPerBone: 0 });
    expect(Buffer.from(ghost.label.data.buffer).equals(Buffer.from(healthy.label.data.buffer))).toBe(true);
    let diff = 0;
    ghost.image.data.forEach((v, i) => (diff += Math.abs(v - healthy.image.data[i]!)));
    expect(diff / ghost.image.data.length).toBeGreaterThan(1);
  });

  it('renders non-ossified regions inside bones of young children only (intensity change within one bone)', () => {
    // fat-suppressed shoulder: cartilage 0.75 vs marrow 0.32 vs cortex 0.06 (× 450); voxels of the
    // humerus brighter than 250 are cartilage (unossified medial head before 10 years, open physis)
    const bright = (age: number): number => {
      const p = generatePhantom('shoulder', { seed: 5, age, pathological: false, motion: false, size: { shape: [64, 64, 48] }, landmarksPerBone: 0 });
      let n = 0;
      p.label.data.forEach((l, i) => {
        if (l === 1 && p.image.data[i]! > 250) n += 1;
      });
      return n;
    };
    expect(bright(6)).toBeGreaterThan(150);
    expect(bright(17)).toBeLessThan(10);
  });

  it('generateCohort yields case i of generatePhantom lazily, the paper\'s cohort size by default', () => {
    const cohort = generateCohort('shoulder', { seed: 11, landmarksPerBone: 16 });
    const first = cohort.next().value as Phantom;
    expect(first.caseId).toBe('shoulder_001');
    expect(Buffer.from(first.image.data.buffer).equals(Buffer.from(phantom('shoulder', 0).image.data.buffer))).toBe(true);
    expect([...generateCohort('knee', { seed: 1, count: 2, size: { shape: [16, 16, 8] } })].map((p) => p.caseId)).toEqual(['knee_001', 'knee_002']);
    expect(() => generateCohort('knee', { seed: 1, count: 0 }).next()).toThrow(DataArgumentError);
    expect(PAPER_COHORT_SIZES).toEqual({ ankle: 20, knee: 17, shoulder: 15 });
  });

  it('rejects bad arguments with DataArgumentError', () => {
    expect(() => generatePhantom('elbow' as 'knee', { seed: 1 })).toThrow(DataArgumentError);
    expect(() => generatePhantom('knee', { seed: 1, caseIndex: -1 })).toThrow(DataArgumentError);
    expect(() => generatePhantom('knee', { seed: Number.NaN })).toThrow(DataArgumentError);
    expect(() => generatePhantom('knee', { seed: 1, size: { shape: [4, 48, 24] } })).toThrow(DataArgumentError);
    expect(() => generatePhantom('knee', { seed: 1, age: -3 })).toThrow(DataArgumentError);
  });
});
