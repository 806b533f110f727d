import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PcaShapeModel, SeparableConv3D, buildShapeRegressionNetwork, generalizedProcrustes } from '@pedseg/models';
import { expectClose, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('SeparableConv3D', () => {
  it('equals a dense conv3d whose kernel is the depth-wise kernel (block-diagonal) times the point-wise one', () => {
    const layer = new SeparableConv3D({ filters: 3, kernelSize: 3 });
    const x = rand([1, 4, 4, 4, 2], 1);
    layer.apply(x);
    const [dw, pw, b] = layer.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    tf.tidy(() => {
      layer.setWeights([dw, pw, tf.tensor1d([0.1, -0.2, 0.3])]);
      // dense kernel K[..., c, f] = dw[..., c, 0] · pw[0,0,0,c,f]
      const dense = tf.mul(tf.reshape(dw, [3, 3, 3, 2, 1]), tf.reshape(pw, [1, 1, 1, 2, 3]));
      const expected = tf.add(tf.conv3d(x as tf.Tensor5D, dense as tf.Tensor5D, 1, 'same'), tf.tensor1d([0.1, -0.2, 0.3]));
      expectClose((layer.apply(x) as tf.Tensor).dataSync(), expected.dataSync(), 1e-5);
    });
    b.dispose();
    x.dispose();
  });
});

describe('shape-regression network', () => {
  const c = (JSON.parse(readFileSync(new URL('./fixtures/ssm.json', import.meta.url), 'utf8')) as { cases: { shapes: number[][] }[] }).cases[1]!;
  const gpa = generalizedProcrustes(c.shapes, 3);
  const ssm = PcaShapeModel.fit(gpa.aligned, 3, { numComponents: 3 });

  it('untrained it outputs the mean shape; landmarks [batch, L, 3]; 1×1×1 conv to M + 9 parameters', () => {
    const model = buildShapeRegressionNetwork({ inputSize: [16, 16, 16], widths: [2, 2, 2, 2, 2], shapeModel: ssm, numLandmarks: 6 });
    expect(model.outputs[0]!.shape).toEqual([null, 6, 3]);
    expect((model.getLayer('parameters').outputShape as number[]).at(-1)).toBe(3 + 9);
    const kernels = model.layers.filter((l) => l instanceof SeparableConv3D).map((l) => (l as SeparableConv3D).kernelSize);
    expect(kernels).toEqual([5, 5, 5, 3, 3]);
    const out = tf.tidy(() => (model.predict(rand([2, 16, 16, 16, 1], 2)) as tf.Tensor).dataSync());
    expectClose(out.slice(0, 18), ssm.mean, 1e-6);
  });

  it('trains with a landmark MSE loss (loss falls, memory flat)', async () => {
    const model = buildShapeRegressionNetwork({ inputSize: [8, 8, 8], widths: [2, 2, 2, 2, 2], shapeModel: ssm, numLandmarks: 6 });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const x = rand([2, 8, 8, 8, 1], 3);
    const target = tf.tensor3d(Array.from(ssm.reconstruct([0.05, -0.02, 0])).map((v) => v * 1.2 + 0.1).concat(Array.from(ssm.mean)), [2, 6, 3]);
    const first = (await model.trainOnBatch(x, target)) as number;
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 15; i++) last = (await model.trainOnBatch(x, target)) as number;
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first * 0.7);
    tf.dispose([x, target]);
  });
});
