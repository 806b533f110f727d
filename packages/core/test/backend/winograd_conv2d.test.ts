import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from './parity_helpers.js';

// The Winograd F(4×4, 3×3) override of tfjs-wasm's Conv2D and FusedConv2D against the cpu backend, and
// against the native wasm kernel (PEDSEG_WINOGRAD=0, read on every call): where Winograd applies, its
// values must differ from the native kernel's (it ran) while both match cpu; where it does not apply,
// the override must hand back the native kernel's values bit for bit.
//
// A filter's first use takes Winograd only on large images (enough tiles to pay for transforming the
// filter once); from its second use on, the transformed filter is cached and Winograd always applies.
// So every body below convolves twice with the same filter and the checks look at the second result.

/** Winograd's float32 error is ≈1e-6 of the output's magnitude (transform constants up to 8 and 1/24). */
const TOLERANCE = 2e-5;
/**
 * relu6 caps the output's magnitude at 6, but the rounding error scales with the pre-activation's
 * (up to ≈25 for the inputs below), so the error relative to the capped output is a few times larger.
 */
const RELU6_TOLERANCE = 1e-4;

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
type Activation = 'linear' | 'relu' | 'relu6';

function tensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(
    seeded(shape.reduce((a, b) => a * b, 1), seed).map((v) => v * scale),
    shape,
  );
}

const savedFlag = process.env['PEDSEG_WINOGRAD'];

/** Runs `body` with the Winograd override switched off (the native wasm kernel). */
async function withoutWinograd<T>(body: () => Promise<T>): Promise<T> {
  process.env['PEDSEG_WINOGRAD'] = '0';
  try {
    return await body();
  } finally {
    delete process.env['PEDSEG_WINOGRAD'];
  }
}

interface ThreeWays {
  cpu: Float32Array[];
  winograd: Float32Array[];
  native: Float32Array[];
}

/** The outputs on cpu, on wasm (override active) and on wasm with the native kernel. */
async function threeWays(body: () => tf.Tensor[]): Promise<ThreeWays> {
  const cpu = await runOn('cpu', body);
  const winograd = await runOn('wasm', body);
  const native = await withoutWinograd(() => runOn('wasm', body));
  return { cpu, winograd, native };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);
}

/** Every output and the native kernel's match cpu. */
function expectCpuParity({ cpu, winograd, native }: ThreeWays, tolerance = TOLERANCE): void {
  expect(winograd.length).toBe(cpu.length);
  cpu.forEach((reference, i) => {
    expect(relativeError(winograd[i]!, reference), `output ${i} vs cpu`).toBeLessThan(tolerance);
    expect(relativeError(native[i]!, reference), `native output ${i} vs cpu`).toBeLessThan(tolerance);
  });
}

/** Winograd ran for the outputs `ran` (default: the second use of the filter): they differ (by rounding only) from the native kernel's. */
async function expectWinograd(body: () => tf.Tensor[], ran: number[] = [1], tolerance = TOLERANCE): Promise<ThreeWays> {
  const outputs = await threeWays(body);
  expectCpuParity(outputs, tolerance);
  for (const i of ran) {
    expect(maxAbsDifference(outputs.winograd[i]!, outputs.native[i]!), `output ${i}: Winograd must differ from the native kernel in rounding`).toBeGreaterThan(0);
  }
  return outputs;
}

/** The override fell back on every call: the native kernel's values exactly, which match cpu. */
async function expectNative(body: () => tf.Tensor[]): Promise<void> {
  const outputs = await threeWays(body);
  expectCpuParity(outputs);
  outputs.winograd.forEach((values, i) => expect(maxAbsDifference(values, outputs.native[i]!), `output ${i} must be the native kernel's`).toBe(0));
}

/** `op` twice with the same filter: its first use, then its (cached) second. */
function twice(op: (filter: tf.Tensor4D) => tf.Tensor, filter: () => tf.Tensor4D): () => tf.Tensor[] {
  return () => {
    const f = filter();
    return [op(f), op(f)];
  };
}

interface ConvCase {
  x: [number, number, number, number];
  cout: number;
  pad: Pad;
  fused?: { bias: boolean; activation: Activation };
  /** Scales the input: relu6 cases need outputs past 6. */
  scale?: number;
}

function convBody(c: ConvCase, seed: number): () => tf.Tensor[] {
  return twice(
    (filter) => {
      const x = tensor(c.x, seed, c.scale ?? 1) as tf.Tensor4D;
      if (c.fused === undefined) return tf.conv2d(x, filter, 1, c.pad);
      return tf.fused.conv2d({
        x,
        filter,
        strides: 1,
        pad: c.pad,
        bias: c.fused.bias ? tensor([c.cout], seed + 2) : undefined,
        activation: c.fused.activation,
      });
    },
    () => tensor([3, 3, c.x[3], c.cout], seed + 1) as tf.Tensor4D,
  );
}

