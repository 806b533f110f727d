import { mkdtempSync, rmSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVolume, writeNifti } from '@pedseg/volume';
import {
  CaseGeometryError,
  DatasetLayoutError,
  MissingCaseFileError,
  UndeclaredLabelError,
  generatePhantom,
  iterateCases,
  loadCase,
  openFolderDatasets,
  openMsdDataset,
  writeMsdDataset,
  writePhantomDatasets,
} from '@pedseg/data';

const work = mkdtempSync(join(tmpdir(), 'pedseg-data-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SHAPE = [20, 20, 10] as const;

describe('phantom datasets on disk', () => {
  it('writes MSD datasets that read back identically (labels from dataset.json, int16 images)', async () => {
    const dirs = await writePhantomDatasets(join(work, 'msd'), { seed: 5, counts: { ankle: 3, knee: 2, shoulder: 2 }, size: { shape: SHAPE } });
    expect(Object.keys(dirs)).toEqual(['ankle', 'knee', 'shoulder']);
    const ds = await openMsdDataset(dirs.knee!);
    expect(ds.domain).toBe('knee');
    expect(ds.labels).toEqual({ 0: 'background', 1: 'femur', 2: 'fibula', 3: 'patella', 4: 'tibia' });
    expect(ds.cases.map((c) => c.id)).toEqual(['knee_001', 'knee_002']);
    const loaded = await loadCase(ds, 'knee_002');
    const p = generatePhantom('knee', { seed: 5, caseIndex: 1, size: { shape: SHAPE }, landmarksPerBone: 0 });
    expect(Array.from(loaded.label.data)).toEqual(Array.from(p.label.data));
    expect(loaded.image.shape).toEqual(SHAPE);
    loaded.image.data.forEach((v, i) => expect(Math.abs(v - p.image.data[i]!)).toBeLessThanOrEqual(0.5));
    loaded.image.spacing.forEach((s, a) => expect(s).toBeCloseTo(p.image.spacing[a]!, 5));
    const ids: string[] = [];
    for await (const c of iterateCases(await openMsdDataset(dirs.ankle!))) ids.push(c.id);
    expect(ids).toEqual(['ankle_001', 'ankle_002', 'ankle_003']);
  });

  it('writes and reads the DOMAIN/CASE/{image,label}.nii.gz layout, one dataset per domain', async () => {
    await writePhantomDatasets(join(work, 'folders'), { seed: 5, domains: ['ankle', 'shoulder'], counts: { ankle: 2, shoulder: 2 }, size: { shape: SHAPE }, layout: 'folders' });
    const sets = await openFolderDatasets(join(work, 'folders'));
    expect(sets.map((s) => s.domain)).toEqual(['ankle', 'shoulder']);
    expect(sets[1]!.labels).toEqual({ 0: 'background', 1: 'humerus', 2: 'scapula' });
    const c = await loadCase(sets[0]!, 0);
    expect(c.id).toBe('ankle_001');
  });
});

describe('nnU-Net v2 layout', () => {
  it('lists cases from labelsTr and finds images as <case>_0000.nii.gz; labels as {"name": value}', async () => {
    const root = join(work, 'Dataset042_Knee');
    mkdirSync(join(root, 'imagesTr'), { recursive: true });
    mkdirSync(join(root, 'labelsTr'), { recursive: true });
    writeFileSync(join(root, 'dataset.json'), JSON.stringify({ channel_names: { 0: 'T1' }, labels: { background: 0, femur: 1 }, numTraining: 1, file_ending: '.nii.gz' }));
    const img = createVolume(new Float32Array(8).map((_, i) => i), [2, 2, 2]);
    await writeNifti(join(root, 'imagesTr', 'K_01_0000.nii.gz'), img);
    await writeNifti(join(root, 'labelsTr', 'K_01.nii.gz'), createVolume(new Uint8Array([0, 1, 1, 0, 0, 0, 1, 0]), [2, 2, 2]));
    const ds = await openMsdDataset(root, { domain: 'knee' });
    expect(ds.labels).toEqual({ 0: 'background', 1: 'femur' });
    expect(ds.cases.map((c) => c.id)).toEqual(['K_01']);
    expect(Array.from((await loadCase(ds, 'K_01')).image.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('typed errors naming the case', () => {
  const labels = { 0: 'background', 1: 'bone' };
  const img = createVolume(new Float32Array(8).fill(1), [2, 2, 2]);

  it('missing image file → MissingCaseFileError', async () => {
    const root = join(work, 'missing');
    await writeMsdDataset(root, { name: 'x', labels }, [{ id: 'case_7', image: img, label: createVolume(new Uint8Array(8), [2, 2, 2]) }]);
    unlinkSync(join(root, 'imagesTr', 'case_7.nii.gz'));
    await expect(openMsdDataset(root)).rejects.toThrow(MissingCaseFileError);
    await expect(openMsdDataset(root)).rejects.toThrow(/case_7/);
  });

  it('mismatched image/label geometry → CaseGeometryError', async () => {
    const root = join(work, 'geometry');
    await writeMsdDataset(root, { name: 'x', labels }, [{ id: 'g1', image: img, label: createVolume(new Uint8Array(8), [2, 2, 2]) }]);
    await writeNifti(join(root, 'labelsTr', 'g1.nii.gz'), createVolume(new Uint8Array(8), [2, 2, 2], { spacing: [1, 1, 2] }));
    const ds = await openMsdDataset(root);
    await expect(loadCase(ds, 'g1')).rejects.toThrow(CaseGeometryError);
    await expect(loadCase(ds, 'g1')).rejects.toThrow(/g1.*spacing/);
  });

  it('label outside the declared set → UndeclaredLabelError', async () => {
    const root = join(work, 'labels');
    await writeMsdDataset(root, { name: 'x', labels }, [{ id: 'u1', image: img, label: createVolume(new Uint8Array(8), [2, 2, 2]) }]);
    await writeNifti(join(root, 'labelsTr', 'u1.nii.gz'), createVolume(new Uint8Array([0, 1, 5, 0, 0, 0, 0, 0]), [2, 2, 2]));
    const ds = await openMsdDataset(root);
    await expect(loadCase(ds, 'u1')).rejects.toThrow(UndeclaredLabelError);
    await expect(loadCase(ds, 'u1')).rejects.toThrow(/u1: label value 5/);
    await expect(writeMsdDataset(join(work, 'labels2'), { name: 'x', labels }, [{ id: 'u2', image: img, label: createVolume(new Uint8Array(8).fill(3), [2, 2, 2]) }])).rejects.toThrow(UndeclaredLabelError);
  });

  it('no dataset.json, bad labels, or no domain folders → DatasetLayoutError', async () => {
    await expect(openMsdDataset(join(work, 'nowhere'))).rejects.toThrow(DatasetLayoutError);
    const bad = join(work, 'badjson');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'dataset.json'), JSON.stringify({ labels: { femur: [1, 2] } }));
    await expect(openMsdDataset(bad)).rejects.toThrow(/region-based/);
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(openFolderDatasets(empty)).rejects.toThrow(DatasetLayoutError);
  });
});
