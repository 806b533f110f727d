import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVolume, parseNiftiHeader, readNifti, writeNifti } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import { ballClosing, fillHoles, keepLargestComponentPerLabel, keepLargestComponents, removeSmallComponents } from '@pedseg/postprocess';
import { runCli } from '@pedseg/cli';

const dir = mkdtempSync(join(tmpdir(), 'pedseg-cli-postprocess-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape: Vec3 = [14, 10, 9];
const spacing: Vec3 = [0.8, 0.3, 0.3];
const affine = [0, 0, 0.3, -10, -0.8, 0, 0, 20, 0, 0.3, 0, 5, 0, 0, 0, 1];
const at = (x: number, y: number, z: number) => x + shape[0] * (y + shape[1] * z);

function prediction(): Int16Array {
  const d = new Int16Array(shape[0] * shape[1] * shape[2]);
  for (let z = 1; z < 8; z++) for (let y = 1; y < 9; y++) for (let x = 0; x < 6; x++) d[at(x, y, z)] = 1;
  for (let z = 1; z < 8; z++) for (let y = 1; y < 9; y++) for (let x = 9; x < 14; x++) d[at(x, y, z)] = 2;
  d[at(2, 4, 4)] = 0;
  d[at(11, 5, 4)] = 0;
  d[at(7, 0, 0)] = 1;
  d[at(7, 9, 8)] = 2;
  return d;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['postprocess', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

describe('pedseg postprocess', () => {
  const input = join(dir, 'pred.nii.gz');
  const volume = createVolume(prediction(), shape, { spacing, affine });

  it('keeps the largest component per label and closes, preserving affine and datatype', async () => {
    await writeNifti(input, volume);
    const output = join(dir, 'out.nii.gz');
    const { code, out } = await run(['--input', input, '--output', output, '--largest', '--closing-radius', '2']);
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { labelsIn: number[]; labelsOut: number[]; changedVoxels: number; datatype: string };
    expect(summary.labelsIn).toEqual([1, 2]);
    expect(summary.datatype).toBe('int16');
    const written = await readNifti(output);
    expect(parseNiftiHeader(readFileSync(output)).datatype).toBe('int16');
    expect(written.data).toBeInstanceOf(Int16Array);
    written.affine.forEach((a, i) => expect(a).toBeCloseTo(affine[i]!, 6));
    const expected = ballClosing(keepLargestComponentPerLabel(volume), { radius: 2 });
    expect(Array.from(written.data)).toEqual(Array.from(expected.data));
    expect(summary.changedVoxels).toBeGreaterThan(0);
    expect(written.data[at(7, 0, 0)]).toBe(0);
    expect(written.data[at(2, 4, 4)]).toBe(1);
  });

  it('runs every step in the documented order with the requested units and connectivity', async () => {
    const output = join(dir, 'out2.nii');
    const args = ['--input', input, '--output', output, '--keep', '2', '--largest', '--min-size', '3mm3'];
    const { code } = await run([...args, '--closing-radius', '0.7', '--radius-unit', 'mm', '--fill-holes', '--connectivity', '6']);
    expect(code).toBe(0);
    let v = keepLargestComponents(volume, 2, { connectivity: 6 });
    v = keepLargestComponentPerLabel(v, { connectivity: 6 });
    v = removeSmallComponents(v, { minSize: 3, unit: 'mm3', connectivity: 6 });
    v = fillHoles(ballClosing(v, { radius: 0.7, unit: 'mm' }));
    expect(Array.from((await readNifti(output)).data)).toEqual(Array.from(v.data));
  });

  it('reports usage errors with exit code 2', async () => {
    for (const args of [
      ['--input', input, '--largest'],
      ['--output', 'x.nii', '--largest'],
      ['--input', input, '--output', 'x.nii'],
      ['--input', input, '--output', 'x.nii', '--largest', '--connectivity', '8'],
      ['--input', input, '--output', 'x.nii', '--keep', '0'],
      ['--input', input, '--output', 'x.nii', '--closing-radius', 'two'],
      ['--input', input, '--output', 'x.nii', '--closing-radius', '2', '--radius-unit', 'cm'],
      ['--input', input, '--output', 'x.nii', '--largest', '--bogus'],
    ]) {
      const { code, err } = await run(args);
      expect(code).toBe(2);
      expect(err).toMatch(/Usage: pedseg postprocess/);
    }
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--closing-radius/);
  });

  it('fails with exit code 1 and a named cause on a missing file or non-integer labels', async () => {
    const missing = await run(['--input', join(dir, 'nope.nii'), '--output', join(dir, 'o.nii'), '--largest']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nope\.nii/);
    const fractional = join(dir, 'fractional.nii');
    await writeNifti(fractional, createVolume(Float32Array.from([0, 1, 1.5, 0]), [4, 1, 1]));
    const bad = await run(['--input', fractional, '--output', join(dir, 'o.nii'), '--largest']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/fractional\.nii.*voxel 2 holds 1\.5/);
  });
});
