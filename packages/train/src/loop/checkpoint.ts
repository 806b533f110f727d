import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadModel, saveModel, writeDirectoryAtomically } from '@pedseg/core';
import type { AdamState } from '../engine/adam.js';
import type { Trainer } from '../engine/trainer.js';
import { CheckpointError } from '../errors.js';
import { writeDurably, writeFileAtomic } from '../io/atomic.js';
import type { RandomState } from '../random.js';
import type { EpochRecord } from './types.js';

/** File naming the most recent checkpoint folder of a checkpoint directory. */
export const LATEST_FILE = 'latest.json';
/** Folder (inside a checkpoint directory) holding the best-on-validation weights. */
export const BEST_DIR = 'best';
const STATE_FILE = 'state.json';
const NETWORKS_DIR = 'networks';
const OPTIMIZERS_DIR = 'optimizers';

/** Everything besides the weights that a resumed run needs to continue exactly. */
export interface TrainingState {
  /** Format version. */
  readonly version: 1;
  /** Epoch in progress (0-based). */
  readonly epoch: number;
  /** Next batch index within `epoch`. */
  readonly batch: number;
  /** Loop steps (batches) completed in total. */
  readonly step: number;
  /** The trainer's optimization-step counter. */
  readonly trainerSteps: number;
  /** The run's seed. */
  readonly seed: number;
  /** State of the run's persistent random stream after the last completed batch. */
  readonly rng: RandomState;
  /** Completed epochs. */
  readonly history: readonly EpochRecord[];
  /** Sums and counts of the terms of the epoch in progress (so its means are exact after resume). */
  readonly partial: { readonly sums: Readonly<Record<string, number>>; readonly count: number };
  /** Best validation score so far. */
  readonly best: { readonly epoch: number; readonly value: number; readonly monitor: string } | null;
  /** Free-form JSON data of the caller. */
  readonly extra?: unknown;
}

interface OptimizerRecord {
  step: number;
  accBeta: [number, number];
  learningRate: number;
  sizes: number[];
}

interface StateFile extends TrainingState {
  optimizers: Record<string, OptimizerRecord>;
}

function stepFolder(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/** Writes the weights (via `saveModel`) and optimizer states of every network into `dir`. */
async function writeNetworks(dir: string, trainer: Trainer, withOptimizers: boolean): Promise<Record<string, OptimizerRecord>> {
  const records: Record<string, OptimizerRecord> = {};
  for (const name of trainer.networks) {
    await saveModel(trainer.model(name), join(dir, NETWORKS_DIR, name));
    if (!withOptimizers) continue;
    const opt = trainer.optimizer(name);
    const state = opt.getState();
    const sizes = state.m.map((a) => a.length);
    const total = sizes.reduce((n, s) => n + s, 0);
    const flat = new Float32Array(2 * total);
    let offset = 0;
    for (const a of [...state.m, ...state.v]) {
      flat.set(a, offset);
      offset += a.length;
    }
    await mkdir(join(dir, OPTIMIZERS_DIR), { recursive: true });
    await writeDurably(join(dir, OPTIMIZERS_DIR, `${name}.bin`), new Uint8Array(flat.buffer));
    records[name] = { step: state.step, accBeta: [...state.accBeta], learningRate: opt.learningRate, sizes };
  }
  return records;
}

/** Loads saved weights into the live model (same variables, so optimizer state stays attached). */
async function restoreWeights(dir: string, trainer: Trainer): Promise<void> {
  for (const name of trainer.networks) {
    const modelDir = join(dir, NETWORKS_DIR, name);
    let loaded;
    try {
      loaded = await loadModel(modelDir);
    } catch (error) {
      throw new CheckpointError(`loadCheckpoint: network '${name}': ${(error as Error).message}`, modelDir);
    }
    const target = trainer.model(name);
    const weights = loaded.getWeights();
    if (weights.length !== target.weights.length) {
      loaded.dispose();
      throw new CheckpointError(
        `loadCheckpoint: network '${name}' in ${modelDir} has ${weights.length} weights, the live model ${target.weights.length}`,
        modelDir,
      );
    }
    try {
      target.setWeights(weights);
    } catch (error) {
      throw new CheckpointError(`loadCheckpoint: network '${name}': ${(error as Error).message}`, modelDir);
    } finally {
      loaded.dispose();
    }
  }
}

/**
 * Writes a checkpoint into `dir/step-<step>/` — every network's weights (via `saveModel` of
 * `@pedseg/core`), every optimizer's moments (`optimizers/<name>.bin`, float32) and the training state
 * (`state.json`: epoch, batch, step, RNG state, history, optimizer step counts and β powers) — into a
 * temporary folder renamed into place, then points `latest.json` at it (also atomically) and deletes
 * all but the `keep` most recent checkpoints. A crash at any moment leaves the previous checkpoint
 * intact and `latest.json` pointing at a complete one.
 *
 * @returns the checkpoint folder.
 */
export async function saveCheckpoint(dir: string, trainer: Trainer, state: TrainingState, keep = 2): Promise<string> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const name = stepFolder(state.step);
  const target = join(root, name);
  await writeDirectoryAtomically(target, async (temp) => {
    const optimizers = await writeNetworks(temp, trainer, true);
    const file: StateFile = { ...state, optimizers };
    await writeDurably(join(temp, STATE_FILE), JSON.stringify(file));
  });
  await writeFileAtomic(join(root, LATEST_FILE), JSON.stringify({ checkpoint: name, step: state.step }));
  const folders = (await readdir(root)).filter((f) => /^step-\d{9}$/.test(f)).sort();
  for (const old of folders.slice(0, Math.max(0, folders.length - Math.max(1, keep)))) {
    if (old !== name) await rm(join(root, old), { recursive: true, force: true });
  }
  return target;
}

