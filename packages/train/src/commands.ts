import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PHANTOM_DOMAINS } from '@pedseg/data';
import type { PhantomDomain } from '@pedseg/data';
import { loadModel } from '@pedseg/core';
import { predictVolume } from '@pedseg/models';
import { createVolume, readNifti, writeNifti } from '@pedseg/volume';
import { ProgressBar } from './callbacks/progress_bar.js';
import { TrainConfigError } from './errors.js';
import type { ExperimentConfig } from './experiment/config.js';
import { compareMethods } from './experiment/compare.js';
import { writeExperimentReport } from './experiment/report.js';
import type { ExperimentReport } from './experiment/report.js';
import { findModelDomains } from './experiment/model_domains.js';
import { jointArgmax } from './experiment/multi_domain.js';
import { labelsFromProbabilities } from './experiment/predict.js';
import { runExperiment } from './experiment/run.js';

/** Output sinks of a command (the same shape as `@pedseg/cli`'s `CommandIo`). */
export interface TrainCommandIo {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
}

/** A `pedseg` sub-command (the same shape as `@pedseg/cli`'s `Command`), for the CLI to register. */
export interface TrainCommand {
  /** The word after `pedseg`. */
  readonly name: string;
  /** One line for the usage listing. */
  readonly summary: string;
  /** Runs the command on its own arguments; resolves to the exit code (0 ok, 1 failure, 2 usage). */
  run(argv: readonly string[], io: TrainCommandIo): Promise<number>;
}

async function guarded(io: TrainCommandIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const e = error as Error;
    if (e instanceof TypeError && 'code' in e && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${e.message}\n${usage}\n`);
      return 2;
    }
    io.stderr(`${e.name}: ${e.message}\n`);
    return 1;
  }
}

/**
 * Reads an experiment config from a JSON file.
 * @throws {@link TrainConfigError} when the file is missing or not valid JSON.
 */
export async function readExperimentConfig(path: string): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new TrainConfigError(`config file ${path} cannot be read`);
  }
  try {
    return JSON.parse(text) as ExperimentConfig;
  } catch (error) {
    throw new TrainConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

const TRAIN_USAGE = 'usage: pedseg train --config FILE [--fold I] [--output DIR] [--data DIR]';

/**
 * `pedseg train --config FILE [--fold I] [--output DIR] [--data DIR]`: runs an experiment (or one fold
 * of it). `--data DIR` sets `data.dir`, so the config's domains are read from on-disk datasets instead
 * of generated as phantoms; it drops the phantom grid `data.shape`, so a phantom config runs unchanged
 * on the same joints written to disk.
 */
export const trainCommand: TrainCommand = {
  name: 'train',
  summary: 'run a leave-one-out experiment from a JSON config (one fold with --fold I)',
  run: (argv, io) =>
    guarded(io, TRAIN_USAGE, async () => {
      const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' }, fold: { type: 'string' }, output: { type: 'string' }, data: { type: 'string' } }, strict: true });
      if (values.config === undefined) {
        io.stderr(`--config is required\n${TRAIN_USAGE}\n`);
        return 2;
      }
      const config = await readExperimentConfig(values.config);
      if (values.fold !== undefined) {
        const fold = Number(values.fold);
        if (!Number.isInteger(fold) || fold < 0) {
          io.stderr(`--fold must be a non-negative integer, got '${values.fold}'\n`);
          return 2;
        }
        config.folds = [fold];
      }
      if (values.output !== undefined) config.outputDir = values.output;
      if (values.data !== undefined) {
        if (config.data == null || typeof config.data !== 'object') throw new TrainConfigError(`config file ${values.config}: data must be an object to take --data`);
        config.data.dir = values.data;
        delete config.data.shape;
      }
      const report = await runExperiment(config, { callbacks: [new ProgressBar()], exitOnInterrupt: true });
      const shown =
        report.comparison !== undefined
          ? report.comparison.ranking.methods.map(({ name, rank, mean, std }) => ({ name, rank, mean, std }))
          : report.methods !== undefined
            ? Object.fromEntries(Object.entries(report.methods).map(([name, r]) => [name, r.summary]))
            : report.summary;
      io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }),
};

const PREDICT_USAGE =
  'usage: pedseg predict --model DIR --input IMAGE.nii.gz --output LABELS.nii.gz [--domain NAME|INDEX] [--run-config FILE] [--strategy multi|global|individual]';

/** Resolves `--domain`: an index, or a phantom domain name (`ankle` 0, `knee` 1, `shoulder` 2). */
function domainIndex(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const i = (PHANTOM_DOMAINS as readonly string[]).indexOf(value);
  if (i < 0) throw new TrainConfigError(`--domain must be an index or one of ${PHANTOM_DOMAINS.join(', ')}, got '${value}'`);
  return i;
}

/**
 * `pedseg predict --model DIR --input IMAGE.nii.gz --output LABELS.nii.gz [--domain NAME] [--run-config FILE] [--strategy S]`:
 * slice-wise prediction of a 3D image with a saved model; writes the label map (uint8) atomically — the
 * arg-max for `multi` (default), bone ≥ 0.5 for `global`, the most confident bone ≥ 0.5 for
 * `individual`. No post-processing (run `pedseg postprocess` on the output). For a multi-domain model,
 * `--domain NAME` is looked up in the joints of its run (`data.domains` of the nearest multi-domain
 * `config.json` above `--model`, or of `--run-config FILE`) and the output carries that joint's own label
 * values (1..|C_k| − 1; a `shared` head's other joints' bones count as background).
 */
export const predictCommand: TrainCommand = {
  name: 'predict',
  summary: 'predict a 3D label map from a NIfTI image with a saved model',
  run: (argv, io) =>
    guarded(io, PREDICT_USAGE, async () => {
      const { values } = parseArgs({
        args: [...argv],
        options: {
          model: { type: 'string' },
          input: { type: 'string' },
          output: { type: 'string' },
          domain: { type: 'string' },
          'run-config': { type: 'string' },
          strategy: { type: 'string' },
        },
        strict: true,
      });
      if (values.model === undefined || values.input === undefined || values.output === undefined) {
        io.stderr(`--model, --input and --output are required\n${PREDICT_USAGE}\n`);
        return 2;
      }
      const strategy = values.strategy ?? 'multi';
      if (strategy !== 'multi' && strategy !== 'global' && strategy !== 'individual') {
        io.stderr(`--strategy must be multi, global or individual, got '${strategy}'\n`);
        return 2;
      }
      // A multi-domain model's joints come from its run's config.json: the domain index is the joint's
      // position in data.domains, and a shared head is mapped back to that joint's own label values.
      const joints = values.domain !== undefined ? await findModelDomains(values.model, values['run-config']) : null;
      let k: number | undefined;
      if (values.domain !== undefined) {
        if (joints === null) k = domainIndex(values.domain);
        else {
          k = /^\d+$/.test(values.domain) ? Number(values.domain) : joints.domains.indexOf(values.domain as PhantomDomain);
          if (k < 0 || k >= joints.domains.length) {
            throw new TrainConfigError(`--domain '${values.domain}' is not one of the model's joints (${joints.domains.join(', ')}, from ${joints.source})`);
          }
        }
      }
      const model = await loadModel(values.model);
      const image = await readNifti(values.input);
      // A saved shared model has no domain input (the builder ignores it, so saving prunes it).
      const probs = await predictVolume(model, image, k !== undefined && model.inputs.length > 1 ? { domain: k } : {});
      const labels = joints !== null && k !== undefined ? jointArgmax(probs.data, joints.layout, k) : labelsFromProbabilities(probs, strategy);
      await writeNifti(values.output, createVolume(labels, image.shape, { affine: image.affine }), { datatype: 'uint8' });
      model.dispose();
      io.stdout(`${values.output}\n`);
      return 0;
    }),
};

