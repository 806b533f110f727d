import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_LABELS, generatePhantom } from '@pedseg/data';
import { loadModel } from '@pedseg/core';
import { predictVolume } from '@pedseg/models';
import { readNifti, writeNifti } from '@pedseg/volume';
import { predictCommand, runExperiment } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

function capture(): { io: { stdout(t: string): void; stderr(t: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, out, err };
}

describe('pedseg predict with a shared multi-domain model', () => {
  it("--domain NAME picks the joint's index in the run's data.domains and writes that joint's own labels", async () => {
    const dir = tempDir('cli-shared');
    const run = join(dir, 'run');
    await runExperiment({
      name: 'shared',
      outputDir: run,
      seed: 3,
      // shoulder first: its domain index (0) differs from its PHANTOM_DOMAINS position (2).
      data: { domains: ['shoulder', 'ankle'], cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
      network: { inputSize: [16, 16], depth: 1, filters: 4, attention: false },
      domainStrategy: 'shared',
      lambda3: 0,
      learningRate: 1e-2,
      batchSize: 4,
      epochs: 1,
      closingRadius: 0,
      folds: [0],
    });
    const model = join(run, 'fold-0', 'checkpoints', 'best', 'networks', 'segmentation');
    const phantom = generatePhantom('ankle', { seed: 9, size: { shape: [16, 16, 8] }, landmarksPerBone: 0 });
    const input = join(dir, 'ankle.nii.gz');
    await writeNifti(input, phantom.image);

    // Oracle: the shared head [bg, humerus, scapula, calcaneus, talus, tibia]; ankle label l ↔ channel 2 + l,
    // shoulder bones summed into the ankle background.
    const net = await loadModel(model);
    // The saved shared model has no domain input: one prediction serves every joint.
    expect(net.inputs).toHaveLength(1);
    const probs = await predictVolume(net, phantom.image);
    net.dispose();
    const size = 16 * 16 * 8;
    const expected = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) {
      const p = (c: number): number => probs.data[c * size + i] as number;
      const scores = [p(0) + p(1) + p(2), p(3), p(4), p(5)];
      expected[i] = scores.indexOf(Math.max(...scores));
    }
    const output = join(dir, 'ankle-labels.nii.gz');
    const c = capture();
    expect(await predictCommand.run(['--model', model, '--input', input, '--output', output, '--domain', 'ankle'], c.io)).toBe(0);
    const labels = await readNifti(output);
    expect(Array.from(labels.data as ArrayLike<number>)).toEqual(Array.from(expected));
    expect(Math.max(...Array.from(expected))).toBeLessThan(DOMAIN_LABELS.ankle.length);

    // An explicit --run-config works the same; a joint the model was not trained on is a named error.
    const cfgCopy = join(dir, 'run-config.json');
    writeFileSync(cfgCopy, JSON.stringify({ data: { domains: ['shoulder', 'ankle'], multiDomain: true }, domainStrategy: 'shared' }));
    const output2 = join(dir, 'ankle-labels-2.nii.gz');
    expect(await predictCommand.run(['--model', model, '--input', input, '--output', output2, '--domain', 'ankle', '--run-config', cfgCopy], capture().io)).toBe(0);
    expect(Array.from((await readNifti(output2)).data as ArrayLike<number>)).toEqual(Array.from(expected));
    const bad = capture();
    expect(await predictCommand.run(['--model', model, '--input', input, '--output', output, '--domain', 'knee'], bad.io)).toBe(1);
    expect(bad.err.join('')).toMatch(/TrainConfigError: --domain 'knee' is not one of the model's joints \(shoulder, ankle/);
  });
});
