import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { EpochSampler, channelLayout, jointArgmax, selectionMatrices, toJointLayout } from '../src/experiment/multi_domain.js';
import { batchTensors, decodeLabels, targetEncoding } from '../src/experiment/batches.js';
import { createVolume } from '@pedseg/volume';
import { nameGlobalComponents } from '../src/experiment/predict.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

describe('multi-domain channel layouts', () => {
  it('shared head [bg, A1, A2, A3, S1, S2] maps to each joint, other bones into background', () => {
    const layout = channelLayout('shared', [4, 3]);
    expect(layout).toEqual({ width: 6, channels: [[0, 1, 2, 3], [0, 4, 5]] });
    expect(channelLayout('dsl', [4, 3])).toEqual({ width: 4, channels: [[0, 1, 2, 3], [0, 1, 2]] });
    const sel = selectionMatrices(layout, 4);
    const p = tf.tensor4d([0.1, 0.2, 0.05, 0.05, 0.4, 0.2, 0.1, 0.2, 0.05, 0.05, 0.4, 0.2], [2, 1, 1, 6]);
    const d = tf.tensor1d([0, 1], 'int32');
    const out = toJointLayout(p, d, sel);
    const v = Array.from(out.dataSync());
    // ankle sample: bg 0.1 + shoulder bones 0.6; shoulder sample: bg 0.1 + ankle bones 0.3, padding 0.
    [0.7, 0.2, 0.05, 0.05, 0.4, 0.4, 0.2, 0].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 6));
    // Channel-major, two voxels: [0.1, 0.2, 0.1, 0.15, 0.35, 0.1] and a sure humerus. Voxel 0 for the
    // shoulder: background 0.1 + ankle bones 0.45 = 0.55 beats humerus 0.35.
    const data = new Float32Array([0.1, 0.2, 0.1, 0.15, 0.35, 0.1].flatMap((x, ch) => [x, ch === 4 ? 1 : 0]));
    expect(Array.from(jointArgmax(data, layout, 1))).toEqual([0, 1]);
    expect(Array.from(jointArgmax(data, layout, 0))).toEqual([0, 0]);
    tf.dispose([sel, p, d, out]);
  });

  it('property: mapping a distribution to a joint layout keeps it a distribution', () => {
    const layout = channelLayout('shared', [4, 5, 3]);
    const sel = selectionMatrices(layout, 5);
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: layout.width, maxLength: layout.width }), fc.integer({ min: 0, max: 2 }), (raw, k) => {
        const total = raw.reduce((a, b) => a + b, 0) + 1e-3;
        const p = tf.tensor4d(raw.map((x) => x / total), [1, 1, 1, layout.width]);
        const d = tf.tensor1d([k], 'int32');
        const out = toJointLayout(p, d, sel);
        const sum = tf.sum(out).dataSync()[0] as number;
        tf.dispose([p, d, out]);
        return Math.abs(sum - raw.reduce((a, b) => a + b, 0) / total) < 1e-5;
      }),
      { numRuns: 50 },
    );
    sel.dispose();
  });
});

describe('strategy targets and decoding', () => {
  const set = { height: 1, width: 4, count: 1, images: new Float32Array([0, 1, 2, 3]), labels: new Uint8Array([0, 1, 2, 3]), sliceIndices: new Int32Array([0]), caseIds: ['c'] };

  it('encodes multi one-hot, global "any bone", individual one channel per bone', () => {
    const enc = (s: 'multi' | 'global' | 'individual'): number[] => {
      const { x, y } = batchTensors(set, [0], targetEncoding(s, 4));
      const v = Array.from(y.dataSync());
      tf.dispose([x, y]);
      return v;
    };
    expect(enc('multi')).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(enc('global')).toEqual([0, 1, 1, 1]);
    expect(enc('individual')).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('decodes: global thresholds at 0.5, individual takes the most confident bone ≥ 0.5', () => {
    const g = tf.tensor4d([0.2, 0.5, 0.7], [1, 1, 3, 1]);
    const i = tf.tensor4d([0.2, 0.4, 0.6, 0.9, 0.7, 0.1], [1, 1, 3, 2]);
    const dg = decodeLabels(g, 'global');
    const di = decodeLabels(i, 'individual');
    expect(Array.from(dg.dataSync())).toEqual([0, 1, 1]);
    expect(Array.from(di.dataSync())).toEqual([0, 2, 1]);
    tf.dispose([g, i, dg, di]);
  });
});

describe('EpochSampler', () => {
  const pool = (count: number) => ({ height: 1, width: 1, count, images: new Float32Array(count), labels: new Uint8Array(count), sliceIndices: new Int32Array(count), caseIds: [] });
  it('gives batch (epoch, b) whatever the order it is asked in: a resumed epoch replays its batches', () => {
    const pools = [pool(5), pool(3)];
    const run = new EpochSampler(pools, 4, 7);
    const seq = [0, 1, 2].map((b) => run.entries(0, b)).concat([0, 1, 2].map((b) => run.entries(1, b)));
    // Domain-balanced: two slices of each joint per batch, contiguous in domain order.
    for (const batch of seq) expect(batch.map((e) => e.domain)).toEqual([0, 0, 1, 1]);
    // Different epochs give different orders.
    expect(seq.slice(3)).not.toEqual(seq.slice(0, 3));
    const resumed = new EpochSampler(pools, 4, 7);
    expect(resumed.entries(1, 2)).toEqual(seq[5]);
    expect(resumed.entries(1, 0)).toEqual(seq[3]);
    expect(new EpochSampler(pools, 4, 7).entries(0, 1)).toEqual(seq[1]);
  });
});

describe('nameGlobalComponents', () => {
  it('names each kept component after the bone it overlaps most; a bone-free component keeps a free bone name', () => {
    // 1D row of 12 voxels: components [0..3], [5..6], [9..10]; the reference has bone 2 at 0..3, bone 1 at 5..6.
    const mask = createVolume(new Uint8Array([1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0]), [12, 1, 1]);
    const ref = createVolume(new Uint8Array([2, 2, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0]), [12, 1, 1]);
    const named = nameGlobalComponents(mask, ref, 3);
    expect(Array.from(named.data)).toEqual([2, 2, 2, 2, 0, 1, 1, 0, 0, 3, 3, 0]);
    // Only C components are kept.
    expect(Array.from(nameGlobalComponents(mask, ref, 2).data)).toEqual([2, 2, 2, 2, 0, 1, 1, 0, 0, 0, 0, 0]);
  });
});
