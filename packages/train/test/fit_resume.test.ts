import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { categoricalCrossEntropy, softDiceLoss } from '@pedseg/losses';
import { CsvLogger, JsonlLogger, ProgressBar, Trainer, fit, latestCheckpoint, loadBestWeights } from '@pedseg/train';
import type { FitResult, StepContext, TermValues } from '@pedseg/train';
import { discDataset, makeBatch, sameArrays, tempDir, tinySegmenter, useCpu, weightValues } from './helpers.js';

beforeAll(useCpu);

const data = discDataset(8, 5);
const valData = discDataset(4, 99);

function dice(model: ReturnType<typeof tinySegmenter>): number {
  return tf.tidy(() => {
    const { x, y } = makeBatch(valData, [0, 1, 2, 3]);
    const p = model.predict(x) as tf.Tensor;
    const pred = tf.cast(tf.equal(tf.argMax(p, -1), 1), 'float32');
    const gt = tf.cast(tf.equal(tf.argMax(y, -1), 1), 'float32');
    const inter = tf.sum(tf.mul(pred, gt)).dataSync()[0] as number;
    const total = (tf.sum(pred).dataSync()[0] as number) + (tf.sum(gt).dataSync()[0] as number);
    return total === 0 ? 1 : (2 * inter) / total;
  });
}

async function run(dir: string, options: { interruptAtStep?: number; modelSeed?: number; memory?: number[] } = {}): Promise<{ result: FitResult; weights: Float32Array[] }> {
  const seg = tinySegmenter(options.modelSeed ?? 1);
  const trainer = new Trainer({ segmentation: { model: seg, optimizer: { learningRate: 1e-2 } } });
  const lines: string[] = [];
  const result = await fit({
    trainer,
    epochs: 3,
    stepsPerEpoch: 2,
    seed: 7,
    batchSize: 4,
    checkpointDir: join(dir, 'checkpoints'),
    checkpointEvery: 1,
    callbacks: [
      new ProgressBar({ stream: { write: (t: string) => lines.push(t) }, tty: false }),
      new JsonlLogger(join(dir, 'log.jsonl')),
      new CsvLogger(join(dir, 'epochs.csv')),
      { onEpochEnd: () => void options.memory?.push(tf.memory().numTensors) },
    ],
    trainStep(ctx: StepContext): TermValues {
      if (ctx.step === options.interruptAtStep) process.emit('SIGINT');
      const order = ctx.permutation(data.images.length);
      const idx = order.slice(ctx.batch * 4, ctx.batch * 4 + 4);
      const flip = ctx.rng.next() < 0.5;
      const { x, y } = makeBatch(data, idx);
      const xs = flip ? tf.reverse(x, 2) : x;
      const ys = flip ? tf.reverse(y, 2) : y;
      const logs = trainer.step('segmentation', () => {
        const p = seg.apply(xs, { training: true }) as tf.Tensor;
        const ce = categoricalCrossEntropy(ys, p);
        const d = softDiceLoss(ys, p);
        return { total: tf.add(ce, d) as tf.Scalar, ce, dice: d };
      });
      tf.dispose([x, y, xs, ys]);
      return logs;
    },
    validate: () => ({ dice: dice(seg) }),
  });
  const weights = weightValues(seg);
  trainer.dispose();
  seg.dispose();
  return { result, weights };
}

describe('fit', () => {
  it('an interrupted run resumed from its checkpoint ends with bit-identical weights', async () => {
    const memory: number[] = [];
    const a = await run(tempDir('a'), { memory });
    expect(a.result.interrupted).toBe(false);
    expect(a.result.history).toHaveLength(3);
    expect(a.result.step).toBe(6);
    // Memory flat over epochs.
    expect(new Set(memory).size).toBe(1);
    // Loss falls over the epochs.
    const ce = a.result.history.map((h) => h.train['ce'] as number);
    expect(ce[2]).toBeLessThan(ce[0] as number);

    const dirB = tempDir('b');
    const b1 = await run(dirB, { interruptAtStep: 2 });
    expect(b1.result.interrupted).toBe(true);
    expect(b1.result.step).toBe(3);
    expect(await latestCheckpoint(join(dirB, 'checkpoints'))).toMatch(/step-000000003$/);
    // A fresh model with different initial weights: everything comes from the checkpoint.
    const b2 = await run(dirB, { modelSeed: 42 });
    expect(b2.result.interrupted).toBe(false);
    expect(b2.result.step).toBe(6);
    expect(b2.result.history).toHaveLength(3);
    expect(sameArrays(b2.weights, a.weights)).toBe(true);
    expect(b2.result.history.map((h) => h.train)).toEqual(a.result.history.map((h) => h.train));
    expect(b2.result.best).toEqual(a.result.best);

    // Logs: JSONL has 6 batch lines + 3 epoch lines across both processes; CSV a header + 3 rows.
    const jsonl = readFileSync(join(dirB, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(jsonl.filter((l) => l.type === 'batch')).toHaveLength(6);
    expect(jsonl.filter((l) => l.type === 'epoch')).toHaveLength(3);
    const csv = readFileSync(join(dirB, 'epochs.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('epoch,seconds,train_total,train_ce,train_dice,val_dice');
    expect(csv).toHaveLength(4);
    // Old checkpoints pruned (keep 2), no temp folders left.
    const entries = readdirSync(join(dirB, 'checkpoints'));
    expect(entries.filter((e) => e.startsWith('step-'))).toEqual(['step-000000005', 'step-000000006']);
    expect(entries.filter((e) => e.startsWith('.'))).toEqual([]);
    expect(existsSync(join(dirB, 'checkpoints', 'best', 'networks', 'segmentation', 'model.json'))).toBe(true);
  });

  it('best weights are those of the best validation epoch', async () => {
    const dir = tempDir('best');
    const seg = tinySegmenter();
    const trainer = new Trainer({ segmentation: { model: seg, optimizer: { learningRate: 1e-2 } } });
    const scores = [0.5, 0.9, 0.7];
    const snapshots: Float32Array[][] = [];
    const x = tf.ones([2, 16, 16, 1]);
    const result = await fit({
      trainer,
      epochs: 3,
      stepsPerEpoch: 1,
      checkpointDir: dir,
      trainStep: () =>
        trainer.step('segmentation', () => ({ total: tf.mean(seg.apply(x, { training: true }) as tf.Tensor) as tf.Scalar })),
      validate: (epoch) => {
        snapshots.push(weightValues(seg));
        return { dice: scores[epoch] as number };
      },
    });
    expect(result.best).toEqual({ epoch: 1, value: 0.9, monitor: 'dice' });
    const info = await loadBestWeights(dir, trainer);
    expect(info.epoch).toBe(1);
    expect(sameArrays(weightValues(seg), snapshots[1] as Float32Array[])).toBe(true);
    x.dispose();
    trainer.dispose();
    seg.dispose();
  });
});
