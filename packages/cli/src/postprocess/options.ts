import { parseArgs } from 'node:util';
import type { Connectivity3D } from '@pedseg/volume';

/** What `pedseg postprocess` was asked to do, after parsing and validation. */
export interface PostprocessPlan {
  readonly input: string;
  readonly output: string;
  readonly keep: number | null;
  readonly largest: boolean;
  readonly minSize: { readonly value: number; readonly unit: 'voxel' | 'mm3' } | null;
  readonly closingRadius: number | null;
  readonly radiusUnit: 'voxel' | 'mm';
  readonly fillHoles: boolean;
  readonly connectivity: Connectivity3D;
}

/** A command-line mistake: reported with the usage text and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The option summary printed by `pedseg postprocess --help`. */
export const POSTPROCESS_USAGE = `Usage: pedseg postprocess --input PRED.nii[.gz] --output OUT.nii[.gz] [options]

Cleans a 3D label map (0 = background). Steps run in this order, each only when asked:
  --keep K                 keep the K largest connected components of the foreground ("global" strategy)
  --largest                keep the largest connected component of each label ("multi"/"individual")
  --min-size N[mm3]        remove components (per label) smaller than N voxels, or N mm³ with the suffix
  --closing-radius R       ball closing of each label (R = 2 voxels is the papers' 5×5×5 sphere);
                           the image is padded, so objects touching the border are not eroded,
                           and a label never grows into another
  --fill-holes             fill enclosed holes of each label (holes touching the border stay open)
Other options:
  --radius-unit voxel|mm   unit of --closing-radius (default voxel; mm follows the spacing)
  --connectivity 6|18|26   connectivity of the components (default 26); holes are 6-connected
  --help                   this text
The output keeps the input's affine and datatype; it is written atomically (.gz compresses).`;

function number(name: string, raw: string, test: (v: number) => boolean, what: string): number {
  const v = Number(raw);
  if (raw.trim() === '' || !test(v)) throw new UsageError(`--${name}: expected ${what}, got '${raw}'`);
  return v;
}

/** Parses the arguments of `pedseg postprocess`; returns null for `--help`. */
export function parsePostprocessArgs(argv: readonly string[]): PostprocessPlan | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        input: { type: 'string' },
        output: { type: 'string' },
        largest: { type: 'boolean' },
        keep: { type: 'string' },
        'min-size': { type: 'string' },
        'fill-holes': { type: 'boolean' },
        'closing-radius': { type: 'string' },
        'radius-unit': { type: 'string' },
        connectivity: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return null;
  if (values.input === undefined) throw new UsageError('--input is required');
  if (values.output === undefined) throw new UsageError('--output is required');
  const keep = values.keep === undefined ? null : number('keep', values.keep, (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
  let minSize: PostprocessPlan['minSize'] = null;
  if (values['min-size'] !== undefined) {
    const raw = values['min-size'];
    const mm3 = /mm3$/i.test(raw);
    const value = number('min-size', mm3 ? raw.slice(0, -3) : raw, (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0, optionally followed by mm3');
    minSize = { value, unit: mm3 ? 'mm3' : 'voxel' };
  }
  const closingRadius =
    values['closing-radius'] === undefined
      ? null
      : number('closing-radius', values['closing-radius'], (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0');
  const radiusUnit = values['radius-unit'] ?? 'voxel';
  if (radiusUnit !== 'voxel' && radiusUnit !== 'mm') throw new UsageError(`--radius-unit: expected voxel or mm, got '${radiusUnit}'`);
  const connectivity = values.connectivity === undefined ? 26 : number('connectivity', values.connectivity, (v) => v === 6 || v === 18 || v === 26, '6, 18 or 26');
  const plan: PostprocessPlan = {
    input: values.input,
    output: values.output,
    keep,
    largest: values.largest === true,
    minSize,
    closingRadius,
    radiusUnit,
    fillHoles: values['fill-holes'] === true,
    connectivity: connectivity as Connectivity3D,
  };
  if (plan.keep === null && !plan.largest && plan.minSize === null && plan.closingRadius === null && !plan.fillHoles) {
    throw new UsageError('nothing to do: give at least one of --largest, --keep, --min-size, --closing-radius, --fill-holes');
  }
  return plan;
}
