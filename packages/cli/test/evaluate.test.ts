import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@pedseg/cli';
import { evaluateSegmentation } from '@pedseg/metrics';
import { createVolume, writeNifti } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';

const dir = mkdtempSync(join(tmpdir(), 'pedseg-evaluate-'));
const shape: Vec3 = [6, 5, 4];
const spacing: Vec3 = [0.5, 1, 2];

function labels(fill: (x: number, y: number, z: number) => number, s: Vec3 = shape): Uint8Array {
  const out = new Uint8Array(s[0] * s[1] * s[2]);
  let i = 0;
  for (let z = 0; z < s[2]; z++) for (let y = 0; y < s[1]; y++) for (let x = 0; x < s[0]; x++) out[i++] = fill(x, y, z);
  return out;
}

const ref = labels((x, y, z) => (x >= 1 && x <= 3 && y >= 1 && y <= 3 && z >= 1 && z <= 2 ? 1 : x === 5 && y === 0 ? 2 : 0));
const pred = labels((x, y, z) => (x >= 2 && x <= 4 && y >= 1 && y <= 3 && z >= 1 && z <= 2 ? 1 : 0));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

beforeAll(async () => {
  await writeNifti(join(dir, 'ref.nii.gz'), createVolume(ref, shape, { spacing }), { datatype: 'uint8' });
  await writeNifti(join(dir, 'pred.nii.gz'), createVolume(pred, shape, { spacing }), { datatype: 'uint8' });
  await writeNifti(join(dir, 'small.nii.gz'), createVolume(new Uint8Array(8), [2, 2, 2], { spacing }), { datatype: 'uint8' });
  await writeNifti(join(dir, 'coarse.nii.gz'), createVolume(pred, shape, { spacing: [1, 1, 2] }), { datatype: 'uint8' });
  // A cohort of two cases (the second predicted perfectly), one stored as .nii.
  mkdirSync(join(dir, 'refs'));
  mkdirSync(join(dir, 'preds'));
  await writeNifti(join(dir, 'refs', 'case1.nii.gz'), createVolume(ref, shape, { spacing }), { datatype: 'uint8' });
  await writeNifti(join(dir, 'refs', 'case2.nii'), createVolume(ref, shape, { spacing }), { datatype: 'uint8' });
  await writeNifti(join(dir, 'preds', 'case1.nii.gz'), createVolume(pred, shape, { spacing }), { datatype: 'uint8' });
  await writeNifti(join(dir, 'preds', 'case2.nii.gz'), createVolume(ref, shape, { spacing }), { datatype: 'uint8' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pedseg evaluate, one pair', () => {
  it('prints the JSON scores of every label present, matching the library', async () => {
    const { code, out, err } = await run(['evaluate', '--reference', join(dir, 'ref.nii.gz'), '--prediction', join(dir, 'pred.nii.gz')]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json.labels)).toEqual(['1', '2']);
    const direct = evaluateSegmentation({ data: ref, shape, spacing }, { data: pred, shape, spacing }).labels['1']!;
    expect(json.labels['1'].dice).toBe(direct.dice);
    expect(json.labels['1'].hd95).toBe(direct.hd95);
    expect(json.labels['1'].dice).toBeCloseTo((2 * 12) / (18 + 18), 12);
    // Label 2 is absent from the prediction: distances null, empty flag set, Dice 0.
    expect(json.labels['2']).toMatchObject({ dice: 0, mssd: null, hd95: null, assd: null, masd: null, empty: true });
    expect(json.surface).toBe('voxel');
    expect(json.spacing).toEqual([0.5, 1, 2]);
  });

  it('honours --labels with label sets, --surface element, --tolerance, and prints csv and table', async () => {
    const base = ['evaluate', '--reference', join(dir, 'ref.nii.gz'), '--prediction', join(dir, 'pred.nii.gz'), '--labels', '1,1+2', '--surface', 'element', '--tolerance', '2'];
    const json = JSON.parse((await run(base)).out);
    expect(Object.keys(json.labels)).toEqual(['1', '1+2']);
    expect(json.surface).toBe('element');
    expect(json.tolerance).toBe(2);
    const csv = await run([...base, '--format', 'csv']);
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toBe('label,dice,jaccard,sensitivity,specificity,precision,volumeSimilarity,ravd,mssd,hd95,assd,masd,nsd,empty,referenceVoxels,predictionVoxels');
    expect(lines[1]!.split(',')[1]).toBe(String(json.labels['1'].dice));
    expect(lines).toHaveLength(3);
    const table = await run([...base, '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^label\s+dice/);
  });

  it('fails with a clear message and exit 1 on a shape or spacing mismatch', async () => {
    const shapeCase = await run(['evaluate', '--reference', join(dir, 'ref.nii.gz'), '--prediction', join(dir, 'small.nii.gz')]);
    expect(shapeCase.code).toBe(1);
    expect(shapeCase.err).toMatch(/shape mismatch: reference \[6, 5, 4\] vs prediction \[2, 2, 2\]/);
    expect(shapeCase.err).toContain('small.nii.gz');
    const spacingCase = await run(['evaluate', '--reference', join(dir, 'ref.nii.gz'), '--prediction', join(dir, 'coarse.nii.gz')]);
    expect(spacingCase.code).toBe(1);
    expect(spacingCase.err).toMatch(/spacing mismatch/);
  });

  it('fails with exit 1 on a missing file and exit 2 on usage errors', async () => {
    const missing = await run(['evaluate', '--reference', join(dir, 'nope.nii.gz'), '--prediction', join(dir, 'pred.nii.gz')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.nii.gz');
    for (const argv of [
      ['evaluate'],
      ['evaluate', '--reference', 'a.nii'],
      ['evaluate', '--reference', 'a', '--prediction', 'b', '--surface', 'mesh'],
      ['evaluate', '--reference', 'a', '--prediction', 'b', '--labels', '0'],
      ['evaluate', '--reference', 'a', '--prediction', 'b', '--tolerance', '-1'],
      ['evaluate', '--reference', 'a', '--prediction', 'b', '--bogus'],
      ['evaluate', '--reference', 'a', '--prediction', 'b', '--out', 'dir'],
      ['evaluate', '--reference', 'a', '--prediction', 'b', '--jobs', '2'],
      ['evaluate', '--reference-dir', 'a', '--prediction-dir', 'b', '--jobs', '0'],
      ['evaluate', '--reference', 'a', '--reference-dir', 'b'],
    ]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain('Usage:');
    }
    const help = await run(['evaluate', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--reference-dir');
  });
});

describe('pedseg evaluate, a cohort', () => {
  it('pairs files by name, writes cases.csv, cases.json and summary.json (mean ± std)', async () => {
    const out = join(dir, 'out');
    const r = await run(['evaluate', '--reference-dir', join(dir, 'refs'), '--prediction-dir', join(dir, 'preds'), '--out', out, '--labels', '1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const d1 = evaluateSegmentation({ data: ref, shape, spacing }, { data: pred, shape, spacing }).labels['1']!.dice;
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.cases).toBe(2);
    expect(summary.labels['1'].dice.mean).toBeCloseTo((d1 + 1) / 2, 14);
    expect(summary.labels['1'].dice.std).toBeCloseTo(Math.abs(1 - d1) / Math.SQRT2, 14);
    expect(summary.labels['1'].dice.n).toBe(2);
    const cases = JSON.parse(readFileSync(join(out, 'cases.json'), 'utf8'));
    expect(Object.keys(cases.cases)).toEqual(['case1', 'case2']);
    expect(cases.cases.case2.labels['1'].dice).toBe(1);
    const csv = readFileSync(join(out, 'cases.csv'), 'utf8').trim().split('\n');
    expect(csv[0]!.startsWith('case,label,dice,')).toBe(true);
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([`case1,1,${d1}`, 'case2,1,1']);
    expect(JSON.parse(r.out)).toEqual(summary);
  });

  it('names the failing case and exits 1', async () => {
    mkdirSync(join(dir, 'bad-refs'));
    mkdirSync(join(dir, 'bad-preds'));
    await writeNifti(join(dir, 'bad-refs', 'x.nii.gz'), createVolume(ref, shape, { spacing }), { datatype: 'uint8' });
    await writeNifti(join(dir, 'bad-preds', 'x.nii.gz'), createVolume(new Uint8Array(8), [2, 2, 2], { spacing }), { datatype: 'uint8' });
    const r = await run(['evaluate', '--reference-dir', join(dir, 'bad-refs'), '--prediction-dir', join(dir, 'bad-preds')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/case x: .*shape mismatch/);
  });

  it('names unpaired cases and exits 1', async () => {
    const r = await run(['evaluate', '--reference-dir', join(dir, 'refs'), '--prediction-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no prediction for case1, case2/);
  });
});
