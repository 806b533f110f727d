import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Augmenter, DataArgumentError, DomainBalancedSampler, SingleDomainSampler, type SliceSet } from '@pedseg/data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A pool whose slice s is filled with the value `tag * 1000 + s` (image) and label `tag`. */
function pool(tag: number, count: number, H = 4, W = 5): SliceSet {
  const plane = H * W;
  const images = new Float32Array(count * plane);
  const labels = new Uint8Array(count * plane);
  for (let s = 0; s < count; s += 1) {
    images.fill(tag * 1000 + s, s * plane, (s + 1) * plane);
    labels.fill(tag, s * plane, (s + 1) * plane);
  }
  return { height: H, width: W, count, images, labels, sliceIndices: Int32Array.from({ length: count }, (_, i) => i), caseIds: Array(count).fill(`c${tag}`) };
}

describe('DomainBalancedSampler', () => {
  it('splits every batch equally between domains, with matching per-sample domain indices', () => {
    const pools = [pool(1, 7), pool(2, 30), pool(3, 12)];
    const sampler = new DomainBalancedSampler(pools, { batchSize: 6, seed: 4 });
    expect(sampler.perDomain).toBe(2);
    expect(sampler.batchesPerEpoch).toBe(15);
    for (let b = 0; b < 5; b += 1) {
      const batch = sampler.nextBatch();
      expect(batch.images.shape).toEqual([6, 4, 5, 1]);
      expect(batch.labels.shape).toEqual([6, 4, 5]);
      expect(batch.labels.dtype).toBe('int32');
      expect(batch.domain.dtype).toBe('int32');
      expect(batch.domain.shape).toEqual([6]);
      const d = Array.from(batch.domain.dataSync());
      expect(d).toEqual([0, 0, 1, 1, 2, 2]);
      const img = batch.images.dataSync();
      const lab = batch.labels.dataSync();
      for (let i = 0; i < 6; i += 1) {
        // each sample comes from the pool of its domain index
        expect(Math.floor(img[i * 20]! / 1000)).toBe(d[i]! + 1);
        expect(lab[i * 20]).toBe(d[i]! + 1);
      }
      tf.dispose([batch.images, batch.labels, batch.domain]);
    }
  });

  it('shows every slice of a domain once before repeating any (shuffling without replacement)', () => {
    const sampler = new DomainBalancedSampler([pool(1, 5), pool(2, 8)], { batchSize: 2, seed: 1 });
    const seen: number[][] = [[], []];
    for (let b = 0; b < 8; b += 1) for (const e of sampler.nextEntries()) seen[e.domain]!.push(e.slice);
    expect(seen[1]!.slice().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(seen[0]!.slice(0, 5).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(seen[0]!.slice(5, 8).every((s) => s >= 0 && s < 5)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const a = new DomainBalancedSampler([pool(1, 9), pool(2, 9)], { batchSize: 4, seed: 3 });
    const b = new DomainBalancedSampler([pool(1, 9), pool(2, 9)], { batchSize: 4, seed: 3 });
    for (let i = 0; i < 6; i += 1) expect(a.nextEntries()).toEqual(b.nextEntries());
  });

  it('applies augmentation and leaves no tensors behind', () => {
    const sampler = new DomainBalancedSampler([pool(1, 4), pool(2, 4)], { batchSize: 4, seed: 3, augmenter: new Augmenter('mtmd', { seed: 2 }) });
    const before = tf.memory().numTensors;
    const batch = sampler.nextBatch();
    expect(batch.labels.dtype).toBe('int32');
    tf.dispose([batch.images, batch.labels, batch.domain]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects an indivisible batch size, empty pools and differing slice sizes', () => {
    expect(() => new DomainBalancedSampler([pool(1, 3), pool(2, 3), pool(3, 3)], { batchSize: 4, seed: 0 })).toThrow(DataArgumentError);
    expect(() => new DomainBalancedSampler([pool(1, 3), pool(2, 0)], { batchSize: 4, seed: 0 })).toThrow(DataArgumentError);
    expect(() => new DomainBalancedSampler([pool(1, 3), pool(2, 3, 4, 6)], { batchSize: 4, seed: 0 })).toThrow(DataArgumentError);
    expect(() => new DomainBalancedSampler([], { batchSize: 4, seed: 0 })).toThrow(DataArgumentError);
  });
});

describe('SingleDomainSampler', () => {
  it('covers the pool once per epoch and reports the given domain index', () => {
    const sampler = new SingleDomainSampler(pool(1, 6), { batchSize: 3, seed: 2, domainIndex: 2 });
    expect(sampler.batchesPerEpoch).toBe(2);
    const slices = [...sampler.nextEntries(), ...sampler.nextEntries()].map((e) => e.slice);
    expect(slices.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const batch = sampler.nextBatch();
    expect(Array.from(batch.domain.dataSync())).toEqual([2, 2, 2]);
    tf.dispose([batch.images, batch.labels, batch.domain]);
    expect(() => new SingleDomainSampler(pool(1, 6), { batchSize: 0, seed: 2 })).toThrow(DataArgumentError);
  });
});
