import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  ProgressBar,
  TRAINING_PRESETS,
  TrainConfigError,
  Trainer,
  fit,
  loadCheckpoint,
  stepsPerEpoch,
  trainingPreset,
} from '@pedseg/train';
import type { BatchEndEvent } from '@pedseg/train';
import { sameArrays, tempDir, tinySegmenter, useCpu, weightValues } from './helpers.js';

beforeAll(useCpu);

function event(batch: number, logs: Record<string, number>): BatchEndEvent {
  return { epoch: 0, batch, step: batch + 1, epochs: 2, stepsPerEpoch: 4, logs };
}

describe('ProgressBar', () => {
  it('redraws one line on a TTY, prints plain lines otherwise', () => {
    const tty: string[] = [];
    const bar = new ProgressBar({ stream: { write: (t: string) => tty.push(t), isTTY: true, columns: 200 } });
    bar.onTrainBegin({ epochs: 2, stepsPerEpoch: 4, startEpoch: 0, startStep: 0, batchSize: 8 });
    bar.onBatchEnd(event(0, { total: 2, ce: 1 }));
    bar.onBatchEnd(event(1, { total: 4, ce: 3 }));
    expect(tty).toHaveLength(2);
    expect(tty[1]).toMatch(/^\repoch 1\/2 \[=+>? *\] 2\/4 total 3\.000 ce 2\.000 \| [\d.]+ samples\/s ETA \d+:\d\d/);
    bar.onEpochEnd({ record: { epoch: 0, train: { total: 3 }, validation: { dice: 0.8 }, seconds: 65 }, improved: true });
    expect(tty[2]).toBe('\r\x1b[Kepoch 1 done in 1:05 | val_dice 0.8000 (best)\n');

    const plain: string[] = [];
    const p = new ProgressBar({ stream: { write: (t: string) => plain.push(t) } });
    p.onTrainBegin({ epochs: 2, stepsPerEpoch: 4, startEpoch: 1, startStep: 4 });
    for (let b = 0; b < 4; b += 1) p.onBatchEnd(event(b, { total: 1 }));
    expect(plain[0]).toBe('resuming at epoch 2, step 4\n');
    expect(plain.slice(1).every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(plain.slice(1)).toHaveLength(4);
    expect(plain[4]).toMatch(/4\/4 total 1\.000 \| [\d.]+ it\/s ETA 0:00\n$/);
  });
});

describe('presets', () => {
  it('holds the papers’ schedules with their sources', () => {
    expect(trainingPreset('combreg/att-unet')).toMatchObject({ learningRate: 1e-3, batchSize: 32, epochs: 20, lambdas: { lambda1: 0.1, lambda2: 0.01 } });
    expect(trainingPreset('combreg/res-unet')).toMatchObject({ learningRate: 1e-4, batchSize: 16, epochs: 10 });
    expect(trainingPreset('spar/unet')).toMatchObject({ learningRate: 1e-4, batchSize: 32, epochs: 10, lambdas: { lambda: 0.01 } });
    expect(trainingPreset('mtmd/efficient-unet')).toMatchObject({ learningRate: 5e-4, batchSize: 12, epochs: 4, lambdas: { lambda2: 0.05 } });
    expect(trainingPreset('mtmd/auto-encoder')).toMatchObject({ learningRate: 1e-4, batchSize: 24, epochs: 8 });
    expect(trainingPreset('dsl-contrastive/unet')).toMatchObject({ learningRate: 1e-4, batchSize: 32, epochs: 30 });
    for (const [id, p] of Object.entries(TRAINING_PRESETS)) {
      expect(p.id).toBe(id);
      expect(p.source).toMatch(/^00[0-3] /);
      expect(p.learningRate).toBeGreaterThan(0);
    }
    expect(() => trainingPreset('nope')).toThrow(TrainConfigError);
    expect(stepsPerEpoch(33, 32)).toBe(2);
    expect(() => stepsPerEpoch(0, 32)).toThrow(TrainConfigError);
  });
});

describe('fit and checkpoint errors', () => {
  it('rejects bad loop options, a mismatched seed and a damaged checkpoint', async () => {
    const seg = tinySegmenter();
    const trainer = new Trainer({ s: { model: seg, optimizer: { learningRate: 1e-3 } } });
    const x = tf.ones([1, 16, 16, 1]);
    const trainStep = () => trainer.step('s', () => ({ total: tf.mean(seg.apply(x, { training: true }) as tf.Tensor) as tf.Scalar }));
    await expect(fit({ trainer, epochs: 0, stepsPerEpoch: 1, trainStep })).rejects.toThrow(TrainConfigError);
    const dir = tempDir('err');
    await fit({ trainer, epochs: 1, stepsPerEpoch: 1, trainStep, checkpointDir: dir, seed: 1 });
    await expect(fit({ trainer, epochs: 2, stepsPerEpoch: 1, trainStep, checkpointDir: dir, seed: 2 })).rejects.toThrow(/seed 1/);
    const broken = join(dir, 'step-000000099');
    mkdirSync(broken);
    writeFileSync(join(broken, 'state.json'), '{"version": 1, "optimiz');
    await expect(loadCheckpoint(broken, trainer)).rejects.toThrow(CheckpointError);
    writeFileSync(join(dir, 'latest.json'), '{"checkpoint": "../etc"}');
    await expect(fit({ trainer, epochs: 2, stepsPerEpoch: 1, trainStep, checkpointDir: dir, seed: 1 })).rejects.toThrow(CheckpointError);
    // A checkpoint of another architecture is refused before any live weight changes.
    const other = tinySegmenter(1, 3);
    const otherTrainer = new Trainer({ s: { model: other, optimizer: { learningRate: 1e-3 } } });
    const before = weightValues(other);
    await expect(loadCheckpoint(join(dir, 'step-000000001'), otherTrainer)).rejects.toThrow(/optimizer state of 's'/);
    expect(sameArrays(weightValues(other), before)).toBe(true);
    otherTrainer.dispose();
    other.dispose();
    x.dispose();
    trainer.dispose();
    seg.dispose();
  });
});
