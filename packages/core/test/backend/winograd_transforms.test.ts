import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WINOGRAD_WASM_PLAIN, WINOGRAD_WASM_SHARED } from '../../src/backend/kernels/winograd/winograd_binary.js';
import type { WinogradTransforms } from '../../src/backend/kernels/winograd/winograd_module.js';
import { buildWinogradModules } from '../../scripts/winograd_binary_builder.js';
import { seeded } from './parity_helpers.js';

// The three SIMD transforms of the committed Winograd F(4×4, 3×3) module, run on a memory of their own
// (no tfjs), against float64 oracles written from the plain matrices of Lavin & Gray (2016): the
// module's factored formulas must agree with Bᵀ, G and Aᵀ, padding taps must read zeros and partial
// edge tiles must write nothing past the output image.

/** Bᵀ (6×6): V = Bᵀ d B. */
const BT = [
  [4, 0, -5, 0, 1, 0],
  [0, -4, -4, 1, 1, 0],
  [0, 4, -4, -1, 1, 0],
  [0, -2, -1, 2, 1, 0],
  [0, 2, -1, -2, 1, 0],
  [0, 4, 0, -5, 0, 1],
];
/** G (6×3): U = G g Gᵀ. */
const G = [
  [1 / 4, 0, 0],
  [-1 / 6, -1 / 6, -1 / 6],
  [-1 / 6, 1 / 6, -1 / 6],
  [1 / 24, 1 / 12, 1 / 6],
  [1 / 24, -1 / 12, 1 / 6],
  [0, 0, 1],
];
/** Aᵀ (4×6): Y = Aᵀ M A. */
const AT = [
  [1, 1, 1, 1, 1, 0],
  [0, 1, -1, 2, -2, 0],
  [0, 1, 1, 4, 4, 0],
  [0, 1, -1, 8, -8, 1],
];

/** L X Lᵀ in float64 for an r×s matrix L and an s×s X given by `x(i, j)`. */
function sandwich(l: number[][], x: (i: number, j: number) => number): number[][] {
  const s = l[0]!.length;
  return l.map((li) => l.map((lk) => {
    let sum = 0;
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) sum += li[i]! * x(i, j) * lk[j]!;
    return sum;
  }));
}
const absolute = (l: number[][]): number[][] => l.map((row) => row.map(Math.abs));

/**
 * Float32 rounding bound: each transformed value may differ from the exact one by a few ulps of the
 * sum of its terms' magnitudes (|L| |X| |L|ᵀ), never of the (possibly cancelling) value itself.
 */
const ROUNDING = 1e-6;

/** Expects `got` within ROUNDING·scale of `want` everywhere (exactly where scale is 0). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const error = Math.abs(got[i]! - want[i]!);
    if (!(error <= ROUNDING * scale[i]!)) {
      expect.fail(`${label}: element ${i} is ${got[i]}, expected ${want[i]} (±${ROUNDING * scale[i]!})`);
    }
  }
}

/** The parts of the WebAssembly JS API the tests use (the compile target's lib declares none). */
interface TestMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => TestMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** 4 MiB: room for every case below. */
const PAGES = 64;
/** Filled into every byte the test does not lay out: a stray read turns results into NaN. */
const POISON = Number.NaN;
/** Around the output image: an out-of-image write changes it. */
const SENTINEL = -7777.25;
const GUARD_FLOATS = 64;

/** A bump allocator over the module's memory (16-byte aligned, with poisoned gaps). */
class Heap {
  private next = 0;

  constructor(readonly memory: TestMemory) {}

  reset(): void {
    new Float32Array(this.memory.buffer).fill(POISON);
    // Address 0 stays unused: a bias pointer of 0 means "no bias".
    this.next = 256;
  }

  alloc(floats: number): number {
    const address = this.next;
    this.next += Math.ceil((floats * 4) / 16) * 16 + 64;
    expect(this.next).toBeLessThan(this.memory.buffer.byteLength);
    return address;
  }

  floats(address: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, address, length);
  }

  write(values: Float32Array): number {
    const address = this.alloc(values.length);
    this.floats(address, values.length).set(values);
    return address;
  }

  /** The 36 pointers a transform reads its matrices' addresses from. */
  table(pointers: number[]): number {
    expect(pointers.length).toBe(36);
    const address = this.alloc(36);
    new Int32Array(this.memory.buffer, address, 36).set(pointers);
    return address;
  }
}

