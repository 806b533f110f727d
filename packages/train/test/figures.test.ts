import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FigureInputError,
  SeededRandom,
  attentionOverlaySvg,
  contourOverlaySvg,
  encodePng,
  historySeries,
  labelContourPath,
  learningCurvesSvg,
  pca,
  radarPlotSvg,
  scatterSvg,
  tsne,
} from '@pedseg/train';

function clusters(perCluster: number, dims: number, seed: number): { points: number[][]; labels: number[] } {
  const rng = new SeededRandom(seed);
  const centres = [0, 1, 2].map(() => Array.from({ length: dims }, () => 4 * rng.normal()));
  const points: number[][] = [];
  const labels: number[] = [];
  centres.forEach((c, k) => {
    for (let i = 0; i < perCluster; i += 1) {
      points.push(c.map((v) => v + rng.normal()));
      labels.push(k);
    }
  });
  return { points, labels };
}

describe('pca', () => {
  it('projects collinear points on their line (covariance and Gram branches agree)', () => {
    const ts = [-1, 0, 1, 2];
    const line = ts.map((t) => [t, 2 * t, 0]);
    const scores = pca(line, 2);
    const mean = 0.5;
    ts.forEach((t, i) => {
      expect(scores[i]?.[0]).toBeCloseTo(Math.sqrt(5) * (t - mean), 10);
      expect(scores[i]?.[1]).toBeCloseTo(0, 10);
    });
    // Same points embedded in 6 dimensions: n = 4 < d = 6 uses the Gram matrix.
    const wide = line.map((p) => [...p, 0, 0, 0]);
    const g = pca(wide, 1);
    ts.forEach((t, i) => expect(g[i]?.[0]).toBeCloseTo(Math.sqrt(5) * (t - mean), 10));
  });

  it('rejects ragged and non-finite input', () => {
    expect(() => pca([[1, 2], [3]], 1)).toThrow(FigureInputError);
    expect(() => pca([[1, Number.NaN]], 1)).toThrow(FigureInputError);
    expect(() => pca([[1, 2]], 0)).toThrow(FigureInputError);
  });
});

describe('tsne', () => {
  it('separates three Gaussian clusters (PCA to 50 first, perplexity 30, lr 200), deterministically', () => {
    const { points, labels } = clusters(30, 64, 5);
    const y = tsne(points, { seed: 1 });
    expect(y).toHaveLength(90);
    // 5-nearest-neighbour label agreement in the embedding.
    let agree = 0;
    y.forEach((p, i) => {
      const nn = y
        .map((q, j) => ({ j, d: (p[0]! - q[0]!) ** 2 + (p[1]! - q[1]!) ** 2 }))
        .filter((o) => o.j !== i)
        .sort((a, b) => a.d - b.d)
        .slice(0, 5);
      agree += nn.filter((o) => labels[o.j] === labels[i]).length;
    });
    expect(agree / (5 * 90)).toBeGreaterThan(0.98);
    // Every between-cluster centroid distance exceeds twice the largest within-cluster RMS radius.
    const centroid = [0, 1, 2].map((k) => {
      const members = y.filter((_, i) => labels[i] === k);
      return [0, 1].map((t) => members.reduce((s, p) => s + p[t]!, 0) / members.length);
    });
    const rms = [0, 1, 2].map((k) => {
      const members = y.filter((_, i) => labels[i] === k);
      const c = centroid[k]!;
      return Math.sqrt(members.reduce((s, p) => s + (p[0]! - c[0]!) ** 2 + (p[1]! - c[1]!) ** 2, 0) / members.length);
    });
    for (let a = 0; a < 3; a += 1) {
      for (let b = a + 1; b < 3; b += 1) {
        const d = Math.hypot(centroid[a]![0]! - centroid[b]![0]!, centroid[a]![1]! - centroid[b]![1]!);
        expect(d).toBeGreaterThan(2 * Math.max(...rms));
      }
    }
    expect(tsne(points, { seed: 1, iterations: 50 })).toEqual(tsne(points, { seed: 1, iterations: 50 }));
  });

  it('rejects a perplexity not below the number of points', () => {
    expect(() => tsne([[0], [1], [2]], { perplexity: 3 })).toThrow(/perplexity/);
    expect(() => tsne([[0], [1]])).toThrow(FigureInputError);
  });
});

function pngChunks(png: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Array<{ type: string; data: Uint8Array }> = [];
  let o = 8;
  while (o < png.length) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    out.push({ type, data: png.subarray(o + 8, o + 8 + len) });
    o += 12 + len;
  }
  return out;
}

