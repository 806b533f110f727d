import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { io, serialization } from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { registerCustomLayers } from '../layers/registry.js';
import { ModelFileError, UnknownLayerClassError } from './errors.js';
import { MODEL_JSON, weightByteLength } from './model_files.js';

interface TopologyNode {
  class_name?: unknown;
  config?: { layers?: unknown };
}

/** Collects the layer class names of a (possibly nested) Keras-style topology. */
function layerClassNames(node: unknown, out: Set<string>): void {
  if (node == null || typeof node !== 'object') return;
  const n = node as TopologyNode;
  if (typeof n.class_name === 'string') out.add(n.class_name);
  const layers = n.config?.layers;
  if (Array.isArray(layers)) for (const l of layers) layerClassNames(l, out);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v != null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Loads a model saved by {@link saveModel} (or by tfjs' `file://` handler: `model.json` + weight files)
 * on any backend, without tfjs-node.
 *
 * Before handing anything to tfjs it checks the directory, parses `model.json`, verifies that every layer
 * class is registered and that the weight files hold exactly the bytes the manifest describes, so a bad
 * directory fails with a typed error rather than deep inside tfjs. Custom layers must be registered before
 * loading; `@pedseg/core`'s own layers are registered by this function itself.
 *
 * @param dir - the model directory.
 * @throws {@link ModelFileError} when the directory or a file is missing, `model.json` is not valid JSON or
 *   lacks a topology / manifest, or a weight file is truncated, too long or outside the directory.
 * @throws {@link UnknownLayerClassError} when the topology names an unregistered layer class.
 */
export async function loadModel(dir: string): Promise<LayersModel> {
  const root = resolve(dir);
  try {
    if (!(await stat(root)).isDirectory()) throw new ModelFileError(`loadModel: ${root} is not a directory`, root);
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`loadModel: model directory ${root} does not exist`, root);
  }
  const jsonPath = join(root, MODEL_JSON);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch {
    throw new ModelFileError(`loadModel: ${jsonPath} is missing`, jsonPath);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`loadModel: ${jsonPath} is not valid JSON (truncated?): ${(error as Error).message}`, jsonPath);
  }
  if (!isRecord(parsed) || !isRecord(parsed['modelTopology']) || !Array.isArray(parsed['weightsManifest'])) {
    throw new ModelFileError(`loadModel: ${jsonPath} lacks modelTopology or weightsManifest`, jsonPath);
  }
  const json = parsed as unknown as io.ModelJSON;

  const names = new Set<string>();
  const topology = json.modelTopology as Record<string, unknown>;
  layerClassNames(topology['model_config'] ?? topology, names);
  registerCustomLayers();
  const registered = serialization.SerializationMap.getMap().classNameMap;
  for (const name of names) {
    if (!(name in registered)) {
      throw new UnknownLayerClassError(
        `loadModel: ${jsonPath} uses layer class '${name}', which is not registered (import the module defining it before loading)`,
        name,
      );
    }
  }

  const weightSpecs: io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelFileError(`loadModel: ${jsonPath} has a malformed weightsManifest entry`, jsonPath);
    }
    const expected = group.weights.reduce((n, spec) => n + weightByteLength(spec), 0);
    let actual = 0;
    for (const p of group.paths) {
      const file = resolve(root, p);
      const rel = relative(root, file);
      if (rel.startsWith('..') || isAbsolute(rel)) {
        throw new ModelFileError(`loadModel: weight path '${p}' in ${jsonPath} escapes the model directory`, file);
      }
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch {
        throw new ModelFileError(`loadModel: weight file ${file} is missing`, file);
      }
      buffers.push(bytes);
      actual += bytes.byteLength;
    }
    if (actual !== expected) {
      throw new ModelFileError(
        `loadModel: weight files ${group.paths.join(', ')} hold ${actual} bytes, the manifest describes ${expected} (${actual < expected ? 'truncated' : 'trailing data'})`,
        join(root, group.paths[0] ?? ''),
      );
    }
    weightSpecs.push(...group.weights);
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }

  const artifacts: io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  };
  if (json.trainingConfig != null) artifacts.trainingConfig = json.trainingConfig;
  if (json.userDefinedMetadata != null) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  try {
    return await loadLayersModel(io.fromMemory(artifacts));
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown (?:layer|class|\w+): ?(\S+)/i.exec(message);
    if (unknown) {
      throw new UnknownLayerClassError(`loadModel: ${jsonPath}: ${message}`, (unknown[1] ?? '').replace(/[.,'"]$/, ''));
    }
    throw new ModelFileError(`loadModel: ${jsonPath} could not be deserialized: ${message}`, jsonPath);
  }
}
