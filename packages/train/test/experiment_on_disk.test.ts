import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { generateCohort, writePhantomDatasets } from '@pedseg/data';
import type { PhantomDomain } from '@pedseg/data';
import { writeNifti } from '@pedseg/volume';
import { TrainConfigError, openExperimentCohort, resolveExperimentConfig, runExperiment, trainCommand } from '@pedseg/train';
import type { CaseScores, ExperimentConfig } from '@pedseg/train';
import { findModelDomains } from '../src/experiment/model_domains.js';
import { tempDir, useCpu } from './helpers.js';

// The volumes' grid differs from the network input, so slicing and prediction resize both ways.
const SHAPE: [number, number, number] = [20, 18, 8];
const SEED = 5;

function tiny(outputDir: string, data: ExperimentConfig['data'], extra: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    name: 'on-disk',
    outputDir,
    seed: SEED,
    data: { emptyFraction: 0, ...data },
    network: { inputSize: [16, 16], depth: 1, filters: 4, attention: false, momentum: 0.5 },
    procedure: 'baseline',
    learningRate: 3e-2,
    batchSize: 4,
    epochs: 2,
    closingRadius: 1,
    folds: [0],
    ...extra,
  };
}

/**
 * The phantoms exactly as generated (float32 images) in the folder layout. `writePhantomDatasets`
 * stores images as int16 (rounded to scanner integers), which is a different image.
 */
async function writeExactCopy(root: string, domains: readonly PhantomDomain[]): Promise<void> {
  for (const domain of domains) {
    for (const p of generateCohort(domain, { seed: SEED, count: 3, size: { shape: SHAPE }, landmarksPerBone: 0 })) {
      const dir = join(root, domain, p.caseId);
      mkdirSync(dir, { recursive: true });
      await writeNifti(join(dir, 'image.nii.gz'), p.image, { datatype: 'float32' });
      await writeNifti(join(dir, 'label.nii.gz'), p.label, { datatype: 'uint8' });
    }
  }
}

/**
 * On-disk and in-memory cases are the same voxels; only the spacing differs, by its float32 rounding in
 * the NIfTI header (≈ 1e-8 relative). Overlap metrics and slice Dice must be equal, mm distances to
 * that rounding.
 */
function expectSameScores(disk: readonly CaseScores[], phantom: readonly CaseScores[]): void {
  expect(disk.map((c) => [c.fold, c.caseId, c.domain])).toEqual(phantom.map((c) => [c.fold, c.caseId, c.domain]));
  disk.forEach((c, i) => {
    const ref = phantom[i] as CaseScores;
    expect(Object.keys(c.structures)).toEqual(Object.keys(ref.structures));
    expect(c.sliceDice).toEqual(ref.sliceDice);
    for (const [s, row] of Object.entries(c.structures)) {
      const r = ref.structures[s]!;
      for (const m of ['dice', 'sensitivity', 'specificity', 'ravd'] as const) expect(row[m]).toBe(r[m]);
      for (const m of ['mssd', 'assd'] as const) {
        if (r[m] === null) expect(row[m]).toBeNull();
        else expect(Math.abs((row[m] as number) - (r[m] as number))).toBeLessThanOrEqual(1e-6 * Math.max(1, r[m] as number));
      }
    }
  });
}

/** Training losses and validation Dice of every epoch of fold 0 (bit-sensitive to the input voxels). */
function history(runDir: string): unknown[] {
  const ckpt = join(runDir, 'fold-0/checkpoints');
  const latest = JSON.parse(readFileSync(join(ckpt, 'latest.json'), 'utf8')).checkpoint as string;
  const state = JSON.parse(readFileSync(join(ckpt, latest, 'state.json'), 'utf8')) as { history: { train: unknown; validation: unknown }[] };
  return state.history.map((h) => [h.train, h.validation]);
}

let written: string;
let phantomSingle: string;
let exact: string;

