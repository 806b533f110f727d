import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUGMENTATION_PRESETS,
  Augmenter,
  DataArgumentError,
  IDENTITY_AUGMENTATION,
  Rng,
  augmentBatch,
  augmentationMatrix,
  sampleAugmentation,
  type AugmentationParams,
} from '@pedseg/data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const H = 9;
const W = 11;

/** A label map with a few rectangles of labels 1–3. */
function blobs(seed: number, batch: number): Int32Array {
  const rng = new Rng(seed);
  const out = new Int32Array(batch * H * W);
  for (let b = 0; b < batch; b += 1) {
    for (let k = 1; k <= 3; k += 1) {
      const r0 = rng.int(H - 2), c0 = rng.int(W - 2), h = 1 + rng.int(4), w = 1 + rng.int(4);
      for (let r = r0; r < Math.min(H, r0 + h); r += 1) for (let c = c0; c < Math.min(W, c0 + w); c += 1) out[b * H * W + r * W + c] = k;
    }
  }
  return out;
}

function run(labels: Int32Array, batch: number, params: AugmentationParams[], nearest = true) {
  return tf.tidy(() => {
    const y = tf.tensor3d(labels, [batch, H, W], 'int32');
    const x = tf.mul(tf.cast(tf.reshape(y, [batch, H, W, 1]), 'float32'), 10) as tf.Tensor4D;
    const out = augmentBatch(x, y, params, { imageInterpolation: nearest ? 'nearest' : 'bilinear', imageFill: 'constant', imageFillValue: 0 });
    return { images: Array.from(out.images.dataSync()), labels: Array.from(out.labels.dataSync()), dtype: out.labels.dtype, shape: out.labels.shape };
  });
}

