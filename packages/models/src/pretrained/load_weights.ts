import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { WeightLoadError } from '../errors.js';

/** What {@link loadEncoderWeights} did. */
export interface WeightLoadReport {
  /** Model weights (`layer/weight`) that received values. */
  readonly loaded: string[];
  /** Model weights with no counterpart in the directory (e.g. the decoder); they keep their initialization. */
  readonly missing: string[];
  /** Weights of the directory that no model weight matched (e.g. the dense top, ResNet stage 5). */
  readonly unused: string[];
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}

/** Drops the tensor index suffix (`:0`). */
function key(name: string): string {
  return name.replace(/:\d+$/, '');
}

/** The source weight named `name`, or else the only one whose name ends with `/name` (a model-name prefix). */
function lookup<T>(source: Map<string, T>, name: string): [string, T] | null {
  const exact = source.get(name);
  if (exact) return [name, exact];
  const hits = [...source.keys()].filter((k) => k.endsWith(`/${name}`));
  return hits.length === 1 ? [hits[0] as string, source.get(hits[0] as string) as T] : null;
}

/** Options of {@link loadEncoderWeights}. */
export interface LoadEncoderWeightsOptions {
  /**
   * Source names for model weights whose names differ from the source's (model weight `originalName` →
   * source name). An aliased weight may also be reshaped when the element counts agree (e.g. a `[1, 1, C, S]`
   * 1×1 convolution kernel into a `[C, S]` dense kernel).
   */
  aliases?: Record<string, string>;
}

/**
 * Loads weights into `model` by layer name from a local tfjs layers-model directory (`model.json` with a
 * `weightsManifest`, plus its weight files), e.g. the Keras Applications ImageNet network converted with
 * `tensorflowjs_converter --input_format=keras vgg19.h5 dir/`. Nothing is downloaded.
 *
 * A model weight `layer/weight` (its `originalName`; Keras names such as `conv1/bn` contain slashes) takes
 * the directory's weight of the same name, ignoring a `:0` suffix, or else the only one whose name ends
 * with `/layer/weight` (a model-name prefix such as `vgg19/`). Shapes must agree,
 * except that a `[C]` source fills every row of a `[K, C]` target — how ImageNet batch-norm statistics seed
 * the per-domain parameters of a `DomainSpecificBatchNorm`. Only float32 weights are supported (convert
 * without quantization).
 *
 * @param model - the model to fill (built, e.g. from {@link buildVggUNet}).
 * @param dir - the directory.
 * @param options - name aliases (see {@link LoadEncoderWeightsOptions}).
 * @returns which weights were loaded, missing and unused.
 * @throws {@link WeightLoadError} for a missing or malformed `model.json`, missing or truncated weight
 *   files, an unsupported dtype, or a matching name with an incompatible shape.
 */
export async function loadEncoderWeights(model: LayersModel, dir: string, options: LoadEncoderWeightsOptions = {}): Promise<WeightLoadReport> {
  const root = resolve(dir);
  const jsonPath = join(root, 'model.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WeightLoadError(`loadEncoderWeights: ${jsonPath} ${code === 'ENOENT' ? 'does not exist' : `is not valid JSON: ${(error as Error).message}`}`, jsonPath);
  }
  const manifest = (parsed as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (!Array.isArray(manifest)) throw new WeightLoadError(`loadEncoderWeights: ${jsonPath} has no weightsManifest`, jsonPath);

  const source = new Map<string, { entry: ManifestEntry; values: Float32Array }>();
  for (const group of manifest as Array<{ paths?: unknown; weights?: unknown }>) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new WeightLoadError(`loadEncoderWeights: malformed weightsManifest group in ${jsonPath}`, jsonPath);
    const chunks: Uint8Array[] = [];
    for (const p of group.paths as string[]) {
      const file = resolve(root, p);
      const rel = relative(root, file);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new WeightLoadError(`loadEncoderWeights: weight path '${p}' escapes ${root}`, file);
      try {
        chunks.push(await readFile(file));
      } catch {
        throw new WeightLoadError(`loadEncoderWeights: weight file ${file} is missing`, file);
      }
    }
    const total = chunks.reduce((n, c) => n + c.byteLength, 0);
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      bytes.set(c, off);
      off += c.byteLength;
    }
    let offset = 0;
    for (const entry of group.weights as ManifestEntry[]) {
      if (entry.dtype !== 'float32' || (entry as { quantization?: unknown }).quantization != null) {
        throw new WeightLoadError(`loadEncoderWeights: weight ${entry.name} has dtype ${entry.dtype}${(entry as { quantization?: unknown }).quantization ? ' (quantized)' : ''}; only float32 is supported`, jsonPath);
      }
      const count = entry.shape.reduce((n, d) => n * d, 1);
      if (offset + 4 * count > total) throw new WeightLoadError(`loadEncoderWeights: weight files of ${jsonPath} are truncated at ${entry.name}`, jsonPath);
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * count));
      offset += 4 * count;
      source.set(key(entry.name), { entry, values });
    }
    if (offset !== total) throw new WeightLoadError(`loadEncoderWeights: weight files of ${jsonPath} hold ${total} bytes, the manifest describes ${offset}`, jsonPath);
  }

  const loaded: string[] = [];
  const missing: string[] = [];
  const used = new Set<string>();
  const updates: Array<[(typeof model.weights)[number], tf.Tensor]> = [];
  try {
    for (const w of model.weights) {
      const alias = options.aliases?.[w.originalName];
      const hit = lookup(source, alias ?? key(w.originalName));
      if (!hit) {
        missing.push(w.originalName);
        continue;
      }
      const [k, src] = hit;
      const target = w.shape as number[];
      const s = src.entry.shape;
      let t: tf.Tensor;
      if (s.length === target.length && s.every((d, i) => d === target[i])) {
        t = tf.tensor(src.values, target);
      } else if (alias !== undefined && s.reduce((n, d) => n * d, 1) === target.reduce((n, d) => n * d, 1)) {
        t = tf.tensor(src.values, target);
      } else if (target.length === 2 && s.length === 1 && s[0] === target[1]) {
        t = tf.tidy(() => tf.tile(tf.tensor2d(src.values, [1, s[0] as number]), [target[0] as number, 1]));
      } else {
        throw new WeightLoadError(`loadEncoderWeights: weight ${k} has shape [${s.join(', ')}] in ${jsonPath}, the model expects [${target.join(', ')}]`, jsonPath);
      }
      updates.push([w, t]);
      used.add(k);
      loaded.push(w.originalName);
    }
    for (const [w, t] of updates) w.write(t);
  } finally {
    tf.dispose(updates.map(([, t]) => t));
  }
  const unused = [...source.keys()].filter((k) => !used.has(k));
  return { loaded, missing, unused };
}