beforeAll(async () => {
  await useCpu();
  written = tempDir('ondisk-written');
  await writePhantomDatasets(written, { seed: SEED, domains: ['ankle', 'shoulder'], counts: { ankle: 3, shoulder: 3 }, size: { shape: SHAPE }, layout: 'folders' });
  exact = tempDir('ondisk-exact');
  await writeExactCopy(exact, ['ankle', 'shoulder']);
});

describe('runExperiment from data.dir', () => {
  it('single domain: writes the fold and the tables; scores equal the phantom run on the same volumes', async () => {
    const before = tf.memory().numTensors;
    const diskDir = tempDir('ondisk-single');
    const disk = await runExperiment(tiny(diskDir, { dir: exact, domain: 'ankle' }));
    expect(tf.memory().numTensors).toBe(before);
    for (const f of ['per_case.csv', 'summary.csv', 'summary.json', 'config.json', 'fold-0/scores.json', 'fold-0/ankle_001_prediction.nii.gz']) {
      expect(existsSync(join(diskDir, f))).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(diskDir, 'config.json'), 'utf8'));
    expect(config.data).toMatchObject({ dir: exact, layout: 'folders', domain: 'ankle', cases: null });
    expect(config.cohort).toEqual({ ankle: { cases: ['ankle_001', 'ankle_002', 'ankle_003'], labels: ['background', 'calcaneus', 'talus', 'tibia'] } });
    expect(readFileSync(join(diskDir, 'per_case.csv'), 'utf8')).toMatch(/^0,ankle_001,tibia,/m);

    phantomSingle = tempDir('ondisk-single-ref');
    const phantom = await runExperiment(tiny(phantomSingle, { domain: 'ankle', cases: 3, shape: SHAPE }));
    expect(disk.cases.map((c) => c.caseId)).toEqual(['ankle_001']);
    expect(history(diskDir)).toHaveLength(2);
    expect(history(diskDir)).toEqual(history(phantomSingle));
    expectSameScores(disk.cases, phantom.cases);
  });

  it('multi-domain: lock-step fold over domain folders, equal to the phantom run', async () => {
    const before = tf.memory().numTensors;
    const extra: Partial<ExperimentConfig> = { procedure: 'multi-task', lambda2: 0, lambda3: 0, epochs: 1 };
    const diskDir = tempDir('ondisk-multi');
    const disk = await runExperiment(tiny(diskDir, { dir: exact, domains: ['shoulder', 'ankle'] }, extra));
    expect(tf.memory().numTensors).toBe(before);
    expect(disk.cases.map((c) => [c.caseId, c.domain])).toEqual([
      ['shoulder_001', 'shoulder'],
      ['ankle_001', 'ankle'],
    ]);
    expect(Object.keys(disk.summary).sort()).toEqual(['ankle/calcaneus', 'ankle/talus', 'ankle/tibia', 'shoulder/humerus', 'shoulder/scapula']);
    for (const id of ['shoulder_001', 'ankle_001']) expect(existsSync(join(diskDir, `fold-0/${id}_prediction.nii.gz`))).toBe(true);
    // `pedseg predict --domain` finds the domains and their label counts in the run's config.json.
    const found = await findModelDomains(join(diskDir, 'fold-0/checkpoints/best/networks/segmentation'));
    expect(found?.domains).toEqual(['shoulder', 'ankle']);
    expect(found?.layout.channels).toEqual([
      [0, 1, 2],
      [0, 1, 2, 3],
    ]);
    const phantomDir = tempDir('ondisk-multi-ref');
    const phantom = await runExperiment(tiny(phantomDir, { domains: ['shoulder', 'ankle'], cases: 3, shape: SHAPE }, extra));
    expect(history(diskDir)).toEqual(history(phantomDir));
    expectSameScores(disk.cases, phantom.cases);
  });

  it("pedseg train --data: runs on writePhantomDatasets' files, whose int16 images train differently from the float32 phantoms", async () => {
    const dir = tempDir('ondisk-int16');
    const configPath = join(dir, 'experiment.json');
    // A phantom config (with data.shape, which --data drops) pointed at the written cohort.
    writeFileSync(configPath, JSON.stringify(tiny(join(dir, 'run'), { domain: 'ankle', cases: 3, shape: SHAPE })));
    const err: string[] = [];
    const io = { stdout: (): void => undefined, stderr: (t: string): void => void err.push(t) };
    expect(await trainCommand.run(['--config', configPath, '--data', join(written, 'missing')], io)).toBe(1);
    expect(err.join('')).toMatch(/TrainConfigError: .*data\.dir .*missing is not a folder/);
    expect(await trainCommand.run(['--config', configPath, '--data', written], io)).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8')) as { cases: CaseScores[]; summary: Record<string, unknown> };
    expect(report.cases.map((c) => c.caseId)).toEqual(['ankle_001']);
    expect(Object.keys(report.summary)).toEqual(['calcaneus', 'talus', 'tibia']);
    expect(JSON.parse(readFileSync(join(dir, 'run', 'config.json'), 'utf8')).data).toMatchObject({ dir: written, shape: null });
    // Same cases, labels and folds, but images rounded to integers (≤ 0.5 units): not the same run.
    expect(history(join(dir, 'run'))).toHaveLength(2);
    expect(history(join(dir, 'run'))).not.toEqual(history(phantomSingle));
  });

  it('opens an MSD task folder (layout msd) as one domain', async () => {

    const msdRoot = tempDir('ondisk-msd');
    const paths = await writePhantomDatasets(msdRoot, { seed: SEED, domains: ['knee'], counts: { knee: 4 }, size: { shape: SHAPE }, layout: 'msd' });
    const cfg = resolveExperimentConfig(tiny(tempDir('ondisk-msd-run'), { dir: paths.knee as string, layout: 'msd', cases: 3 }));
    expect(cfg.data.domain).toBe('Dataset002_knee');
    const cohort = await openExperimentCohort(cfg);
    expect(cohort.caseIds).toEqual({ Dataset002_knee: ['knee_001', 'knee_002', 'knee_003'] });
    expect(cohort.labels['Dataset002_knee']).toEqual(['background', 'femur', 'fibula', 'patella', 'tibia']);
    const c = await cohort.load('Dataset002_knee', 'knee_002');
    expect(c.image.shape).toEqual(SHAPE);
    expect(c.labels).toHaveLength(5);
  });

  it('takes label names from DOMAIN/dataset.json for any domain name', async () => {
    const root = tempDir('ondisk-named');
    // A domain folder not named after a phantom joint: its labels must be declared.
    cpSync(join(exact, 'shoulder'), join(root, 'hip'), { recursive: true });
    await expect(openExperimentCohort(resolveExperimentConfig(tiny('/tmp/unused', { dir: root, domain: 'hip' })))).rejects.toThrow(/data\.dir.*no label names/);
    writeFileSync(join(root, 'hip', 'dataset.json'), JSON.stringify({ labels: { background: 0, femoralHead: 1, acetabulum: 2 } }));
    const cohort = await openExperimentCohort(resolveExperimentConfig(tiny('/tmp/unused', { dir: root, domain: 'hip' })));
    expect(cohort.labels).toEqual({ hip: ['background', 'femoralHead', 'acetabulum'] });
    writeFileSync(join(root, 'hip', 'dataset.json'), JSON.stringify({ labels: { 0: 'background', 1: 'a', 3: 'b' } }));
    await expect(openExperimentCohort(resolveExperimentConfig(tiny('/tmp/unused', { dir: root, domain: 'hip' })))).rejects.toThrow(/labels \[0, 1, 3\].*consecutive/);
  });

  it('a multi-domain run config names any domain with its cohort labels', async () => {
    const dir = tempDir('ondisk-model-domains');
    const config = { data: { multiDomain: true, domains: ['hip', 'knee'] }, domainStrategy: 'shared', cohort: { hip: { labels: ['background', 'femoralHead', 'acetabulum'] } } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    // hip from its cohort labels (3), knee from the phantom table (5): shared head 1 + 2 + 4 channels.
    const found = await findModelDomains(dir);
    expect(found?.domains).toEqual(['hip', 'knee']);
    expect(found?.layout).toEqual({ width: 7, channels: [[0, 1, 2], [0, 3, 4, 5, 6]] });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, cohort: {} }));
    await expect(findModelDomains(dir)).rejects.toThrow(/unknown domain 'hip'/);
  });

  it('typed errors naming the field', async () => {
    const out = '/tmp/pedseg-unused';
    const open = (data: ExperimentConfig['data'], extra: Partial<ExperimentConfig> = {}): Promise<unknown> => runExperiment(tiny(out, data, extra));
    await expect(open({ dir: join(exact, 'nope'), domain: 'ankle' })).rejects.toThrow(TrainConfigError);
    await expect(open({ dir: join(exact, 'nope'), domain: 'ankle' })).rejects.toThrow(/data\.dir .*nope is not a folder/);
    await expect(open({ dir: exact, domain: 'hip' })).rejects.toThrow(/data\.domain: no domain folder 'hip'.*found: ankle, shoulder/);
    await expect(open({ dir: exact, domains: ['ankle', 'hip'] }, { procedure: 'multi-task' })).rejects.toThrow(/data\.domains: no domain folder 'hip'/);
    await expect(open({ dir: exact, domain: 'ankle', cases: 4 })).rejects.toThrow(/data\.cases is 4 but domain 'ankle' in data\.dir has 3/);
    await expect(open({ dir: exact, domain: 'ankle' }, { folds: [3] })).rejects.toThrow(/fold 3 is out of range \[0, 3\)/);
    const few = tempDir('ondisk-few');
    await writePhantomDatasets(few, { seed: SEED, domains: ['ankle'], counts: { ankle: 2 }, size: { shape: [16, 16, 8] }, layout: 'folders' });
    await expect(open({ dir: few, domain: 'ankle' })).rejects.toThrow(/domain 'ankle' in data\.dir has 2 case\(s\); leave-one-out needs at least 3/);
    const resolveOnly = (data: ExperimentConfig['data']): unknown => resolveExperimentConfig(tiny(out, data));
    expect(() => resolveOnly({ dir: exact, domain: 'ankle', cases: 2 })).toThrow(/data\.cases must be ≥ 3/);
    expect(() => resolveOnly({ dir: exact, domain: 'ankle', shape: [8, 8, 8] })).toThrow(/data\.shape .*does not apply with data\.dir/);
    expect(() => resolveOnly({ dir: exact, domains: ['ankle', 'shoulder'], layout: 'msd' })).toThrow(/data\.layout 'msd' is one task folder/);
    expect(() => resolveOnly({ dir: exact, domain: 'ankle', layout: 'nested' as 'msd' })).toThrow(/data\.layout must be 'folders' or 'msd'/);
    expect(() => resolveOnly({ domain: 'ankle', layout: 'msd', cases: 3 })).toThrow(/data\.layout needs data\.dir/);
    expect(() => resolveOnly({ dir: exact })).toThrow(/data\.domain or data\.domains is required \(domain folder names/);
    expect(() => resolveOnly({ dir: exact, domain: '../ankle' })).toThrow(/must be folder names/);
    expect(() => resolveOnly({ domain: 'ankle' })).toThrow(/data\.cases is required for phantom cohorts/);
    expect(() => resolveOnly({ domain: 'hip', cases: 3 })).toThrow(/unknown phantom domain 'hip'/);
    expect(() => resolveExperimentConfig({ ...tiny(out, { dir: exact }), transfer: { from: 'knee', to: 'ankle' } })).toThrow(/transfer .*not supported with data\.dir/);
  });
});
