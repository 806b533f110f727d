import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePhantom } from '@pedseg/data';
import { readNifti, writeNifti } from '@pedseg/volume';
import { predictCommand, reportCommand, trainCommand } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

function capture(): { io: { stdout(t: string): void; stderr(t: string): void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, out, err };
}

describe('pedseg train / predict / report commands', () => {
  it('train one fold from a JSON config, report it, predict a NIfTI with the saved best model', async () => {
    const dir = tempDir('cli');
    const configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        name: 'cli',
        outputDir: join(dir, 'run'),
        seed: 1,
        data: { domain: 'ankle', cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
        network: { inputSize: [16, 16], depth: 1, filters: 4, attention: false },
        procedure: 'baseline',
        learningRate: 0.01,
        batchSize: 8,
        epochs: 1,
        closingRadius: 0,
      }),
    );
    const t = capture();
    expect(await trainCommand.run(['--config', configPath, '--fold', '2'], t.io)).toBe(0);
    expect(existsSync(join(dir, 'run', 'fold-2', 'scores.json'))).toBe(true);
    expect(existsSync(join(dir, 'run', 'fold-0'))).toBe(false);

    const r = capture();
    expect(await reportCommand.run([join(dir, 'run')], r.io)).toBe(0);
    expect(r.out.join('')).toMatch(/1 case\(s\) merged/);

    const phantom = generatePhantom('ankle', { seed: 1, size: { shape: [16, 16, 8] }, landmarksPerBone: 0 });
    const input = join(dir, 'image.nii.gz');
    await writeNifti(input, phantom.image);
    const output = join(dir, 'labels.nii.gz');
    const p = capture();
    const model = join(dir, 'run', 'fold-2', 'checkpoints', 'best', 'networks', 'segmentation');
    expect(await predictCommand.run(['--model', model, '--input', input, '--output', output], p.io)).toBe(0);
    const labels = await readNifti(output);
    expect(labels.shape).toEqual([16, 16, 8]);
    expect(Math.max(...Array.from(labels.data as ArrayLike<number>))).toBeLessThanOrEqual(3);
  });

  it('usage errors exit with 2, runtime errors with 1 and a named error', async () => {
    const a = capture();
    expect(await trainCommand.run([], a.io)).toBe(2);
    expect(await trainCommand.run(['--bogus'], a.io)).toBe(2);
    const b = capture();
    expect(await trainCommand.run(['--config', '/nonexistent.json'], b.io)).toBe(1);
    expect(b.err.join('')).toMatch(/TrainConfigError: config file \/nonexistent.json cannot be read/);
    const c = capture();
    expect(await reportCommand.run([], c.io)).toBe(2);
    expect(await reportCommand.run(['/nonexistent-run'], c.io)).toBe(1);
    expect(await predictCommand.run(['--model', 'x'], c.io)).toBe(2);
  });
});