/** The folder `latest.json` of a checkpoint directory points to, or `null` when there is none. */
export async function latestCheckpoint(dir: string): Promise<string | null> {
  const root = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(root, LATEST_FILE), 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CheckpointError(`latestCheckpoint: ${join(root, LATEST_FILE)} is not valid JSON`, join(root, LATEST_FILE));
  }
  const name = (parsed as { checkpoint?: unknown }).checkpoint;
  if (typeof name !== 'string' || !/^step-\d{9}$/.test(name)) {
    throw new CheckpointError(`latestCheckpoint: ${join(root, LATEST_FILE)} does not name a checkpoint folder`, join(root, LATEST_FILE));
  }
  return join(root, name);
}

/**
 * Restores a checkpoint folder written by {@link saveCheckpoint} into the trainer's live networks and
 * optimizers, and returns the training state.
 *
 * @throws {@link CheckpointError} when a file is missing or malformed, or the saved networks or
 *   optimizer states do not match the trainer's.
 */
export async function loadCheckpoint(folder: string, trainer: Trainer): Promise<TrainingState> {
  const root = resolve(folder);
  const statePath = join(root, STATE_FILE);
  let file: StateFile;
  try {
    file = JSON.parse(await readFile(statePath, 'utf8')) as StateFile;
  } catch (error) {
    throw new CheckpointError(`loadCheckpoint: ${statePath} is missing or not valid JSON: ${(error as Error).message}`, statePath);
  }
  if (file.version !== 1 || file.optimizers == null || !Array.isArray(file.rng)) {
    throw new CheckpointError(`loadCheckpoint: ${statePath} is not a version-1 training state`, statePath);
  }
  for (const name of trainer.networks) {
    if (file.optimizers[name] == null) throw new CheckpointError(`loadCheckpoint: ${statePath} has no state for network '${name}'`, statePath);
  }
  // Check the optimizer layouts before touching any live weight, so a mismatch leaves the run intact.
  for (const name of trainer.networks) {
    const sizes = trainer.optimizer(name).ownedVariables.map((v) => v.size);
    const rec = file.optimizers[name] as OptimizerRecord;
    if (!Array.isArray(rec.sizes) || rec.sizes.length !== sizes.length || rec.sizes.some((s, i) => s !== sizes[i])) {
      throw new CheckpointError(
        `loadCheckpoint: ${statePath}: the optimizer state of '${name}' covers variables of sizes [${String(rec.sizes)}], the live network has [${sizes.join(',')}]`,
        statePath,
      );
    }
  }
  await restoreWeights(root, trainer);
  for (const name of trainer.networks) {
    const rec = file.optimizers[name] as OptimizerRecord;
    const binPath = join(root, OPTIMIZERS_DIR, `${name}.bin`);
    let bytes: Buffer;
    try {
      bytes = await readFile(binPath);
    } catch {
      throw new CheckpointError(`loadCheckpoint: ${binPath} is missing`, binPath);
    }
    const total = rec.sizes.reduce((n, s) => n + s, 0);
    if (bytes.byteLength !== 8 * total) {
      throw new CheckpointError(`loadCheckpoint: ${binPath} holds ${bytes.byteLength} bytes, expected ${8 * total}`, binPath);
    }
    const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const m: Float32Array[] = [];
    const v: Float32Array[] = [];
    let offset = 0;
    for (const s of rec.sizes) {
      m.push(flat.slice(offset, offset + s));
      offset += s;
    }
    for (const s of rec.sizes) {
      v.push(flat.slice(offset, offset + s));
      offset += s;
    }
    const state: AdamState = { step: rec.step, accBeta: rec.accBeta, m, v };
    const opt = trainer.optimizer(name);
    opt.setState(state, binPath);
    opt.learningRate = rec.learningRate;
  }
  trainer.setStepCounter(file.trainerSteps);
  const { optimizers: _optimizers, ...state } = file;
  return state;
}

/**
 * Writes the networks' weights (no optimizer state) to `dir/best/` atomically, with `best.json`
 * recording the epoch and validation score — the best-checkpoint selection on validation Dice.
 */
export async function saveBestWeights(
  dir: string,
  trainer: Trainer,
  info: { epoch: number; value: number; monitor: string },
): Promise<string> {
  const target = join(resolve(dir), BEST_DIR);
  await mkdir(resolve(dir), { recursive: true });
  await writeDirectoryAtomically(target, async (temp) => {
    await writeNetworks(temp, trainer, false);
    await writeDurably(join(temp, 'best.json'), JSON.stringify(info));
  });
  return target;
}

/** Loads the best-on-validation weights saved by {@link saveBestWeights} into the trainer's networks. */
export async function loadBestWeights(dir: string, trainer: Trainer): Promise<{ epoch: number; value: number; monitor: string }> {
  const target = join(resolve(dir), BEST_DIR);
  const infoPath = join(target, 'best.json');
  let info: { epoch: number; value: number; monitor: string };
  try {
    info = JSON.parse(await readFile(infoPath, 'utf8')) as typeof info;
  } catch {
    throw new CheckpointError(`loadBestWeights: ${infoPath} is missing or not valid JSON`, infoPath);
  }
  await restoreWeights(target, trainer);
  return info;
}