/** Method names of a comparison run (its `config.json` lists `methods`), or null. */
async function comparedMethods(runDir: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(join(runDir, 'config.json'), 'utf8');
  } catch {
    return null;
  }
  try {
    const methods = (JSON.parse(text) as { methods?: unknown }).methods;
    if (!Array.isArray(methods)) return null;
    return methods.map((m: unknown) => String((m as { name?: unknown }).name));
  } catch {
    return null;
  }
}

/**
 * `pedseg report RUN_DIR`: merges the fold outputs of a run into per-case and summary tables; for a
 * comparison run (`methods` in its config), every method's folder, then the ranking, radar and
 * Wilcoxon outputs again.
 */
export const reportCommand: TrainCommand = {
  name: 'report',
  summary: 'merge the fold outputs of a run directory into per-case and mean ± std tables (and re-compare its methods)',
  run: (argv, io) =>
    guarded(io, 'usage: pedseg report RUN_DIR', async () => {
      const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: {} });
      if (positionals.length !== 1) {
        io.stderr('usage: pedseg report RUN_DIR\n');
        return 2;
      }
      const runDir = positionals[0] as string;
      const methods = await comparedMethods(runDir);
      if (methods === null) {
        const report = await writeExperimentReport(runDir);
        io.stdout(`${report.cases.length} case(s) merged into ${runDir}/summary.csv\n`);
        return 0;
      }
      // A comparison run: merge every method's folder, then rank and test the methods again.
      const reports: Record<string, ExperimentReport> = {};
      for (const name of methods) reports[name] = await writeExperimentReport(join(runDir, name));
      if (methods.length >= 2) await compareMethods(runDir, reports);
      io.stdout(`${methods.length} method(s) merged into ${runDir}${methods.length >= 2 ? ' (ranking.csv, wilcoxon.csv, radar.svg)' : ''}\n`);
      return 0;
    }),
};
