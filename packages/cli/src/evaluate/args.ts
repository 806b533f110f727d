import { parseArgs } from 'node:util';
import type { LabelSelector, SurfaceConvention } from '@pedseg/metrics';

/** Output formats of `pedseg evaluate`. */
export type EvaluateFormat = 'json' | 'table' | 'csv';

/** Parsed options of `pedseg evaluate`. */
export interface EvaluateArgs {
  readonly mode: 'single' | 'cohort' | 'help';
  readonly reference: string;
  readonly prediction: string;
  readonly labels: readonly LabelSelector[] | undefined;
  readonly surface: SurfaceConvention;
  readonly tolerance: number;
  readonly percentile: number;
  readonly format: EvaluateFormat;
  readonly out: string | undefined;
  readonly jobs: number | undefined;
}

/** A command-line mistake: printed with the usage text, exit code 2. */
export class EvaluateUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluateUsageError';
  }
}

/** Usage text of `pedseg evaluate`. */
export const EVALUATE_USAGE = `Usage:
  pedseg evaluate --reference REF.nii.gz --prediction PRED.nii.gz [options]
  pedseg evaluate --reference-dir DIR --prediction-dir DIR [--out DIR] [options]

Scores a predicted label image against a reference (spacing from the reference header).

Options:
  --labels L        structures to score, comma-separated; "1+2" scores the union of labels 1 and 2
                    (default: every non-zero label present in either image)
  --surface C       surface convention: voxel (default, the papers' S1-S8) or element
                    (area-weighted surface elements, google-deepmind/surface-distance)
  --tolerance MM    surface Dice tolerance in mm (default 1)
  --percentile P    percentile of the robust Hausdorff distance reported as hd95 (default 95)
  --format F        json (default), table or csv
  --out DIR         cohort mode: write cases.csv, cases.json and summary.json there
  --jobs N          cohort mode: worker threads (default: available cores)
  -h, --help        this text

Overlap scores are fractions, distances mm. With one mask empty, distances are null in JSON
(empty cell in CSV) and "empty" is true.`;

function parseLabels(text: string): LabelSelector[] {
  return text.split(',').map((item) => {
    const parts = item.trim().split('+').map((p) => p.trim());
    const values = parts.map((p) => {
      const v = Number(p);
      if (p === '' || !Number.isFinite(v) || v === 0) throw new EvaluateUsageError(`--labels: '${item}' is not a label or a set like 1+2 (labels are non-zero numbers)`);
      return v;
    });
    return values.length === 1 ? values[0]! : values;
  });
}

function parseNumber(name: string, text: string | undefined, fallback: number, check: (v: number) => boolean, expect: string): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || !check(v)) throw new EvaluateUsageError(`--${name}: '${text}' must be ${expect}`);
  return v;
}

/**
 * Parses `pedseg evaluate` arguments.
 *
 * @throws EvaluateUsageError for unknown options, missing or conflicting inputs, bad values.
 */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        reference: { type: 'string' },
        prediction: { type: 'string' },
        'reference-dir': { type: 'string' },
        'prediction-dir': { type: 'string' },
        labels: { type: 'string' },
        surface: { type: 'string' },
        tolerance: { type: 'string' },
        percentile: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new EvaluateUsageError(error instanceof Error ? error.message : String(error));
  }
  const base = {
    labels: parsed.labels === undefined ? undefined : parseLabels(parsed.labels),
    surface: (parsed.surface ?? 'voxel') as SurfaceConvention,
    tolerance: parseNumber('tolerance', parsed.tolerance, 1, (v) => v >= 0, 'a number of mm ≥ 0'),
    percentile: parseNumber('percentile', parsed.percentile, 95, (v) => v >= 0 && v <= 100, 'a number in [0, 100]'),
    format: (parsed.format ?? 'json') as EvaluateFormat,
    out: parsed.out,
    jobs: parsed.jobs === undefined ? undefined : parseNumber('jobs', parsed.jobs, 1, (v) => Number.isInteger(v) && v >= 1, 'a positive integer'),
  };
  if (base.surface !== 'voxel' && base.surface !== 'element') throw new EvaluateUsageError(`--surface: '${base.surface}' must be voxel or element`);
  if (!['json', 'table', 'csv'].includes(base.format)) throw new EvaluateUsageError(`--format: '${base.format}' must be json, table or csv`);
  if (parsed.help === true) return { mode: 'help', reference: '', prediction: '', ...base };
  const single = parsed.reference !== undefined || parsed.prediction !== undefined;
  const cohort = parsed['reference-dir'] !== undefined || parsed['prediction-dir'] !== undefined;
  if (single && cohort) throw new EvaluateUsageError('use either --reference/--prediction or --reference-dir/--prediction-dir, not both');
  if (single) {
    if (parsed.reference === undefined || parsed.prediction === undefined) throw new EvaluateUsageError('--reference and --prediction are both required');
    if (base.out !== undefined || base.jobs !== undefined) throw new EvaluateUsageError('--out and --jobs apply to --reference-dir/--prediction-dir only');
    return { mode: 'single', reference: parsed.reference, prediction: parsed.prediction, ...base };
  }
  if (cohort) {
    if (parsed['reference-dir'] === undefined || parsed['prediction-dir'] === undefined) throw new EvaluateUsageError('--reference-dir and --prediction-dir are both required');
    return { mode: 'cohort', reference: parsed['reference-dir'], prediction: parsed['prediction-dir'], ...base };
  }
  throw new EvaluateUsageError('give --reference and --prediction (one pair) or --reference-dir and --prediction-dir (a cohort)');
}
