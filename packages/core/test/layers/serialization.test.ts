import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AttentionGate,
  DomainSpecificBatchNorm,
  DomainSpecificHeads,
  InstanceNormalization,
  MultiDomainAttentionGate,
  MultiDomainConvBlock,
  MultiDomainMBConv,
  PcaShapeLayer,
  SqueezeExcitation,
} from '@pedseg/core';
import { domains, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

interface Case {
  layer: tfl.layers.Layer;
  inputs: () => tf.Tensor[];
  symbolic: Array<Array<number | null>>;
}

const cases: Record<string, () => Case> = {
  DomainSpecificBatchNorm: () => ({
    layer: new DomainSpecificBatchNorm({ numDomains: 3, epsilon: 1e-3, momentum: 0.9, name: 'dsbn' }),
    inputs: () => [rand([2, 3, 3, 2]), domains([0, 2])],
    symbolic: [[null, 3, 3, 2], [null]],
  }),
  InstanceNormalization: () => ({
    layer: new InstanceNormalization({ epsilon: 1e-4, center: false }),
    inputs: () => [rand([2, 2, 2, 2, 3])],
    symbolic: [[null, 2, 2, 2, 3]],
  }),
  MultiDomainConvBlock: () => ({
    layer: new MultiDomainConvBlock({ numDomains: 2, filters: 3, kernelSize: 3, strides: 2, activation: 'silu' }),
    inputs: () => [rand([2, 5, 3, 2]), domains([1, 0])],
    symbolic: [[null, 5, 3, 2], [null]],
  }),
  AttentionGate: () => ({
    layer: new AttentionGate({ intermediateChannels: 2, returnAttention: true }),
    inputs: () => [rand([2, 3, 3, 2]), rand([2, 3, 3, 4])],
    symbolic: [[null, 3, 3, 2], [null, 3, 3, 4]],
  }),
  MultiDomainAttentionGate: () => ({
    layer: new MultiDomainAttentionGate({ numDomains: 3, intermediateChannels: 2 }),
    inputs: () => [rand([2, 2, 2, 2, 2]), rand([2, 2, 2, 2, 1]), domains([2, 1])],
    symbolic: [[null, 2, 2, 2, 2], [null, 2, 2, 2, 1], [null]],
  }),
  DomainSpecificHeads: () => ({
    layer: new DomainSpecificHeads({ classCounts: [3, 5, 2] }),
    inputs: () => [rand([2, 3, 3, 4]), domains([1, 2])],
    symbolic: [[null, 3, 3, 4], [null]],
  }),
  SqueezeExcitation: () => ({
    layer: new SqueezeExcitation({ squeezeChannels: 2, activation: 'relu' }),
    inputs: () => [rand([2, 3, 3, 4])],
    symbolic: [[null, 3, 3, 4]],
  }),
  MultiDomainMBConv: () => ({
    layer: new MultiDomainMBConv({ numDomains: 2, filters: 3, kernelSize: 5, strides: 2, expandRatio: 6, seRatio: 0.5 }),
    inputs: () => [rand([2, 4, 4, 2]), domains([0, 1])],
    symbolic: [[null, 4, 4, 2], [null]],
  }),
  PcaShapeLayer: () => ({
    layer: new PcaShapeLayer({ dims: 3, numLandmarks: 2, numComponents: 1, scaleParameterization: 'direct' }),
    inputs: () => [rand([2, 10])],
    symbolic: [[null, 10]],
  }),
};

describe('every layer: registered class, getConfig/fromConfig, computeOutputShape', () => {
  for (const [className, make] of Object.entries(cases)) {
    it(className, () => {
      const { layer, inputs, symbolic } = make();
      const cls = layer.constructor as unknown as { className: string };
      expect(cls.className).toBe(className);
      const entry = serialization.SerializationMap.getMap().classNameMap[className];
      expect(entry).toBeDefined();
      const ins = inputs();
      const out = layer.apply(ins.length === 1 ? ins[0]! : ins) as tf.Tensor | tf.Tensor[];
      const outShapes = (Array.isArray(out) ? out : [out]).map((t) => t.shape);
      const predicted = layer.computeOutputShape(symbolic.length === 1 ? symbolic[0]! : symbolic);
      const predictedList = (Array.isArray(predicted[0]) ? predicted : [predicted]) as Array<Array<number | null>>;
      expect(predictedList.map((s) => s.slice(1))).toEqual(outShapes.map((s) => s.slice(1)));

      const config = layer.getConfig();
      const json = JSON.parse(JSON.stringify(config)) as serialization.ConfigDict;
      const [ctor, fromConfig] = entry!;
      const clone = fromConfig(ctor, json) as unknown as tfl.layers.Layer;
      expect(clone.getConfig()).toEqual(config);
      // The clone builds the same weights and, given the same values, computes the same outputs.
      const cloneOut = clone.apply(ins.length === 1 ? ins[0]! : ins) as tf.Tensor | tf.Tensor[];
      clone.setWeights(layer.getWeights());
      const a = (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync()));
      const again = clone.apply(ins.length === 1 ? ins[0]! : ins) as tf.Tensor | tf.Tensor[];
      const b = (Array.isArray(again) ? again : [again]).map((t) => Array.from(t.dataSync()));
      expect(b).toEqual(a);
      tf.dispose([out, cloneOut, again, ins]);
    });
  }
});
