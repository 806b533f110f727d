import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatasetLayoutError } from '../errors.js';
import { DOMAIN_LABELS } from '../phantom/domains.js';
import { assertCaseFiles, type DatasetCase, type SegmentationDataset } from './dataset.js';
import { parseLabelDeclaration } from './msd.js';

/** Options of {@link openFolderDatasets}. */
export interface OpenFoldersOptions {
  /** Label names per domain folder, overriding `DOMAIN/dataset.json` and the built-in tables. */
  readonly labels?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /** File names inside a case folder; default `image.nii.gz` and `label.nii.gz`. */
  readonly imageFile?: string;
  /** See `imageFile`. */
  readonly labelFile?: string;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function domainLabels(domainDir: string, domain: string, options: OpenFoldersOptions): Promise<Record<number, string>> {
  const given = options.labels?.[domain];
  if (given) return { ...given };
  const jsonPath = join(domainDir, 'dataset.json');
  let text: string | null = null;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch {
    text = null;
  }
  if (text !== null) {
    let meta: { labels?: unknown };
    try {
      meta = JSON.parse(text) as { labels?: unknown };
    } catch (error) {
      throw new DatasetLayoutError(`${jsonPath}: invalid JSON (${(error as Error).message})`);
    }
    return parseLabelDeclaration(meta.labels, jsonPath);
  }
  const builtIn = (DOMAIN_LABELS as Readonly<Record<string, readonly string[]>>)[domain];
  if (builtIn) return Object.fromEntries(builtIn.map((name, v) => [v, name]));
  throw new DatasetLayoutError(`${domainDir}: no label names (add ${jsonPath} with "labels", or pass options.labels['${domain}'])`);
}

/**
 * Opens the simple layout `ROOT/DOMAIN/CASE/{image,label}.nii.gz`: one dataset per domain folder.
 * Label names come from `options.labels`, else `DOMAIN/dataset.json` ("labels" as in MSD or nnU-Net),
 * else the built-in tables for `ankle`, `knee` and `shoulder`.
 *
 * @throws {@link DatasetLayoutError} when the root has no domain folder or a domain has no label names.
 * @throws {@link MissingCaseFileError} naming the first case folder missing its image or label.
 */
export async function openFolderDatasets(rootDir: string, options: OpenFoldersOptions = {}): Promise<SegmentationDataset[]> {
  const root = resolve(rootDir);
  let entries: string[];
  try {
    entries = (await readdir(root)).sort();
  } catch (error) {
    throw new DatasetLayoutError(`${root}: cannot list folder (${(error as Error).message})`);
  }
  const imageFile = options.imageFile ?? 'image.nii.gz';
  const labelFile = options.labelFile ?? 'label.nii.gz';
  const out: SegmentationDataset[] = [];
  for (const domain of entries) {
    const domainDir = join(root, domain);
    if (!(await isDirectory(domainDir))) continue;
    const caseNames: string[] = [];
    for (const name of (await readdir(domainDir)).sort()) if (await isDirectory(join(domainDir, name))) caseNames.push(name);
    if (caseNames.length === 0) continue;
    const cases: DatasetCase[] = caseNames.map((id) => ({ id, image: join(domainDir, id, imageFile), label: join(domainDir, id, labelFile) }));
    await assertCaseFiles(cases);
    out.push({ root: domainDir, domain, labels: await domainLabels(domainDir, domain, options), cases });
  }
  if (out.length === 0) throw new DatasetLayoutError(`${root}: no DOMAIN/CASE/ folders found`);
  return out;
}