const toleranceOf = (c: ConvCase): number => (c.fused?.activation === 'relu6' ? RELU6_TOLERANCE : TOLERANCE);

beforeAll(async () => {
  delete process.env['PEDSEG_WINOGRAD'];
  const result = await initBackend({ backend: 'wasm', threads: 1 });
  expect(result.backend).toBe('wasm');
});
afterAll(() => {
  if (savedFlag === undefined) delete process.env['PEDSEG_WINOGRAD'];
  else process.env['PEDSEG_WINOGRAD'] = savedFlag;
});

const winogradCases: ConvCase[] = [
  { x: [1, 8, 8, 16], cout: 16, pad: 'same' },
  { x: [2, 7, 9, 16], cout: 32, pad: 'valid' },
  { x: [3, 5, 6, 20], cout: 20, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 6, 5, 16], cout: 20, pad: [[0, 0], [2, 0], [0, 2], [0, 0]] },
  { x: [1, 3, 2, 32], cout: 16, pad: 'same' }, // smaller than one tile
  { x: [1, 2, 2, 16], cout: 32, pad: 'same' },
  { x: [2, 4, 3, 64], cout: 64, pad: 1 },
  { x: [1, 13, 11, 32], cout: 64, pad: 2 }, // 15×13 output: partial tiles on both edges
  { x: [1, 3, 3, 64], cout: 16, pad: 'valid' }, // 1×1 output
  { x: [3, 9, 7, 20], cout: 16, pad: 'same' },
  { x: [1, 7, 6, 4], cout: 64, pad: 'same' }, // one SIMD group of input channels
  { x: [2, 5, 7, 64], cout: 4, pad: 3 }, // one SIMD group of output channels; whole tiles of padding
  { x: [1, 8, 8, 16], cout: 16, pad: 'same', fused: { bias: true, activation: 'linear' } },
  { x: [2, 7, 5, 32], cout: 16, pad: 'same', fused: { bias: true, activation: 'relu' } },
  { x: [1, 9, 6, 16], cout: 32, pad: 'valid', fused: { bias: true, activation: 'relu6' }, scale: 2 },
  { x: [3, 5, 3, 20], cout: 20, pad: [[0, 0], [0, 1], [2, 1], [0, 0]], fused: { bias: true, activation: 'relu6' }, scale: 2 },
  { x: [1, 6, 6, 64], cout: 32, pad: 1, fused: { bias: false, activation: 'relu' } },
  { x: [2, 3, 5, 16], cout: 64, pad: 'same', fused: { bias: false, activation: 'linear' } },
];

describe('Winograd Conv2D / FusedConv2D on wasm match the cpu backend', () => {
  it.each(winogradCases.map((c, i) => ({ ...c, i, label: c.fused ? `fused ${c.fused.activation}${c.fused.bias ? ' + bias' : ''}` : 'conv2d' })))(
    '$label: x $x → $cout, pad $pad',
    async (c) => {
      await expectWinograd(convBody(c, 200 + 10 * c.i), [1], toleranceOf(c));
    },
  );

  it('random small shapes (property)', async () => {
    const padArb = fc.oneof(
      fc.constantFrom<Pad>('same', 'valid'),
      fc.integer({ min: 0, max: 2 }),
      fc
        .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))
        .map(([t, b, l, r]): Pad => [[0, 0], [t, b], [l, r], [0, 0]]),
    );
    const caseArb = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        h: fc.integer({ min: 1, max: 9 }),
        w: fc.integer({ min: 1, max: 9 }),
        cin: fc.constantFrom(4, 16, 20, 32),
        cout: fc.constantFrom(4, 16, 20, 64),
        pad: padArb,
        fused: fc.option(fc.record({ bias: fc.boolean(), activation: fc.constantFrom<Activation>('linear', 'relu', 'relu6') }), { nil: undefined }),
        seed: fc.integer({ min: 1, max: 1 << 20 }),
      })
      .filter(({ cin, cout }) => cin * cout >= 256)
      .filter(({ h, w, pad }) => {
        // At least one output pixel.
        const [padH, padW] = pad === 'same' ? [2, 2] : pad === 'valid' ? [0, 0] : typeof pad === 'number' ? [2 * pad, 2 * pad] : [pad[1][0] + pad[1][1], pad[2][0] + pad[2][1]];
        return h + padH >= 3 && w + padW >= 3;
      });
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ n, h, w, cin, cout, pad, fused, seed }) => {
        const c: ConvCase = { x: [n, h, w, cin], cout, pad, scale: 2 };
        if (fused !== undefined) c.fused = fused;
        await expectWinograd(convBody(c, seed), [1], toleranceOf(c));
      }),
      { numRuns: 15 },
    );
  });
});