const variants = [
  {
    name: 'plain',
    base64: WINOGRAD_WASM_PLAIN,
    memory: (): TestMemory => new wasmApi.Memory({ initial: PAGES }),
  },
  {
    name: 'shared',
    base64: WINOGRAD_WASM_SHARED,
    memory: (): TestMemory => new wasmApi.Memory({ initial: PAGES, maximum: 65536, shared: true }),
  },
];

function instantiate(base64: string, memory: TestMemory): WinogradTransforms {
  const module = new wasmApi.Module(Buffer.from(base64, 'base64'));
  return new wasmApi.Instance(module, { env: { memory } }).exports as WinogradTransforms;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Filter [3, 3, cin, cout] → the 36 transformed matrices [cin, cout] (values, rounding scales). */
function filterOracle(g: Float32Array, cin: number, cout: number): { u: Float64Array[]; scale: Float64Array[] } {
  const u = range(36).map(() => new Float64Array(cin * cout));
  const scale = range(36).map(() => new Float64Array(cin * cout));
  for (let ci = 0; ci < cin; ci++) {
    for (let co = 0; co < cout; co++) {
      const tap = (i: number, j: number): number => g[((i * 3 + j) * cin + ci) * cout + co]!;
      const value = sandwich(G, tap);
      const bound = sandwich(absolute(G), (i, j) => Math.abs(tap(i, j)));
      for (let k = 0; k < 36; k++) {
        u[k]![ci * cout + co] = value[Math.floor(k / 6)]![k % 6]!;
        scale[k]![ci * cout + co] = bound[Math.floor(k / 6)]![k % 6]!;
      }
    }
  }
  return { u, scale };
}

interface InputGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  padTop: number;
  padLeft: number;
  tilesY: number;
  tilesX: number;
}

/** NHWC image → the 36 transformed matrices [n·tilesY·tilesX, c]; taps outside the image are 0. */
function inputOracle(x: Float32Array, geo: InputGeometry): { v: Float64Array[]; scale: Float64Array[] } {
  const { n, h, w, c, padTop, padLeft, tilesY, tilesX } = geo;
  const tiles = n * tilesY * tilesX;
  const v = range(36).map(() => new Float64Array(tiles * c));
  const scale = range(36).map(() => new Float64Array(tiles * c));
  for (let b = 0; b < n; b++) {
    for (let ty = 0; ty < tilesY; ty++) {
      for (let tx = 0; tx < tilesX; tx++) {
        const tile = (b * tilesY + ty) * tilesX + tx;
        for (let ci = 0; ci < c; ci++) {
          const tap = (i: number, j: number): number => {
            const [y, xx] = [4 * ty + i - padTop, 4 * tx + j - padLeft];
            return y >= 0 && y < h && xx >= 0 && xx < w ? x[((b * h + y) * w + xx) * c + ci]! : 0;
          };
          const value = sandwich(BT, tap);
          const bound = sandwich(absolute(BT), (i, j) => Math.abs(tap(i, j)));
          for (let k = 0; k < 36; k++) {
            v[k]![tile * c + ci] = value[Math.floor(k / 6)]![k % 6]!;
            scale[k]![tile * c + ci] = bound[Math.floor(k / 6)]![k % 6]!;
          }
        }
      }
    }
  }
  return { v, scale };
}

interface OutputGeometry {
  n: number;
  oh: number;
  ow: number;
  c: number;
  tilesY: number;
  tilesX: number;
}

/** The 36 products [n·tilesY·tilesX, c] → clamp(Aᵀ M A + bias, lo, hi) as NHWC [n, oh, ow, c]. */
function outputOracle(
  m: ArrayLike<number>[],
  geo: OutputGeometry,
  bias: Float32Array | undefined,
  lo: number,
  hi: number,
): { y: Float64Array; scale: Float64Array } {
  const { n, oh, ow, c, tilesY, tilesX } = geo;
  const y = new Float64Array(n * oh * ow * c);
  const scale = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) {
    for (let ty = 0; ty < tilesY; ty++) {
      for (let tx = 0; tx < tilesX; tx++) {
        const tile = (b * tilesY + ty) * tilesX + tx;
        for (let ci = 0; ci < c; ci++) {
          const entry = (i: number, j: number): number => m[i * 6 + j]![tile * c + ci]!;
          const value = sandwich(AT, entry);
          const bound = sandwich(absolute(AT), (i, j) => Math.abs(entry(i, j)));
          for (let i = 0; i < 4; i++) {
            for (let j = 0; j < 4; j++) {
              const [oy, ox] = [4 * ty + i, 4 * tx + j];
              if (oy >= oh || ox >= ow) continue;
              const at = ((b * oh + oy) * ow + ox) * c + ci;
              const biasValue = bias?.[ci] ?? 0;
              y[at] = Math.min(Math.max(value[i]![j]! + biasValue, lo), hi);
              scale[at] = bound[i]![j]! + Math.abs(biasValue);
            }
          }
        }
      }
    }
  }
  return { y, scale };
}

