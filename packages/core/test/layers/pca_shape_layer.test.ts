import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayerConfigError, LayerInputError, PcaShapeLayer, rotationMatrices } from '@pedseg/core';
import { expectClose, expectFlatMemory, expectGradientsMatch, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

const square = [1, 0, 0, 1, -1, 0, 0, -1]; // four 2D landmarks
const tri3 = [1, 0, 0, 0, 2, 0, 0, 0, 3]; // three 3D landmarks

describe('rotationMatrices', () => {
  it('known rotations: 2D 90°, 3D about x, y, z and the composition order R_z R_y R_x', () => {
    const q = Math.PI / 2;
    expectClose(rotationMatrices(tf.tensor2d([[q]])).dataSync(), [0, -1, 1, 0], 1e-7);
    expectClose(rotationMatrices(tf.tensor2d([[q, 0, 0]])).dataSync(), [1, 0, 0, 0, 0, -1, 0, 1, 0], 1e-7);
    expectClose(rotationMatrices(tf.tensor2d([[0, q, 0]])).dataSync(), [0, 0, 1, 0, 1, 0, -1, 0, 0], 1e-7);
    expectClose(rotationMatrices(tf.tensor2d([[0, 0, q]])).dataSync(), [0, -1, 0, 1, 0, 0, 0, 0, 1], 1e-7);
    // x first then z: e_y →(R_x 90°) e_z →(R_z 90°) e_z; e_x →(R_x) e_x →(R_z) e_y.
    const r = rotationMatrices(tf.tensor2d([[q, 0, q]]));
    expectClose(tf.matMul(tf.reshape(r, [3, 3]), tf.tensor2d([[1, 0], [0, 1], [0, 0]])).dataSync(), [0, 0, 1, 0, 0, 1], 1e-7);
  });
});

describe('PcaShapeLayer', () => {
  it('with zero components returns the transformed mean (2D: scale, rotate 90°, translate)', () => {
    const layer = new PcaShapeLayer({ dims: 2, numLandmarks: 4, numComponents: 0, shapeModel: { mean: square, components: [] } });
    // [t_x, t_y, θ, log s_x, log s_y]
    const params = tf.tensor2d([[0, 0, 0, 0, 0], [10, -5, Math.PI / 2, Math.log(2), Math.log(3)]]);
    const y = layer.apply(params) as tf.Tensor;
    expect(y.shape).toEqual([2, 4, 2]);
    const out = y.arraySync() as number[][][];
    expectClose(out[0]!.flat(), square, 1e-6);
    // scale: (1,0)→(2,0) →rot (0,2) → (10,-3); (0,1)→(0,3)→(-3,0)→(7,-5); (-1,0)→(-2,0)→(0,-2)→(10,-7); (0,-1)→(0,-3)→(3,0)→(13,-5).
    expectClose(out[1]!.flat(), [10, -3, 7, -5, 10, -7, 13, -5], 1e-5);
  });

  it('adds Σ b_m c_m to the mean before the transform (3D, direct scale)', () => {
    const c0 = [1, 1, 1, 0, 0, 0, 0, 0, 0];
    const c1 = [0, 0, 0, 0, 1, 0, 0, 0, -1];
    const layer = new PcaShapeLayer({
      dims: 3,
      numLandmarks: 3,
      numComponents: 2,
      scaleParameterization: 'direct',
      shapeModel: { mean: tri3, components: [c0, c1] },
    });
    expect(layer.parameterCount).toBe(11);
    // b = (2, -1); t = (1, 2, 3); rotation about z by 90°; scale 1.
    const y = layer.apply(tf.tensor2d([[2, -1, 1, 2, 3, 0, 0, Math.PI / 2, 1, 1, 1]])) as tf.Tensor;
    const shape = tri3.map((v, i) => v + 2 * c0[i]! - c1[i]!); // (3,2,2), (0,1,0), (0,0,4)
    const rotZ = (p: number[]) => [-p[1]!, p[0]!, p[2]!];
    const expected = [0, 1, 2].flatMap((l) => rotZ(shape.slice(3 * l, 3 * l + 3)).map((v, a) => v + [1, 2, 3][a]!));
    expectClose(y.dataSync(), expected, 1e-5);
    expect(layer.trainableWeights.length).toBe(0);
    expect(layer.nonTrainableWeights.map((w) => w.shape)).toEqual([[3, 3], [2, 3, 3]]);
  });

  it('gradients w.r.t. the parameters match finite differences (2D and 3D)', () => {
    const l2 = new PcaShapeLayer({ dims: 2, numLandmarks: 3, numComponents: 1, shapeModel: { mean: [1, 0, 0, 2, -1, -1], components: [[0.5, 0, 0, 0.5, 0, -1]] } });
    expectGradientsMatch(l2, [rand([2, 6], 1, 0.5)], [0], true);
    const l3 = new PcaShapeLayer({ dims: 3, numLandmarks: 3, numComponents: 1, shapeModel: { mean: tri3, components: [tri3.map((v) => v / 3)] } });
    expectGradientsMatch(l3, [rand([2, 10], 2, 0.5)], [0], true);
  });

  it('inside a model: a Dense regressor feeding the shape layer trains; memory flat', () => {
    const input = tfl.input({ shape: [4] });
    const params = tfl.layers.dense({ units: 6, kernelInitializer: 'zeros' }).apply(input) as tfl.SymbolicTensor;
    const layer = new PcaShapeLayer({ dims: 2, numLandmarks: 3, numComponents: 1, shapeModel: { mean: [1, 0, 0, 1, -1, 0], components: [[0, 1, 0, 0, 0, 0]] } });
    const landmarks = layer.apply(params) as tfl.SymbolicTensor;
    expect(landmarks.shape).toEqual([null, 3, 2]);
    const model = tfl.model({ inputs: input, outputs: landmarks });
    const opt = tf.train.sgd(0.01);
    const x = rand([2, 4]);
    const target = rand([2, 3, 2], 3);
    expectFlatMemory(() => opt.minimize(() => tf.losses.meanSquaredError(target, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar));
  });

  it('typed errors for a mismatched shape model or parameter count', () => {
    expect(() => new PcaShapeLayer({ dims: 2, numLandmarks: 4, numComponents: 0, shapeModel: { mean: [1, 2], components: [] } })).toThrow(LayerConfigError);
    expect(() => new PcaShapeLayer({ dims: 4 as 3, numLandmarks: 1, numComponents: 0 })).toThrow(LayerConfigError);
    const layer = new PcaShapeLayer({ dims: 3, numLandmarks: 2, numComponents: 1 });
    expect(() => layer.apply(tf.zeros([1, 9]))).toThrow(LayerInputError);
    expect(() => layer.setShapeModel({ mean: [0, 0, 0, 0, 0, 0], components: [] })).toThrow(LayerConfigError);
  });
});
