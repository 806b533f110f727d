import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createVolume, writeNifti, type Volume } from '@pedseg/volume';
import { DataArgumentError } from '../errors.js';
import { DOMAIN_LABELS, PAPER_COHORT_SIZES, PHANTOM_DOMAINS, type PhantomDomain } from '../phantom/domains.js';
import type { PhantomSize } from '../phantom/geometry.js';
import { assertPhantomDomain, generateCohort } from '../phantom/phantom.js';
import { assertCaseGeometry, assertDeclaredLabels } from './dataset.js';

/** A case to write. */
export interface CaseToWrite {
  /** Case identifier (becomes the file stem / folder name). */
  readonly id: string;
  /** Image volume. */
  readonly image: Volume;
  /** Label map on the same grid. */
  readonly label: Volume;
}

/** Dataset layout on disk: MSD (`dataset.json`, `imagesTr/`, `labelsTr/`) or `DOMAIN/CASE/{image,label}.nii.gz`. */
export type DatasetLayout = 'msd' | 'folders';

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

function checkId(id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) throw new DataArgumentError(`case id '${id}' must be a plain file name (letters, digits, _ . -)`);
}

/**
 * Image as int16 when its values are integers in range after rounding — the phantoms are quantized to
 * scanner-like integers so that the files stay small — else float32.
 */
function diskImage(image: Volume): { volume: Volume; datatype: 'int16' | 'float32' } {
  const data = image.data;
  let fits = true;
  for (let i = 0; i < data.length && fits; i += 1) {
    const v = data[i]!;
    fits = v >= -32768 && v <= 32767;
  }
  if (!fits) return { volume: image, datatype: 'float32' };
  const q = new Int16Array(data.length);
  for (let i = 0; i < data.length; i += 1) q[i] = Math.round(data[i]!);
  return { volume: createVolume(q, image.shape, { spacing: image.spacing, affine: image.affine }), datatype: 'int16' };
}

/** Writes one case of the folder layout: `root/domain/id/{image,label}.nii.gz`. */
export async function writeFolderCase(root: string, domain: string, c: CaseToWrite, labels: Readonly<Record<number, string>>): Promise<void> {
  checkId(c.id);
  checkId(domain);
  assertCaseGeometry(c.id, c.image, c.label);
  assertDeclaredLabels(c.id, c.label, labels);
  const dir = join(resolve(root), domain, c.id);
  await mkdir(dir, { recursive: true });
  const img = diskImage(c.image);
  await writeNifti(join(dir, 'image.nii.gz'), img.volume, { datatype: img.datatype });
  await writeNifti(join(dir, 'label.nii.gz'), c.label, { datatype: 'uint8' });
}

/**
 * Writes an MSD-layout dataset folder (`dataset.json` last, atomically) from cases produced one at a
 * time, so a full-size cohort never has to be in memory at once.
 *
 * @returns the case ids written.
 */
export async function writeMsdDataset(
  dir: string,
  meta: { readonly name: string; readonly labels: Readonly<Record<number, string>>; readonly description?: string },
  cases: Iterable<CaseToWrite> | AsyncIterable<CaseToWrite>,
): Promise<string[]> {
  const root = resolve(dir);
  await mkdir(join(root, 'imagesTr'), { recursive: true });
  await mkdir(join(root, 'labelsTr'), { recursive: true });
  const ids: string[] = [];
  for await (const c of cases) {
    checkId(c.id);
    assertCaseGeometry(c.id, c.image, c.label);
    assertDeclaredLabels(c.id, c.label, meta.labels);
    const img = diskImage(c.image);
    await writeNifti(join(root, 'imagesTr', `${c.id}.nii.gz`), img.volume, { datatype: img.datatype });
    await writeNifti(join(root, 'labelsTr', `${c.id}.nii.gz`), c.label, { datatype: 'uint8' });
    ids.push(c.id);
  }
  await writeJsonAtomic(join(root, 'dataset.json'), {
    name: meta.name,
    description: meta.description ?? '',
    tensorImageSize: '3D',
    modality: { 0: 'MRI' },
    labels: Object.fromEntries(Object.entries(meta.labels).map(([k, v]) => [String(k), v])),
    numTraining: ids.length,
    numTest: 0,
    training: ids.map((id) => ({ image: `./imagesTr/${id}.nii.gz`, label: `./labelsTr/${id}.nii.gz` })),
    test: [],
  });
  return ids;
}

/** Options of {@link writePhantomDatasets}. */
export interface WritePhantomOptions {
  /** Cohort seed. */
  readonly seed: number;
  /** Domains to write; default all three. */
  readonly domains?: readonly PhantomDomain[];
  /** Cases per domain; default the papers' cohort sizes (20 ankles, 17 knees, 15 shoulders). */
  readonly counts?: Partial<Readonly<Record<PhantomDomain, number>>>;
  /** Grid size; default `'small'`. */
  readonly size?: PhantomSize;
  /** Layout; default `'msd'` (one `Dataset00k_<domain>` folder per domain). */
  readonly layout?: DatasetLayout;
}

/**
 * Generates phantom cohorts and writes them as datasets, one case at a time: with the `'msd'` layout
 * to `root/Dataset001_ankle`, `Dataset002_knee`, `Dataset003_shoulder`; with `'folders'` to
 * `root/<domain>/<case>/{image,label}.nii.gz`.
 *
 * @returns the dataset folder of each domain written.
 */
export async function writePhantomDatasets(root: string, options: WritePhantomOptions): Promise<Partial<Record<PhantomDomain, string>>> {
  const domains = options.domains ?? PHANTOM_DOMAINS;
  const layout = options.layout ?? 'msd';
  if (layout !== 'msd' && layout !== 'folders') throw new DataArgumentError(`layout must be 'msd' or 'folders', got '${String(layout)}'`);
  const out: Partial<Record<PhantomDomain, string>> = {};
  for (const domain of domains) {
    assertPhantomDomain(domain);
    const count = options.counts?.[domain] ?? PAPER_COHORT_SIZES[domain];
    if (!Number.isInteger(count) || count < 1) throw new DataArgumentError(`counts.${domain} must be a positive integer, got ${count}`);
    const labels = Object.fromEntries(DOMAIN_LABELS[domain].map((name, v) => [v, name]));
    const size = options.size ?? 'small';
    function* cases(): Generator<CaseToWrite> {
      for (const p of generateCohort(domain, { seed: options.seed, count, size, landmarksPerBone: 0 })) {
        yield { id: p.caseId, image: p.image, label: p.label };
      }
    }
    if (layout === 'msd') {
      const index = PHANTOM_DOMAINS.indexOf(domain) + 1;
      const dir = join(resolve(root), `Dataset${String(index).padStart(3, '0')}_${domain}`);
      await writeMsdDataset(dir, { name: domain, labels, description: `@pedseg/data phantom cohort, seed ${options.seed}` }, cases());
      out[domain] = dir;
    } else {
      for (const c of cases()) await writeFolderCase(root, domain, c, labels);
      out[domain] = join(resolve(root), domain);
    }
  }
  return out;
}