describe('encodePng', () => {
  it('writes a valid RGBA PNG whose pixels inflate back', () => {
    const rgba = new Uint8Array(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    const png = encodePng(3, 2, rgba);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = pngChunks(png);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
    expect([ihdr.getUint32(0), ihdr.getUint32(4), chunks[0]!.data[8], chunks[0]!.data[9]]).toEqual([3, 2, 8, 6]);
    const raw = inflateSync(chunks[1]!.data);
    expect(Array.from(raw)).toEqual([0, ...rgba.subarray(0, 12), 0, ...rgba.subarray(12)]);
    // The IEND chunk (with its CRC) is the same in every PNG file.
    expect(Buffer.from(png.subarray(png.length - 12)).toString('hex')).toBe('0000000049454e44ae426082');
    expect(() => encodePng(3, 2, new Uint8Array(5))).toThrow(FigureInputError);
  });
});

describe('overlays', () => {
  it('traces the pixel boundary of a label', () => {
    const labels = { width: 4, height: 4, data: [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0] };
    expect(labelContourPath(labels, 1)).toBe('M1 1H3M1 3H3M1 1V3M3 1V3');
    expect(labelContourPath(labels, 2)).toBe('');
  });

  it('draws ground truth solid and prediction dashed over the embedded slice', () => {
    const image = { width: 4, height: 4, data: Array.from({ length: 16 }, (_, i) => i) };
    const gt = { width: 4, height: 4, data: [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0] };
    const pred = { width: 4, height: 4, data: [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0] };
    const svg = contourOverlaySvg(image, gt, pred, { title: 'case 1' });
    expect(svg).toContain('data:image/png;base64,');
    expect(svg).toMatch(/class="ground-truth" data-label="1" d="M1 1H3M1 3H3M1 1V3M3 1V3"/);
    expect(svg).toMatch(/class="prediction" data-label="1" d="[^"]+" fill="none" stroke="[^"]+" stroke-width="[^"]+" stroke-dasharray/);
    expect(() => contourOverlaySvg(image, { width: 3, height: 4, data: new Array(12).fill(0) }, pred)).toThrow(/groundTruth is 3×4/);
    const att = attentionOverlaySvg(image, { width: 4, height: 4, data: image.data.map((v) => v / 15) });
    expect(att).toContain('<image');
    expect(() => attentionOverlaySvg(image, image, { alpha: 2 })).toThrow(FigureInputError);
  });
});

describe('charts', () => {
  it('learning curves: one polyline per series, higher values drawn higher', () => {
    const svg = learningCurvesSvg([
      { name: 'train ce', values: [3, 2, 1] },
      { name: 'val dice', values: [0.2, 0.5, 0.9], dashed: true },
    ]);
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));
    expect(lines).toHaveLength(2);
    const [ce] = lines;
    expect(ce!.map((p) => p[1])).toEqual([...ce!.map((p) => p[1]!)].sort((a, b) => a - b)); // falling loss → rising screen y
    expect(svg).toContain('stroke-dasharray');
    expect(() => learningCurvesSvg([])).toThrow(FigureInputError);
    expect(() => learningCurvesSvg([{ name: 'a', values: [1, -1] }], { logY: true })).toThrow(/log axis/);
    const series = historySeries([
      { epoch: 0, train: { total: 1 }, validation: { dice: 0.5 }, seconds: 1 },
      { epoch: 1, train: { total: 0.5 }, validation: { dice: 0.7 }, seconds: 1 },
    ]);
    expect(series.map((s) => s.name)).toEqual(['train total', 'val dice']);
  });

  it('radar plot: a value at max lies on the rim', () => {
    const svg = radarPlotSvg(['A1', 'A2', 'A3', 'A4'], [{ name: 'CombReg', values: [1, 1, 1, 1] }], { size: 420 });
    const polys = [...svg.matchAll(/<polygon fill="#[0-9A-F]+"[^>]*points="([^"]+)"/g)];
    const pts = polys[0]![1]!.split(' ').map((p) => p.split(',').map(Number));
    const [cx, cy] = [210, 8 + 210];
    for (const [x, y] of pts) expect(Math.hypot(x! - cx, y! - cy)).toBeCloseTo(150, 1);
    expect(() => radarPlotSvg(['a', 'b'], [{ name: 'x', values: [1, 2] }])).toThrow(FigureInputError);
    expect(() => radarPlotSvg(['a', 'b', 'c'], [{ name: 'x', values: [1, 2] }])).toThrow(/2 values for 3 axes/);
  });

  it('scatter plot: one marker per point, legend per group', () => {
    const svg = scatterSvg([[0, 0], [1, 1], [2, 0]], ['ankle', 'shoulder', 'ankle'], { markers: ['circle', 'circle', 'cross'] });
    expect((svg.match(/<circle /g) ?? []).length).toBe(2 + 2);
    expect(svg).toContain('>shoulder<');
    expect(() => scatterSvg([[0, 0]], [])).toThrow(FigureInputError);
  });
});