describe('a filter\'s first use on a large image', () => {
  it('runs Winograd, bit-identical to the cached second use, and leaves nothing behind', async () => {
    // 1 × 16 × 16 tiles: enough to transform the filter for this call alone.
    const body = convBody({ x: [1, 64, 64, 16], cout: 16, pad: 'same' }, 70);
    const { winograd } = await expectWinograd(body, [0, 1]);
    expect(maxAbsDifference(winograd[0]!, winograd[1]!)).toBe(0);

    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tensor([1, 64, 64, 16], 71) as tf.Tensor4D;
    const once = async (seed: number): Promise<void> => {
      const f = tensor([3, 3, 16, 16], seed) as tf.Tensor4D;
      const y = tf.conv2d(x, f, 1, 'same');
      await y.data();
      tf.dispose([f, y]);
    };
    // Frees what the body above left in the cache.
    await once(72);
    const ids = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    for (let seed = 73; seed < 76; seed++) {
      await once(seed);
      expect(backend.numDataIds()).toBe(ids);
      expect(tf.memory().numTensors).toBe(tensors);
    }
    x.dispose();
  });
});

describe('cases Winograd does not apply to give the native kernel', () => {
  const conv = (xShape: number[], seed: number, strides = 1, dilations = 1) => (filter: tf.Tensor4D) =>
    tf.conv2d(tensor(xShape, seed) as tf.Tensor4D, filter, strides, 'same', 'NHWC', dilations);
  const filterOf = (shape: [number, number, number, number], seed: number) => (): tf.Tensor4D => tensor(shape, seed) as tf.Tensor4D;
  const fused = (seed: number, extra: Partial<Parameters<typeof tf.fused.conv2d>[0]>) => (filter: tf.Tensor4D) =>
    tf.fused.conv2d({ x: tensor([1, 8, 8, 16], seed) as tf.Tensor4D, filter, strides: 1, pad: 'same', bias: tensor([16], seed + 1), ...extra });
  const fallbacks: Array<{ name: string; body: () => tf.Tensor[] }> = [
    { name: 'cin 3', body: twice(conv([1, 8, 8, 3], 1), filterOf([3, 3, 3, 96], 2)) },
    { name: 'cout 6', body: twice(conv([1, 8, 8, 64], 3), filterOf([3, 3, 64, 6], 4)) },
    { name: 'cin·cout < 256', body: twice(conv([2, 8, 8, 8], 5), filterOf([3, 3, 8, 16], 6)) },
    { name: 'stride 2', body: twice(conv([1, 9, 9, 16], 7, 2), filterOf([3, 3, 16, 16], 8)) },
    { name: 'dilation 2', body: twice(conv([1, 9, 9, 16], 9, 1, 2), filterOf([3, 3, 16, 16], 10)) },
    { name: '5×5 filter', body: twice(conv([1, 9, 9, 16], 11), filterOf([5, 5, 16, 16], 12)) },
    { name: 'leakyrelu', body: twice(fused(13, { activation: 'leakyrelu', leakyreluAlpha: 0.2 }), filterOf([3, 3, 16, 16], 15)) },
    {
      name: 'prelu',
      body: twice(fused(16, { activation: 'prelu', preluActivationWeights: tensor([16], 18, 0.3) }), filterOf([3, 3, 16, 16], 19)),
    },
  ];
  it.each(fallbacks)('$name', async ({ body }) => {
    await expectNative(body);
  });

  it('a bias of cout elements but not of shape [cout] is not taken as per-channel', async () => {
    // [16, 1] broadcasts along the width of a 16-wide output; the native kernel rejects any bias that
    // is not rank 1, and the override must do the same instead of misreading it. 2×64×16 has 128
    // tiles, enough for Winograd on the filter's first use.
    const body = twice(
      (filter) => tf.fused.conv2d({ x: tensor([2, 64, 16, 16], 20) as tf.Tensor4D, filter, strides: 1, pad: 'same', bias: tensor([16, 1], 21) }),
      filterOf([3, 3, 16, 16], 22),
    );
    await expect(withoutWinograd(() => runOn('wasm', body))).rejects.toThrow(/bias/);
    await expect(runOn('wasm', body)).rejects.toThrow(/bias/);
  });
});

