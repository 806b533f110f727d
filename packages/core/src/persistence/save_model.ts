import { open, stat, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { io } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { writeDirectoryAtomically } from './atomic_directory.js';
import { ModelFileError } from './errors.js';
import { MODEL_JSON, WEIGHTS_BIN, joinWeightData } from './model_files.js';

async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function kindOf(path: string): Promise<'missing' | 'file' | 'dir'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/**
 * Saves a tfjs-layers model to a directory as `model.json` (topology, weights manifest, training config)
 * plus `weights.bin`, the same layout as tfjs' `file://` handler, without needing tfjs-node: works on every
 * backend (cpu, wasm, webgl, node).
 *
 * Atomic: both files are written (and fsynced) into a temporary sibling directory which is then renamed
 * into place, so a crash never leaves a half-written model at `dir`. An existing model directory at `dir`
 * is replaced; a non-empty directory without `model.json`, or a file, is refused.
 *
 * @param model - the model (custom layers must be registered with `serialization.registerClass`).
 * @param dir - target directory.
 * @throws {@link ModelFileError} if `dir` is a file or a non-model directory, or writing fails.
 */
export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  const target = resolve(dir);
  const kind = await kindOf(target);
  if (kind === 'file') throw new ModelFileError(`saveModel: ${target} exists and is not a directory`, target);
  if (kind === 'dir') {
    const entries = await readdir(target);
    if (entries.length > 0 && !entries.includes(MODEL_JSON)) {
      throw new ModelFileError(`saveModel: ${target} is a non-empty directory without ${MODEL_JSON}; refusing to replace it`, target);
    }
  }
  try {
    await writeDirectoryAtomically(target, (temp) =>
      model
        .save(
          io.withSaveHandler(async (artifacts) => {
            const weights = new Uint8Array(joinWeightData(artifacts.weightData));
            const json: io.ModelJSON = {
              modelTopology: artifacts.modelTopology ?? {},
              format: artifacts.format ?? 'layers-model',
              generatedBy: artifacts.generatedBy ?? '',
              convertedBy: artifacts.convertedBy ?? null,
              weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
            };
            if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
            if (artifacts.userDefinedMetadata != null) json.userDefinedMetadata = artifacts.userDefinedMetadata;
            await writeDurably(join(temp, WEIGHTS_BIN), weights);
            await writeDurably(join(temp, MODEL_JSON), JSON.stringify(json));
            return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
          }),
        )
        .then(() => undefined),
    );
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`saveModel: could not write ${target}: ${(error as Error).message}`, target);
  }
}
