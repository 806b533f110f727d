/**
 * Renders a few slices of one phantom per domain, with the label map overlaid, into
 * docs/guides/img/phantoms.svg (an SVG holding PNG tiles encoded here with node:zlib).
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/data/scripts/render-phantoms.ts [out.svg]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { DOMAIN_LABELS, PHANTOM_DOMAINS, generatePhantom, type Phantom, type PhantomDomain } from '@pedseg/data';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** RGB PNG (8-bit, no interlace, filter 0 on every row). */
function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let r = 0; r < height; r += 1) {
    raw[r * (width * 3 + 1)] = 0;
    Buffer.from(rgb.buffer, rgb.byteOffset + r * width * 3, width * 3).copy(raw, r * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const COLORS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [230, 60, 60],
  [60, 200, 90],
  [70, 120, 240],
  [240, 200, 40],
];

interface Tile {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /** Physical size (mm) for the aspect ratio. */
  readonly mmW: number;
  readonly mmH: number;
  readonly caption: string;
}

/** A slice across `axis` at index `at`; rows run superior→inferior for coronal/sagittal cuts. */
function tile(p: Phantom, axis: 0 | 1 | 2, at: number, caption: string, overlay: boolean): Tile {
  const [nx, ny, nz] = p.image.shape;
  const [sx, sy, sz] = p.image.spacing;
  const img = p.image.data;
  const lab = p.label.data;
  const index = (i: number, j: number, k: number): number => i + nx * (j + ny * k);
  let W: number, H: number, mmW: number, mmH: number;
  let at2: (c: number, r: number) => number;
  if (axis === 2) {
    [W, H, mmW, mmH] = [nx, ny, nx * sx, ny * sy];
    at2 = (c, r) => index(c, ny - 1 - r, at); // anterior up
  } else if (axis === 1) {
    [W, H, mmW, mmH] = [nx, nz, nx * sx, nz * sz];
    at2 = (c, r) => index(c, at, nz - 1 - r);
  } else {
    [W, H, mmW, mmH] = [ny, nz, ny * sy, nz * sz];
    at2 = (c, r) => index(at, c, nz - 1 - r);
  }
  const values: number[] = [];
  for (let r = 0; r < H; r += 1) for (let c = 0; c < W; c += 1) values.push(img[at2(c, r)]!);
  const sorted = values.slice().sort((a, b) => a - b);
  const lo = sorted[Math.floor(0.01 * sorted.length)]!;
  const hi = sorted[Math.floor(0.995 * sorted.length)]!;
  const rgb = new Uint8Array(W * H * 3);
  for (let r = 0; r < H; r += 1) {
    for (let c = 0; c < W; c += 1) {
      const v = Math.max(0, Math.min(255, ((img[at2(c, r)]! - lo) / (hi - lo)) * 255));
      const l = lab[at2(c, r)]!;
      const o = (r * W + c) * 3;
      const col = COLORS[l % COLORS.length]!;
      const a = overlay && l > 0 ? 0.38 : 0;
      for (let ch = 0; ch < 3; ch += 1) rgb[o + ch] = Math.round((1 - a) * v + a * col[ch]!);
    }
  }
  return { png: encodePng(rgb, W, H), width: W, height: H, mmW, mmH, caption };
}

/** Index along `axis` where label `value` has the most voxels (a representative cut). */
function busiest(p: Phantom, axis: 0 | 1 | 2, value: number): number {
  const [nx, ny] = p.label.shape;
  const counts = new Array<number>(p.label.shape[axis]).fill(0);
  p.label.data.forEach((l, idx) => {
    if (l !== value) return;
    const pos = axis === 0 ? idx % nx : axis === 1 ? Math.floor(idx / nx) % ny : Math.floor(idx / (nx * ny));
    counts[pos]! += 1;
  });
  return counts.indexOf(Math.max(...counts));
}

/** Per domain: [axis, label whose busiest cut is shown, overlay?]. The first tile shows the bare image. */
const CUTS: Readonly<Record<PhantomDomain, readonly (readonly [0 | 1 | 2, number, boolean])[]>> = {
  ankle: [[2, 2, false], [2, 2, true], [2, 1, true], [0, 2, true], [1, 2, true]],
  knee: [[2, 1, false], [2, 1, true], [2, 4, true], [0, 1, true], [1, 1, true]],
  shoulder: [[2, 1, false], [2, 1, true], [2, 2, true], [1, 1, true], [0, 1, true]],
};
const AXIS_NAME = ['sagittal', 'coronal', 'axial'] as const;

function main(): void {
  const out = resolve(process.argv[2] ?? resolve(import.meta.dirname, '../../../docs/guides/img/phantoms.svg'));
  const rows: Tile[][] = [];
  for (const domain of PHANTOM_DOMAINS) {
    const p = generatePhantom(domain, { seed: 7, caseIndex: 1, size: { shape: [144, 144, 72] }, landmarksPerBone: 0, motion: false });
    rows.push(
      CUTS[domain].map(([axis, value, overlay]) => {
        const at = busiest(p, axis, value);
        return tile(p, axis, at, `${domain} ${AXIS_NAME[axis]} ${at}${overlay ? '' : ' (image)'}`, overlay);
      }),
    );
  }
  const tileH = 170;
  const gap = 10;
  const captionH = 18;
  let svgW = 0;
  const parts: string[] = [];
  let y = 30;
  rows.forEach((row) => {
    let x = gap;
    for (const t of row) {
      const w = Math.round((tileH * t.mmW) / t.mmH);
      parts.push(
        `<image x="${x}" y="${y}" width="${w}" height="${tileH}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${t.png.toString('base64')}"/>`,
        `<text x="${x + 2}" y="${y + tileH + 13}" font-family="sans-serif" font-size="11" fill="#222">${t.caption}</text>`,
      );
      x += w + gap;
    }
    svgW = Math.max(svgW, x);
    y += tileH + captionH + gap;
  });
  const legend = PHANTOM_DOMAINS.map(
    (d) => `${d}: ${DOMAIN_LABELS[d].slice(1).map((n, i) => `${i + 1} ${n}`).join(', ')}`,
  ).join(' · ');
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${svgW}" height="${y}" viewBox="0 0 ${svgW} ${y}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${gap}" y="18" font-family="sans-serif" font-size="12" fill="#222">@pedseg/data phantoms (seed 7, case 2, 144×144×72). Overlay colours: 1 red, 2 green, 3 blue, 4 yellow — ${legend}</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${svg}\n`);
  console.log(JSON.stringify({ out, bytes: svg.length }));
}

main();