describe('augmentationMatrix', () => {
  it('is exactly the identity for the identity augmentation', () => {
    expect(augmentationMatrix(IDENTITY_AUGMENTATION, H, W)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
  });
  it('maps output pixels of a horizontal flip to the mirrored input column', () => {
    expect(augmentationMatrix({ ...IDENTITY_AUGMENTATION, flipHorizontal: true }, H, W)).toEqual([-1, 0, W - 1, 0, 1, 0, 0, 0]);
  });
});

describe('augmentBatch', () => {
  it('shifts by whole pixels, flips, and rotates 180° like a double flip (hand-checked)', () => {
    const labels = blobs(1, 1);
    const shifted = run(labels, 1, [{ ...IDENTITY_AUGMENTATION, shiftX: 2 / W }]).labels;
    for (let r = 0; r < H; r += 1) {
      for (let c = 0; c < W; c += 1) expect(shifted[r * W + c]).toBe(c >= 2 ? labels[r * W + c - 2] : 0);
    }
    const flipped = run(labels, 1, [{ ...IDENTITY_AUGMENTATION, flipVertical: true }]).labels;
    for (let r = 0; r < H; r += 1) for (let c = 0; c < W; c += 1) expect(flipped[r * W + c]).toBe(labels[(H - 1 - r) * W + c]);
    const rot = run(labels, 1, [{ ...IDENTITY_AUGMENTATION, rotation: Math.PI }]).labels;
    const both = run(labels, 1, [{ ...IDENTITY_AUGMENTATION, flipHorizontal: true, flipVertical: true }]).labels;
    expect(rot).toEqual(both);
  });

  it('property: the transformed image\'s label map equals the transformed label map, labels stay in the set', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.record({
          scale: fc.double({ min: 0.6, max: 1.4, noNaN: true }),
          rotation: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
          shiftX: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
          shiftY: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
          flipHorizontal: fc.boolean(),
          flipVertical: fc.boolean(),
        }),
        (seed, p) => {
          const labels = blobs(seed, 2);
          const out = run(labels, 2, [p, IDENTITY_AUGMENTATION]);
          const fromImage = out.images.map((v) => Math.round(v / 10));
          expect(fromImage).toEqual(out.labels);
          const allowed = new Set(labels);
          allowed.add(0);
          for (const v of out.labels) expect(allowed.has(v)).toBe(true);
          // the second sample got the identity: untouched
          expect(out.labels.slice(H * W)).toEqual(Array.from(labels.subarray(H * W)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps the label dtype and shape ([B, H, W] int32 and [B, H, W, 1] float32)', () => {
    const labels = blobs(2, 2);
    const out = run(labels, 2, [IDENTITY_AUGMENTATION, IDENTITY_AUGMENTATION]);
    expect(out.dtype).toBe('int32');
    expect(out.shape).toEqual([2, H, W]);
    tf.tidy(() => {
      const y = tf.tensor4d(Float32Array.from(labels), [2, H, W, 1]);
      const x = tf.zeros([2, H, W, 1]) as tf.Tensor4D;
      const o = augmentBatch(x, y, [IDENTITY_AUGMENTATION, IDENTITY_AUGMENTATION]);
      expect(o.labels.dtype).toBe('float32');
      expect(o.labels.shape).toEqual([2, H, W, 1]);
    });
  });

  it('rejects mismatched shapes and parameter counts', () => {
    tf.tidy(() => {
      const x = tf.zeros([2, H, W, 1]) as tf.Tensor4D;
      expect(() => augmentBatch(x, tf.zeros([2, H, W + 1], 'int32'), [IDENTITY_AUGMENTATION, IDENTITY_AUGMENTATION])).toThrow(DataArgumentError);
      expect(() => augmentBatch(x, tf.zeros([2, H, W], 'int32'), [IDENTITY_AUGMENTATION])).toThrow(DataArgumentError);
    });
  });
});

describe('Augmenter', () => {
  it('is the identity at zero magnitude, even with bilinear interpolation and every preset', () => {
    for (const preset of Object.keys(AUGMENTATION_PRESETS) as (keyof typeof AUGMENTATION_PRESETS)[]) {
      const aug = new Augmenter(preset, { seed: 1, magnitude: 0 });
      tf.tidy(() => {
        const x = tf.randomNormal([3, H, W, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
        const y = tf.tensor3d(blobs(3, 3), [3, H, W], 'int32');
        const out = aug.apply(x, y);
        expect(Array.from(out.images.dataSync())).toEqual(Array.from(x.dataSync()));
        expect(Array.from(out.labels.dataSync())).toEqual(Array.from(y.dataSync()));
      });
    }
  });

  it('draws within the preset ranges and is seeded', () => {
    const r = AUGMENTATION_PRESETS.combReg;
    const a = new Augmenter('combReg', { seed: 9 }).sample(200);
    const b = new Augmenter('combReg', { seed: 9 }).sample(200);
    expect(a).toEqual(b);
    for (const p of a) {
      expect(Math.abs(p.scale - 1)).toBeLessThanOrEqual(r.scale);
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual((r.rotation * Math.PI) / 180);
      expect(Math.abs(p.shiftX)).toBeLessThanOrEqual(r.shift);
      expect(Math.abs(p.shiftY)).toBeLessThanOrEqual(r.shift);
    }
    expect(a.some((p) => p.flipHorizontal) && a.some((p) => !p.flipHorizontal)).toBe(true);
    const mtmd = new Augmenter('mtmd', { seed: 9 }).sample(50);
    expect(mtmd.every((p) => p.scale === 1 && Math.abs(p.rotation) <= (22.5 * Math.PI) / 180 && Math.abs(p.shiftX) <= 0.1)).toBe(true);
    expect(sampleAugmentation(AUGMENTATION_PRESETS.dslContrastive, new Rng(1)).scale).toBe(1);
  });

  it('leaves no tensors behind', () => {
    const aug = new Augmenter('dslContrastive', { seed: 2 });
    const x = tf.randomNormal([4, H, W, 1]) as tf.Tensor4D;
    const y = tf.tensor3d(blobs(4, 4), [4, H, W], 'int32');
    const before = tf.memory().numTensors;
    const out = aug.apply(x, y);
    out.images.dispose();
    out.labels.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    y.dispose();
  });

  it('rejects unknown presets and invalid ranges', () => {
    expect(() => new Augmenter('strong' as 'mtmd', { seed: 1 })).toThrow(DataArgumentError);
    expect(() => new Augmenter({ scale: 1.5, rotation: 0, shift: 0, flipHorizontal: false, flipVertical: false }, { seed: 1 })).toThrow(DataArgumentError);
    expect(() => new Augmenter('mtmd', { seed: 1, magnitude: -1 }).sample(1)).toThrow(DataArgumentError);
  });
});
