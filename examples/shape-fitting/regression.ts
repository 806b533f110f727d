/**
 * Deep 3D shape regression (shape-fitting paper §3.4, §4.2): a fully convolutional network regresses
 * the weights of a PCA shape model plus a global similarity pose from the whole volume, and the PCA shape
 * layer turns them into landmarks; trained with the MSE between predicted and true landmarks, evaluated
 * by the landmark error in mm on held-out cases.
 */
import { tensor, tensor5d, train } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Phantom } from '@pedseg/data';
import { PcaShapeModel, buildShapeRegressionNetwork, generalizedProcrustes } from '@pedseg/models';

/** Settings of one shape-regression run. */
export interface RegressionSettings {
  /** Network input `[D, H, W]` (the phantom grid `[nz, ny, nx]`), divisible by 8. */
  readonly inputSize: [number, number, number];
  /** Widths of the five feature layers. */
  readonly widths: [number, number, number, number, number];
  /** PCA modes regressed. */
  readonly modes: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Epochs over the training cases. */
  readonly epochs: number;
  /** Batch size. */
  readonly batchSize: number;
}

/** Landmark errors of one bone's regression network (mean Euclidean distance per case, in mm). */
export interface RegressionResult {
  /** Bone name. */
  readonly bone: string;
  /** Error of the trained network on each test case. */
  readonly test: number[];
  /** Error on the training cases (mean over cases). */
  readonly train: number;
  /** Error of the untrained network — the mean shape at the mean pose — on each test case. */
  readonly meanShape: number[];
  /** Training loss (MSE, normalized coordinates) of the first and last epoch. */
  readonly loss: [number, number];
  /** Network parameters. */
  readonly parameters: number;
}

/** Mean Euclidean distance between corresponding landmarks of two landmark-major 3D shapes. */
export function landmarkError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  const n = a.length / 3;
  for (let i = 0; i < n; i++) sum += Math.hypot(a[3 * i]! - b[3 * i]!, a[3 * i + 1]! - b[3 * i + 1]!, a[3 * i + 2]! - b[3 * i + 2]!);
  return sum / n;
}

/** Z-scored voxels in `[z][y][x]` order — NIfTI's x-fastest layout is already NDHWC's W-fastest. */
function standardized(p: Phantom): Float32Array {
  const d = p.image.data;
  let mean = 0;
  for (let i = 0; i < d.length; i++) mean += d[i] as number;
  mean /= d.length;
  let v = 0;
  for (let i = 0; i < d.length; i++) v += ((d[i] as number) - mean) ** 2;
  const sd = Math.sqrt(v / d.length) || 1;
  return Float32Array.from(d, (x) => (x - mean) / sd);
}

/**
 * Trains the shape-regression network of one bone on `trainCases` and measures its landmark error on
 * `testCases`. Coordinates are normalized to the field of view (centre 0, half-extent 1) so the MSE and
 * the pose parameters are O(1); the PCA model is built from the training cases only (Procrustes, then
 * scaled to their mean centroid size), and the regression starts from the mean shape at the mean
 * position (the paper initializes the PCA layer from the model; the translation bias here too).
 */