/** Direct float64 correlation, tfjs' convention: y[b, oy, ox, co] = Σ x[b, oy + ky − padTop, ox + kx − padLeft, ci] g[ky, kx, ci, co]. */
function directConv(
  x: Float32Array,
  g: Float32Array,
  geo: { n: number; h: number; w: number; cin: number; cout: number; padTop: number; padLeft: number; oh: number; ow: number },
): Float64Array {
  const { n, h, w, cin, cout, padTop, padLeft, oh, ow } = geo;
  const y = new Float64Array(n * oh * ow * cout);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < 3; ky++) {
          const iy = oy + ky - padTop;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < 3; kx++) {
            const ix = ox + kx - padLeft;
            if (ix < 0 || ix >= w) continue;
            for (let ci = 0; ci < cin; ci++) {
              const xv = x[((b * h + iy) * w + ix) * cin + ci]!;
              for (let co = 0; co < cout; co++) y[((b * oh + oy) * ow + ox) * cout + co] += xv * g[((ky * 3 + kx) * cin + ci) * cout + co]!;
            }
          }
        }
      }
    }
  }
  return y;
}

describe('Winograd matrices', () => {
  it('Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A is the 4×4 correlation of a 6×6 tile with a 3×3 filter (float64)', () => {
    const d = seeded(36, 3);
    const g = seeded(9, 4);
    const u = sandwich(G, (i, j) => g[i * 3 + j]!);
    const v = sandwich(BT, (i, j) => d[i * 6 + j]!);
    const y = sandwich(AT, (i, j) => u[i]![j]! * v[i]![j]!);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let direct = 0;
        for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) direct += d[(i + ky) * 6 + j + kx]! * g[ky * 3 + kx]!;
        expect(y[i]![j]!).toBeCloseTo(direct, 12);
      }
    }
  });
});

