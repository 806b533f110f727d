import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One case of a cohort: its id (file name without `.nii` / `.nii.gz`) and both files. */
export interface CohortCase {
  readonly id: string;
  readonly reference: string;
  readonly prediction: string;
}

const NIFTI = /\.nii(\.gz)?$/;

async function niftiFiles(dir: string, role: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`cannot list the ${role} directory ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const out = new Map<string, string>();
  for (const name of names.sort()) {
    if (!NIFTI.test(name)) continue;
    const id = name.replace(NIFTI, '');
    if (out.has(id)) throw new Error(`${role} directory ${dir} holds both ${id}.nii and ${id}.nii.gz`);
    out.set(id, join(dir, name));
  }
  return out;
}

/**
 * Pairs the NIfTI files of two directories by file name (ignoring `.nii` vs `.nii.gz`).
 *
 * @throws Error listing unpaired cases, or when the reference directory has no NIfTI file.
 */
export async function pairCohort(referenceDir: string, predictionDir: string): Promise<CohortCase[]> {
  const [refs, preds] = await Promise.all([niftiFiles(referenceDir, 'reference'), niftiFiles(predictionDir, 'prediction')]);
  if (refs.size === 0) throw new Error(`no .nii or .nii.gz file in the reference directory ${referenceDir}`);
  const missing = [...refs.keys()].filter((id) => !preds.has(id));
  const extra = [...preds.keys()].filter((id) => !refs.has(id));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`no prediction for ${missing.join(', ')}`);
    if (extra.length > 0) parts.push(`no reference for ${extra.join(', ')}`);
    throw new Error(`unpaired cases: ${parts.join('; ')}`);
  }
  return [...refs.entries()].map(([id, reference]) => ({ id, reference, prediction: preds.get(id)! }));
}