export async function trainShapeRegression(
  trainCases: readonly Phantom[],
  testCases: readonly Phantom[],
  boneIndex: number,
  s: RegressionSettings,
): Promise<RegressionResult> {
  const first = trainCases[0] as Phantom;
  const [nx, ny, nz] = first.image.shape;
  if (nz !== s.inputSize[0] || ny !== s.inputSize[1] || nx !== s.inputSize[2]) {
    throw new Error(`shape regression: phantom grid ${first.image.shape.join('×')} does not match the input ${s.inputSize.join('×')} (D, H, W)`);
  }
  // Field-of-view frame: the world positions of the grid's corners (affine rows, mm).
  const a = first.image.affine;
  const corner = (i: number, j: number, k: number): number[] => [0, 1, 2].map((r) => (a[4 * r] as number) * i + (a[4 * r + 1] as number) * j + (a[4 * r + 2] as number) * k + (a[4 * r + 3] as number));
  const lo = corner(0, 0, 0);
  const hi = corner(nx - 1, ny - 1, nz - 1);
  const centre = lo.map((v, r) => (v + (hi[r] as number)) / 2);
  const half = Math.max(...lo.map((v, r) => Math.abs((hi[r] as number) - v) / 2));
  const normalize = (p: ArrayLike<number>): Float64Array => Float64Array.from(p, (v, i) => (v - (centre[i % 3] as number)) / half);
  const shapesOf = (cases: readonly Phantom[]): Float64Array[] => cases.map((c) => normalize((c.landmarks[boneIndex] as Phantom['landmarks'][number]).points));
  const trainShapes = shapesOf(trainCases);
  const L = (trainShapes[0] as Float64Array).length / 3;

  // Shape model: Procrustes-aligned (centred, unit centroid size), rescaled to the mean centroid size.
  const centroidSize = (x: Float64Array): number => {
    const c = [0, 1, 2].map((k) => x.filter((_, i) => i % 3 === k).reduce((u, v) => u + v, 0) / L);
    return Math.sqrt(x.reduce((u, v, i) => u + (v - (c[i % 3] as number)) ** 2, 0));
  };
  const meanSize = trainShapes.reduce((u, x) => u + centroidSize(x), 0) / trainShapes.length;
  const gpa = generalizedProcrustes(trainShapes, 3);
  const model = PcaShapeModel.fit(gpa.aligned.map((x) => Float64Array.from(x, (v) => v * meanSize)), 3).truncate(Math.min(s.modes, trainShapes.length - 1));
  const meanCentroid = [0, 1, 2].map((k) => trainShapes.reduce((u, x) => u + x.filter((_, i) => i % 3 === k).reduce((p, q) => p + q, 0) / L, 0) / trainShapes.length);

  const net = buildShapeRegressionNetwork({ shapeModel: model, numLandmarks: L, inputSize: s.inputSize, widths: [...s.widths] });
  // Start from the mean position: translation bias = the training shapes' mean centroid.
  const params = net.getLayer('parameters');
  const [kernel, bias] = params.getWeights();
  const b = Array.from((bias as Tensor).dataSync());
  meanCentroid.forEach((v, k) => (b[model.numComponents + k] = v));
  const newBias = tensor(b);
  params.setWeights([kernel as Tensor, newBias]);
  newBias.dispose();

  const volume = (cases: readonly Phantom[]): Tensor => {
    const buf = new Float32Array(cases.length * nx * ny * nz);
    cases.forEach((c, i) => buf.set(standardized(c), i * nx * ny * nz));
    return tensor5d(buf, [cases.length, nz, ny, nx, 1]);
  };
  const targets = (shapes: readonly Float64Array[]): Tensor => tensor(shapes.flatMap((x) => Array.from(x)), [shapes.length, L, 3]);
  const xTrain = volume(trainCases);
  const yTrain = targets(trainShapes);
  const xTest = volume(testCases);
  const predictMm = (x: Tensor): Float64Array[] => {
    const out = net.predict(x, { batchSize: s.batchSize }) as Tensor;
    const flat = out.dataSync();
    out.dispose();
    return Array.from({ length: x.shape[0] as number }, (_, i) => Float64Array.from(flat.subarray(i * L * 3, (i + 1) * L * 3), (v, j) => v * half + (centre[j % 3] as number)));
  };
  const mm = (cases: readonly Phantom[]): Float64Array[] => cases.map((c) => (c.landmarks[boneIndex] as Phantom['landmarks'][number]).points);
  const meanShape = predictMm(xTest).map((p, i) => landmarkError(p, mm(testCases)[i] as Float64Array));

  net.compile({ optimizer: train.adam(s.learningRate), loss: 'meanSquaredError' });
  const history = await net.fit(xTrain, yTrain, { epochs: s.epochs, batchSize: s.batchSize, shuffle: true, verbose: 0 });
  const losses = history.history['loss'] as number[];

  const testPred = predictMm(xTest);
  const trainPred = predictMm(xTrain);
  const truthTrain = mm(trainCases);
  const result: RegressionResult = {
    bone: (first.landmarks[boneIndex] as Phantom['landmarks'][number]).name,
    test: testPred.map((p, i) => landmarkError(p, mm(testCases)[i] as Float64Array)),
    train: trainPred.reduce((u, p, i) => u + landmarkError(p, truthTrain[i] as Float64Array), 0) / trainPred.length,
    meanShape,
    loss: [losses[0] ?? NaN, losses[losses.length - 1] ?? NaN],
    parameters: net.countParams(),
  };
  xTrain.dispose();
  yTrain.dispose();
  xTest.dispose();
  net.dispose();
  return result;
}