describe('transformed-filter cache', () => {
  const x = (): tf.Tensor4D => tensor([1, 8, 8, 32], 30) as tf.Tensor4D;
  const filter = (seed: number): tf.Tensor4D => tensor([3, 3, 32, 32], seed) as tf.Tensor4D;
  /** One convolution whose output is read and disposed; the cache may keep data behind. */
  const convolve = async (input: tf.Tensor4D, f: tf.Tensor4D): Promise<void> => {
    const y = tf.conv2d(input, f, 1, 'same');
    await y.data();
    y.dispose();
  };

  it('keeps 36 matrices per reused live filter, reuses them, and frees them once the filter is gone', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const input = x();
    const anchor = filter(31);
    // Frees whatever earlier tests left in the cache and caches `anchor`'s transform.
    await convolve(input, anchor);
    await convolve(input, anchor);
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();

    // A new persistent filter: by its second use exactly its 36 transformed matrices stay on the backend.
    const kept = filter(32);
    await convolve(input, kept);
    await convolve(input, kept);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    expect(backend.numDataIds()).toBe(ids + 1 + 36);
    // Cache hits: nothing grows.
    for (let i = 0; i < 4; i++) {
      await convolve(input, kept);
      await convolve(input, anchor);
      expect(tf.memory().numTensors).toBe(tensors + 1);
      expect(backend.numDataIds()).toBe(ids + 1 + 36);
    }
    // The native kernel caches nothing.
    const nativeFilter = filter(33);
    await withoutWinograd(async () => {
      await convolve(input, nativeFilter);
      await convolve(input, nativeFilter);
    });
    expect(backend.numDataIds()).toBe(ids + 2 + 36);
    nativeFilter.dispose();

    // Disposing the filter frees its entry on the next call.
    kept.dispose();
    expect(backend.numDataIds()).toBe(ids + 36);
    await convolve(input, anchor);
    expect(backend.numDataIds()).toBe(ids);
    expect(tf.memory().numTensors).toBe(tensors);

    // A fresh filter per step, used twice (so cached) and then disposed: at most one stale entry is ever held.
    for (let i = 0; i < 5; i++) {
      const f = filter(40 + i);
      await convolve(input, f);
      await convolve(input, f);
      f.dispose();
      expect(backend.numDataIds()).toBe(ids + 36);
      expect(tf.memory().numTensors).toBe(tensors);
    }
    await convolve(input, anchor);
    expect(backend.numDataIds()).toBe(ids);
    tf.dispose([input, anchor]);
  });

  it('gives the same (Winograd) values on every cache hit', async () => {
    await tf.setBackend('wasm');
    const input = x();
    const f = filter(50);
    const outputs = [0, 1, 2].map(() => tf.conv2d(input, f, 1, 'same'));
    const [, second, third] = await Promise.all(outputs.map(async (y) => Float32Array.from(await y.data())));
    expect(Array.from(third!)).toEqual(Array.from(second!));
    const native = await withoutWinograd(async () => {
      const y = tf.conv2d(input, f, 1, 'same');
      const values = Float32Array.from(await y.data());
      y.dispose();
      return values;
    });
    expect(maxAbsDifference(second!, native)).toBeGreaterThan(0);
    expect(relativeError(second!, native)).toBeLessThan(TOLERANCE);
    tf.dispose([input, f, ...outputs]);
  });
});

describe('gradients through a Winograd forward pass', () => {
  it('tf.grads of conv2d and fused conv2d match the cpu backend', async () => {
    // 2 × 8 × 8 tiles: the input gradient's 3×3 correlation with the flipped filter and the filter
    // gradient (winograd_filter_gradient.ts) run as Winograd too.
    const body = (): tf.Tensor[] => {
      const x = tensor([2, 32, 32, 16], 60);
      const f = tensor([3, 3, 16, 16], 61);
      const b = tensor([16], 62);
      const r = tensor([2, 32, 32, 16], 63);
      const loss = (xi: tf.Tensor, fi: tf.Tensor, bi: tf.Tensor): tf.Scalar =>
        tf.sum(
          tf.mul(
            tf.add(
              tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, 1, 'same'),
              tf.fused.conv2d({ x: xi as tf.Tensor4D, filter: fi as tf.Tensor4D, strides: 1, pad: 'same', bias: bi, activation: 'relu' }),
            ),
            r,
          ),
        );
      const { value, grads } = tf.valueAndGrads(loss)([x, f, b]);
      return [value, ...grads];
    };
    const { cpu, winograd, native } = await threeWays(body);
    expect(winograd.length).toBe(4);
    winograd.forEach((values, i) => expect(relativeError(values, cpu[i]!), `output ${i}`).toBeLessThan(1e-4));
    native.forEach((values, i) => expect(relativeError(values, cpu[i]!), `native output ${i}`).toBeLessThan(1e-4));
    // The forward value, the input gradient and the filter gradient went through Winograd.
    expect(maxAbsDifference(winograd[0]!, native[0]!)).toBeGreaterThan(0);
    expect(maxAbsDifference(winograd[1]!, native[1]!)).toBeGreaterThan(0);
    expect(maxAbsDifference(winograd[2]!, native[2]!)).toBeGreaterThan(0);
  });
});
