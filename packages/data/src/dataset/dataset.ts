import { access } from 'node:fs/promises';
import { readNifti, type Volume } from '@pedseg/volume';
import { CaseGeometryError, MissingCaseFileError, UndeclaredLabelError } from '../errors.js';

/** One case of a dataset on disk (paths only: nothing is read until {@link loadCase}). */
export interface DatasetCase {
  /** Case identifier (file stem or folder name). */
  readonly id: string;
  /** Absolute path of the image (`.nii` / `.nii.gz`). */
  readonly image: string;
  /** Absolute path of the label map. */
  readonly label: string;
}

/** A segmentation dataset of one domain, opened lazily. */
export interface SegmentationDataset {
  /** Dataset folder. */
  readonly root: string;
  /** Domain name (e.g. `'ankle'`). */
  readonly domain: string;
  /** Declared label names by value (0 = background). */
  readonly labels: Readonly<Record<number, string>>;
  /** Cases, sorted by id. */
  readonly cases: readonly DatasetCase[];
}

/** A case read from disk, checked for geometry and labels. */
export interface LoadedCase {
  /** Case identifier. */
  readonly id: string;
  /** The image. */
  readonly image: Volume;
  /** The label map (same grid). */
  readonly label: Volume;
}

/** Throws {@link MissingCaseFileError} for the first missing image or label file of `cases`. */
export async function assertCaseFiles(cases: readonly DatasetCase[]): Promise<void> {
  for (const c of cases) {
    for (const path of [c.image, c.label]) {
      try {
        await access(path);
      } catch {
        throw new MissingCaseFileError(c.id, path);
      }
    }
  }
}

function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Throws {@link CaseGeometryError} unless image and label share shape, spacing and affine. */
export function assertCaseGeometry(id: string, image: Volume, label: Volume): void {
  if (image.shape.some((n, a) => n !== label.shape[a])) {
    throw new CaseGeometryError(id, `shape [${image.shape.join(', ')}] vs [${label.shape.join(', ')}]`);
  }
  if (image.spacing.some((s, a) => !close(s, label.spacing[a]!, 1e-4))) {
    throw new CaseGeometryError(id, `spacing [${image.spacing.join(', ')}] vs [${label.spacing.join(', ')}]`);
  }
  if (image.affine.some((v, i) => !close(v, label.affine[i]!, 1e-4))) {
    throw new CaseGeometryError(id, `affine [${image.affine.join(', ')}] vs [${label.affine.join(', ')}]`);
  }
}

/** Throws {@link UndeclaredLabelError} for the first label value not declared in `labels`. */
export function assertDeclaredLabels(id: string, label: Volume, labels: Readonly<Record<number, string>>): void {
  const declared = Object.keys(labels).map(Number).sort((a, b) => a - b);
  const ok = new Set(declared);
  const seen = new Set<number>();
  const data = label.data;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i]!;
    if (seen.has(v)) continue;
    seen.add(v);
    if (!ok.has(v)) throw new UndeclaredLabelError(id, v, declared);
  }
}

/**
 * Reads one case (by id or index) and checks it: the files exist, image and label share the grid,
 * and every label value is declared.
 *
 * @throws {@link MissingCaseFileError}, {@link CaseGeometryError}, {@link UndeclaredLabelError}, or the
 * NIfTI errors of `@pedseg/volume` for unreadable files.
 */
export async function loadCase(dataset: SegmentationDataset, which: string | number): Promise<LoadedCase> {
  const c = typeof which === 'number' ? dataset.cases[which] : dataset.cases.find((k) => k.id === which);
  if (c === undefined) throw new MissingCaseFileError(String(which), `${dataset.root} (no such case)`);
  await assertCaseFiles([c]);
  const [image, label] = await Promise.all([readNifti(c.image), readNifti(c.label)]);
  assertCaseGeometry(c.id, image, label);
  assertDeclaredLabels(c.id, label, dataset.labels);
  return { id: c.id, image, label };
}

/** Reads the cases one at a time, so that a cohort never has to fit in memory at once. */
export async function* iterateCases(dataset: SegmentationDataset, ids?: readonly string[]): AsyncGenerator<LoadedCase> {
  for (const c of dataset.cases) {
    if (ids !== undefined && !ids.includes(c.id)) continue;
    yield await loadCase(dataset, c.id);
  }
}
