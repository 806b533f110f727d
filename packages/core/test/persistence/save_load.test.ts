import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttentionGate,
  DomainSpecificBatchNorm,
  DomainSpecificHeads,
  InstanceNormalization,
  MODEL_JSON,
  ModelFileError,
  MultiDomainAttentionGate,
  MultiDomainConvBlock,
  MultiDomainMBConv,
  PcaShapeLayer,
  SqueezeExcitation,
  UnknownLayerClassError,
  WEIGHTS_BIN,
  loadModel,
  saveModel,
} from '@pedseg/core';

let root = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'pedseg-persistence-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A small functional model using every custom layer, inputs [image, domain]. */
function buildModel(): tfl.LayersModel {
  const image = tfl.input({ shape: [4, 4, 2], name: 'image' });
  const domain = tfl.input({ shape: [1], dtype: 'int32', name: 'domain' });
  const c1 = new MultiDomainConvBlock({ numDomains: 2, filters: 4, activation: 'silu' }).apply([image, domain]) as tfl.SymbolicTensor;
  const n1 = new InstanceNormalization().apply(c1) as tfl.SymbolicTensor;
  const m1 = new MultiDomainMBConv({ numDomains: 2, filters: 4, expandRatio: 2 }).apply([n1, domain]) as tfl.SymbolicTensor;
  const s1 = new SqueezeExcitation({ squeezeChannels: 2 }).apply(m1) as tfl.SymbolicTensor;
  const [gated, alpha] = new MultiDomainAttentionGate({ numDomains: 2, intermediateChannels: 2, returnAttention: true }).apply([
    s1,
    c1,
    domain,
  ]) as tfl.SymbolicTensor[];
  const g2 = new AttentionGate({ intermediateChannels: 2 }).apply([gated!, n1]) as tfl.SymbolicTensor;
  const b = new DomainSpecificBatchNorm({ numDomains: 2 }).apply([g2, domain]) as tfl.SymbolicTensor;
  const probs = new DomainSpecificHeads({ classCounts: [2, 3], name: 'heads' }).apply([b, domain]) as tfl.SymbolicTensor;
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(b) as tfl.SymbolicTensor;
  const params = tfl.layers.dense({ units: 6 }).apply(pooled) as tfl.SymbolicTensor;
  const landmarks = new PcaShapeLayer({
    dims: 2,
    numLandmarks: 3,
    numComponents: 1,
    shapeModel: { mean: [1, 0, 0, 1, -1, 0], components: [[0, 0.5, 0, 0, 0.5, 0]] },
  }).apply(params) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [image, domain], outputs: [probs, alpha!, landmarks] });
}

const x = () => tf.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 7);
const d = () => tf.tensor2d([[0], [1], [1]], [3, 1], 'int32');

/**
 * One custom training step (tfjs-layers' fit() adds unreduced per-output losses, which fails for outputs of
 * different ranks, so multi-output models train with a loop like this one).
 */
function trainStep(model: tfl.LayersModel): void {
  const opt = tf.train.sgd(0.05);
  const [xs, ds] = [x(), d()];
  opt.minimize(() => {
    const [probs, alpha, landmarks] = model.apply([xs, ds], { training: true }) as tf.Tensor[];
    return tf.addN([tf.mean(tf.neg(tf.log(tf.add(probs!, 1e-6)))), tf.mean(alpha!), tf.mean(tf.square(landmarks!))]) as tf.Scalar;
  });
  tf.dispose([xs, ds]);
}

describe('saveModel / loadModel', () => {
  it('round-trips every custom layer with identical outputs (after moving statistics have moved)', async () => {
    const model = buildModel();
    trainStep(model);
    const movingMeans = model.weights.filter((w) => w.name.endsWith('moving_mean'));
    expect(movingMeans.length).toBeGreaterThan(3);
    expect(movingMeans.every((w) => tf.any(tf.notEqual(w.read(), 0)).dataSync()[0] === 1)).toBe(true);
    const dir = join(root, 'model');
    await saveModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual([MODEL_JSON, WEIGHTS_BIN]);
    expect((await readdir(root)).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
    const loaded = await loadModel(dir);
    const before = (model.predict([x(), d()]) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const after = (loaded.predict([x(), d()]) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    expect(loaded.getWeights().map((w) => w.shape)).toEqual(model.getWeights().map((w) => w.shape));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    // A loaded model keeps training.
    trainStep(loaded);
    // Saving over an existing model directory replaces it atomically.
    await saveModel(loaded, dir);
    const reloaded = await loadModel(dir);
    const third = (reloaded.predict([x(), d()]) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const expected = (loaded.predict([x(), d()]) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(third).toEqual(expected);
    expect((await readdir(root)).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
  });

  it('missing, truncated, corrupt and unknown-class directories raise typed errors', async () => {
    await expect(loadModel(join(root, 'nope'))).rejects.toBeInstanceOf(ModelFileError);
    const model = buildModel();
    const dir = join(root, 'broken');
    await saveModel(model, dir);
    const weights = join(dir, WEIGHTS_BIN);
    const size = (await stat(weights)).size;
    await truncate(weights, size - 4);
    await expect(loadModel(dir)).rejects.toThrow(/truncated/);
    await expect(loadModel(dir)).rejects.toBeInstanceOf(ModelFileError);
    await rm(weights);
    await expect(loadModel(dir)).rejects.toThrow(/missing/);

    const json = await readFile(join(dir, MODEL_JSON), 'utf8');
    await writeFile(join(dir, MODEL_JSON), json.slice(0, json.length / 2));
    await expect(loadModel(dir)).rejects.toThrow(/not valid JSON/);

    const fresh = join(root, 'unknown');
    await saveModel(model, fresh);
    const text = await readFile(join(fresh, MODEL_JSON), 'utf8');
    await writeFile(join(fresh, MODEL_JSON), text.replace('"class_name":"DomainSpecificHeads"', '"class_name":"NoSuchLayer"'));
    const error = await loadModel(fresh).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownLayerClassError);
    expect((error as UnknownLayerClassError).className).toBe('NoSuchLayer');

    await rm(join(fresh, MODEL_JSON));
    await expect(loadModel(fresh)).rejects.toThrow(/model.json is missing/);
  });

  it('refuses to overwrite a file or a non-model directory', async () => {
    const model = buildModel();
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    await expect(saveModel(model, file)).rejects.toBeInstanceOf(ModelFileError);
    const other = join(root, 'other');
    await mkdir(other);
    await writeFile(join(other, 'notes.txt'), 'keep me');
    await expect(saveModel(model, other)).rejects.toThrow(/refusing/);
    expect(await readFile(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