describe.each(variants)('Winograd transforms, $name memory', (variant) => {
  let heap: Heap;
  let transforms: WinogradTransforms;

  beforeAll(() => {
    const memory = variant.memory();
    heap = new Heap(memory);
    transforms = instantiate(variant.base64, memory);
  });
  beforeEach(() => heap.reset());

  it('the module only links to a memory of its own sharedness', () => {
    const other = variants.find((v) => v.name !== variant.name)!;
    expect(() => instantiate(variant.base64, other.memory())).toThrow();
  });

  it.each([
    { cin: 4, cout: 8 },
    { cin: 12, cout: 4 },
    { cin: 5, cout: 16 },
  ])('filterTransform: U = G g Gᵀ for cin $cin, cout $cout', ({ cin, cout }) => {
    const g = seeded(9 * cin * cout, 10 + cin);
    const gPointer = heap.write(g);
    const u = range(36).map(() => heap.alloc(cin * cout));
    transforms.filterTransform(gPointer, cin, cout, heap.table(u));
    const oracle = filterOracle(g, cin, cout);
    u.forEach((pointer, k) => expectClose(heap.floats(pointer, cin * cout), oracle.u[k]!, oracle.scale[k]!, `U${k}`));
  });

  const inputCases: InputGeometry[] = [];
  for (const [h, w] of [
    [7, 5],
    [3, 2],
    [9, 11],
  ] as const) {
    for (const padTop of [0, 1, 2]) {
      for (const padLeft of [0, 1, 2]) {
        // Tiles covering the 'same'-padded output, plus one more row and column wholly outside the image.
        const tilesY = Math.ceil(Math.max(1, h + 2 * padTop - 2) / 4) + 1;
        const tilesX = Math.ceil(Math.max(1, w + 2 * padLeft - 2) / 4) + 1;
        inputCases.push({ n: 2, h, w, c: 8, padTop, padLeft, tilesY, tilesX });
      }
    }
  }
  inputCases.push({ n: 1, h: 8, w: 8, c: 4, padTop: 0, padLeft: 0, tilesY: 2, tilesX: 2 });
  inputCases.push({ n: 3, h: 6, w: 10, c: 12, padTop: 1, padLeft: 2, tilesY: 2, tilesX: 3 });

  it.each(inputCases)(
    'inputTransform: V = Bᵀ d B, n $n, $h×$w×$c, pad top $padTop left $padLeft, $tilesY×$tilesX tiles',
    (geo) => {
      const x = seeded(geo.n * geo.h * geo.w * geo.c, 100 + geo.h * 13 + geo.w);
      const image = heap.write(x);
      const zero = heap.write(new Float32Array(geo.c));
      const tiles = geo.n * geo.tilesY * geo.tilesX;
      const v = range(36).map(() => heap.alloc(tiles * geo.c));
      transforms.inputTransform(image, geo.n, geo.h, geo.w, geo.c, geo.padTop, geo.padLeft, geo.tilesY, geo.tilesX, heap.table(v), zero);
      const oracle = inputOracle(x, geo);
      v.forEach((pointer, k) => expectClose(heap.floats(pointer, tiles * geo.c), oracle.v[k]!, oracle.scale[k]!, `V${k}`));
      // The zeros are only read.
      expect(Array.from(heap.floats(zero, geo.c))).toEqual(new Array<number>(geo.c).fill(0));
    },
  );

  const clamps: Array<{ act: string; lo: number; hi: number; withBias: boolean }> = [
    { act: 'linear', lo: -Infinity, hi: Infinity, withBias: false },
    { act: 'linear', lo: -Infinity, hi: Infinity, withBias: true },
    { act: 'relu', lo: 0, hi: Infinity, withBias: true },
    { act: 'relu6', lo: 0, hi: 6, withBias: false },
    { act: 'relu6', lo: 0, hi: 6, withBias: true },
    { act: 'clamp', lo: -0.5, hi: 0.75, withBias: true },
  ];
  const outputShapes: Array<Omit<OutputGeometry, 'tilesY' | 'tilesX'>> = [
    { n: 2, oh: 5, ow: 7, c: 8 },
    { n: 1, oh: 1, ow: 1, c: 4 },
    { n: 2, oh: 4, ow: 8, c: 12 },
    { n: 3, oh: 3, ow: 2, c: 8 },
  ];
  const outputCases = outputShapes.flatMap((shape, s) => clamps.map((clamp, k) => ({ ...shape, ...clamp, seed: 1000 + 10 * s + k })));

  it.each(outputCases)(
    'outputTransform: clamp(Aᵀ M A + bias) for n $n, $oh×$ow×$c, $act [$lo, $hi], bias $withBias',
    ({ n, oh, ow, c, lo, hi, withBias, seed }) => {
      const geo = { n, oh, ow, c, tilesY: Math.ceil(oh / 4), tilesX: Math.ceil(ow / 4) };
      const tiles = n * geo.tilesY * geo.tilesX;
      // Scaled so that the outputs reach past relu6's 6 and below 0.
      const m = range(36).map((k) => seeded(tiles * c, seed * 37 + k).map((value) => 2 * value));
      const mPointers = m.map((values) => heap.write(values));
      const bias = withBias ? seeded(c, seed + 5).map((value) => 3 * value) : undefined;
      const biasPointer = bias === undefined ? 0 : heap.write(bias);
      const size = n * oh * ow * c;
      const region = heap.alloc(size + 2 * GUARD_FLOATS);
      heap.floats(region, size + 2 * GUARD_FLOATS).fill(SENTINEL);
      const y = region + 4 * GUARD_FLOATS;
      const sink = heap.alloc(c);
      transforms.outputTransform(heap.table(mPointers), n, oh, ow, c, geo.tilesY, geo.tilesX, y, biasPointer, lo, hi, sink);
      const oracle = outputOracle(m, geo, bias, lo, hi);
      expectClose(heap.floats(y, size), oracle.y, oracle.scale, 'y');
      expect(Array.from(heap.floats(region, GUARD_FLOATS)), 'guard before y').toEqual(new Array<number>(GUARD_FLOATS).fill(SENTINEL));
      expect(Array.from(heap.floats(y + 4 * size, GUARD_FLOATS)), 'guard after y').toEqual(new Array<number>(GUARD_FLOATS).fill(SENTINEL));
      // The M matrices and the bias are only read.
      m.forEach((values, k) => expect(heap.floats(mPointers[k]!, values.length), `M${k}`).toEqual(values));
      if (bias !== undefined) expect(heap.floats(biasPointer, c)).toEqual(bias);
    },
  );

  it.each([
    { n: 2, h: 9, w: 7, cin: 8, cout: 12, padTop: 1, padLeft: 1, oh: 9, ow: 7, withBias: false, lo: -Infinity, hi: Infinity },
    { n: 1, h: 10, w: 6, cin: 16, cout: 8, padTop: 0, padLeft: 0, oh: 8, ow: 4, withBias: true, lo: -Infinity, hi: Infinity },
    { n: 3, h: 5, w: 3, cin: 4, cout: 4, padTop: 2, padLeft: 1, oh: 6, ow: 3, withBias: true, lo: 0, hi: Infinity },
    { n: 1, h: 2, w: 2, cin: 8, cout: 8, padTop: 1, padLeft: 1, oh: 2, ow: 2, withBias: false, lo: 0, hi: 6 },
  ])(
    'filter → input → products → output equals a direct correlation: n $n, $h×$w, $cin→$cout, pad $padTop/$padLeft',
    (geo) => {
      const { n, h, w, cin, cout, padTop, padLeft, oh, ow, lo, hi } = geo;
      const [tilesY, tilesX] = [Math.ceil(oh / 4), Math.ceil(ow / 4)];
      const tiles = n * tilesY * tilesX;
      const x = seeded(n * h * w * cin, 7 + h);
      const g = seeded(9 * cin * cout, 8 + w);
      const bias = geo.withBias ? seeded(cout, 9) : undefined;

      const u = range(36).map(() => heap.alloc(cin * cout));
      transforms.filterTransform(heap.write(g), cin, cout, heap.table(u));
      const v = range(36).map(() => heap.alloc(tiles * cin));
      transforms.inputTransform(heap.write(x), n, h, w, cin, padTop, padLeft, tilesY, tilesX, heap.table(v), heap.write(new Float32Array(cin)));
      const m = range(36).map((k) => {
        const [uk, vk] = [heap.floats(u[k]!, cin * cout), heap.floats(v[k]!, tiles * cin)];
        const mk = new Float32Array(tiles * cout);
        for (let t = 0; t < tiles; t++) {
          for (let co = 0; co < cout; co++) {
            let sum = 0;
            for (let ci = 0; ci < cin; ci++) sum += vk[t * cin + ci]! * uk[ci * cout + co]!;
            mk[t * cout + co] = sum;
          }
        }
        return heap.write(mk);
      });
      const y = heap.alloc(n * oh * ow * cout);
      const biasPointer = bias === undefined ? 0 : heap.write(bias);
      transforms.outputTransform(heap.table(m), n, oh, ow, cout, tilesY, tilesX, y, biasPointer, lo, hi, heap.alloc(cout));

      const direct = directConv(x, g, { n, h, w, cin, cout, padTop, padLeft, oh, ow });
      const want = direct.map((value, i) => Math.min(Math.max(value + (bias?.[i % cout] ?? 0), lo), hi));
      const got = heap.floats(y, want.length);
      const magnitude = Math.max(...direct.map(Math.abs));
      let worst = 0;
      want.forEach((value, i) => (worst = Math.max(worst, Math.abs(got[i]! - value))));
      expect(worst / magnitude).toBeLessThan(1e-5);
    },
  );
});

describe('committed binary', () => {
  it('is exactly what the builder assembles from the committed WebAssembly text', async () => {
    const { shared, plain } = await buildWinogradModules();
    const committedShared = Buffer.from(WINOGRAD_WASM_SHARED, 'base64');
    const committedPlain = Buffer.from(WINOGRAD_WASM_PLAIN, 'base64');
    expect(committedShared.length).toBeGreaterThan(1000);
    expect(Buffer.compare(Buffer.from(shared), committedShared), 'shared variant differs: run build:wasm').toBe(0);
    expect(Buffer.compare(Buffer.from(plain), committedPlain), 'plain variant differs: run build:wasm').toBe(0);
  });
});
