import fc from 'fast-check';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SeededRandom, encodePng, labelContourPath } from '@pedseg/train';

describe('properties', () => {
  it('SeededRandom: permutations are permutations; a restored state continues the same stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 }), (seed, n, skip) => {
        const r = new SeededRandom(seed);
        const p = r.permutation(n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        for (let i = 0; i < skip; i += 1) r.next();
        const copy = SeededRandom.fromState(r.getState());
        const a = Array.from({ length: 5 }, () => r.nextUint32());
        const b = Array.from({ length: 5 }, () => copy.nextUint32());
        expect(b).toEqual(a);
        const u = r.next();
        expect(u >= 0 && u < 1).toBe(true);
      }),
    );
  });

  it('labelContourPath: total length equals the number of label / non-label pixel edges (brute-force oracle)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 81, maxLength: 81 }),
        (w, h, pool) => {
          const data = pool.slice(0, w * h);
          const at = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && data[x + w * y] === 1;
          let edges = 0;
          for (let y = 0; y <= h; y += 1) for (let x = 0; x < w; x += 1) if (at(x, y) !== at(x, y - 1)) edges += 1;
          for (let x = 0; x <= w; x += 1) for (let y = 0; y < h; y += 1) if (at(x, y) !== at(x - 1, y)) edges += 1;
          const path = labelContourPath({ width: w, height: h, data }, 1);
          let length = 0;
          for (const m of path.matchAll(/M(\d+) (\d+)([HV])(\d+)/g)) {
            length += m[3] === 'H' ? Number(m[4]) - Number(m[1]) : Number(m[4]) - Number(m[2]);
          }
          expect(length).toBe(edges);
        },
      ),
    );
  });

  it('encodePng: the IDAT stream inflates to filter-0 rows of the input pixels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1000 }), (w, h, salt) => {
        const rgba = new Uint8Array(w * h * 4).map((_, i) => (i * 31 + salt) % 256);
        const png = encodePng(w, h, rgba);
        const view = new DataView(png.buffer, png.byteOffset);
        const ihdrLen = view.getUint32(8);
        const idatAt = 8 + 12 + ihdrLen;
        const idatLen = view.getUint32(idatAt);
        const raw = inflateSync(png.subarray(idatAt + 8, idatAt + 8 + idatLen));
        expect(raw.length).toBe(h * (1 + 4 * w));
        for (let y = 0; y < h; y += 1) {
          expect(raw[y * (1 + 4 * w)]).toBe(0);
          expect(Array.from(raw.subarray(y * (1 + 4 * w) + 1, (y + 1) * (1 + 4 * w)))).toEqual(Array.from(rgba.subarray(y * 4 * w, (y + 1) * 4 * w)));
        }
      }),
      { numRuns: 50 },
    );
  });
});
