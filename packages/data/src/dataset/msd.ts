import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DatasetLayoutError } from '../errors.js';
import { assertCaseFiles, type DatasetCase, type SegmentationDataset } from './dataset.js';

/** Options of {@link openMsdDataset}. */
export interface OpenMsdOptions {
  /** Domain name; default: `dataset.json` "name", else the folder name. */
  readonly domain?: string;
}

const NIFTI = /\.nii(\.gz)?$/;

/** Parses the `labels` of a dataset.json: MSD `{"0": "background"}` or nnU-Net v2 `{"background": 0}`. */
export function parseLabelDeclaration(value: unknown, where: string): Record<number, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DatasetLayoutError(`${where}: "labels" must be an object`);
  }
  const out: Record<number, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (/^\d+$/.test(k) && typeof v === 'string') out[Number(k)] = v;
    else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[v] = k;
    else if (Array.isArray(v) || typeof v === 'object') {
      throw new DatasetLayoutError(`${where}: label '${k}' uses region-based labels, which are not supported`);
    } else throw new DatasetLayoutError(`${where}: label entry '${k}': ${JSON.stringify(v)} is neither "value": "name" nor "name": value`);
  }
  if (!(0 in out)) out[0] = 'background';
  return out;
}

/**
 * Opens a Medical Segmentation Decathlon / nnU-Net dataset folder: `dataset.json`, `imagesTr/`,
 * `labelsTr/`. MSD (v1) lists its cases in `"training"`; nnU-Net v2 lists none, and its cases are the
 * label files of `labelsTr/` with images `imagesTr/<case>_0000<file_ending>`. Only the file list is
 * read — volumes are loaded on demand by {@link loadCase}.
 *
 * @throws {@link DatasetLayoutError} when `dataset.json` is missing or malformed.
 * @throws {@link MissingCaseFileError} naming the first case whose image or label file is missing.
 */
export async function openMsdDataset(dir: string, options: OpenMsdOptions = {}): Promise<SegmentationDataset> {
  const root = resolve(dir);
  const jsonPath = join(root, 'dataset.json');
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(await readFile(jsonPath, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DatasetLayoutError(`${jsonPath}: cannot read dataset.json (${(error as Error).message})`);
  }
  if (meta === null || typeof meta !== 'object') throw new DatasetLayoutError(`${jsonPath}: not a JSON object`);
  const labels = parseLabelDeclaration(meta.labels, jsonPath);
  let cases: DatasetCase[];
  if (Array.isArray(meta.training)) {
    cases = meta.training.map((entry: unknown, i: number) => {
      const e = entry as { image?: unknown; label?: unknown } | null;
      if (e === null || typeof e !== 'object' || typeof e.image !== 'string' || typeof e.label !== 'string') {
        throw new DatasetLayoutError(`${jsonPath}: training[${i}] must have string "image" and "label"`);
      }
      return { id: basename(e.label).replace(NIFTI, ''), image: resolve(root, e.image), label: resolve(root, e.label) };
    });
  } else {
    const ending = typeof meta.file_ending === 'string' ? meta.file_ending : '.nii.gz';
    let files: string[];
    try {
      files = await readdir(join(root, 'labelsTr'));
    } catch {
      throw new DatasetLayoutError(`${root}: no "training" list in dataset.json and no labelsTr/ folder`);
    }
    cases = files
      .filter((f) => f.endsWith(ending))
      .map((f) => {
        const id = f.slice(0, -ending.length);
        return { id, image: join(root, 'imagesTr', `${id}_0000${ending}`), label: join(root, 'labelsTr', f) };
      });
  }
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new DatasetLayoutError(`${jsonPath}: case id '${c.id}' appears twice`);
    ids.add(c.id);
  }
  cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await assertCaseFiles(cases);
  const domain = options.domain ?? (typeof meta.name === 'string' && meta.name.length > 0 ? meta.name : basename(root));
  return { root, domain, labels, cases };
}
