import { parseArgs } from 'node:util';

/** Output formats of `pedseg rank`. */
export type RankFormat = 'json' | 'table' | 'csv';

/** One `--method NAME=DIR` argument. */
export interface RankMethodSource {
  readonly name: string;
  /** Directory holding `cases.json` (from `pedseg evaluate --out`), or the JSON file itself. */
  readonly path: string;
}

/** Parsed options of `pedseg rank`. */
export interface RankArgs {
  readonly help: boolean;
  readonly methods: readonly RankMethodSource[];
  readonly thresholds: string | undefined;
  readonly format: RankFormat;
  readonly robustness: boolean;
}

/** A command-line mistake: printed with the usage text, exit code 2. */
export class RankUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RankUsageError';
  }
}

/** Usage text of `pedseg rank`. */
export const RANK_USAGE = `Usage:
  pedseg rank --method NAME=DIR [--method NAME=DIR ...] [--thresholds FILE.json]
              [--format json|table|csv] [--robustness]

Ranks segmentation methods with the ranking system of the combined-regularization paper: every
metric is mapped linearly from its threshold (score 0) to its best value (score 100), 0 beyond the
threshold or when undefined (empty mask); a case scores the mean over its metrics and structures; a
method scores mean ± std over its cases; methods are ranked by mean score.

Options:
  --method NAME=DIR   a method and the output directory of \`pedseg evaluate --out DIR\` (its
                      cases.json; a path to the JSON file itself also works); repeat per method
  --thresholds FILE   JSON rules replacing the defaults, e.g.
                        {"dice": 0.85, "mssd": {"best": 0, "threshold": 20}}
                      a bare number is the threshold, with the metric's natural best value
                      (1 for overlaps, 0 for distances and ravd); the listed metrics are the set
                      that is scored. Optional form {"rules": {...}, "alternatives":
                      [{"metric": "dice", "threshold": 0.75, "label": "Dice75"}, ...]}
  --format F          table (default), json or csv
  --robustness        also re-rank under each alternative threshold (default: Table S2 of the
                      paper, Dice/sensitivity 75/85 %, MSSD 20/40 mm, ASSD 3/5 mm, RAVD 5/15 %)
                      and report the methods whose rank changes
  -h, --help          this text

Default thresholds (Table 1): dice 0.80, sensitivity 0.80, mssd 30 mm, assd 4 mm, ravd 0.10.`;

const FORMATS: readonly RankFormat[] = ['json', 'table', 'csv'];

/**
 * Parses the arguments of `pedseg rank`.
 *
 * @throws {@link RankUsageError} on unknown options, a malformed `--method`, duplicate names or a bad
 *   format.
 */
export function parseRankArgs(argv: readonly string[]): RankArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        method: { type: 'string', multiple: true },
        thresholds: { type: 'string' },
        format: { type: 'string', default: 'table' },
        robustness: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new RankUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true, methods: [], thresholds: undefined, format: 'table', robustness: false };
  const format = values.format as RankFormat;
  if (!FORMATS.includes(format)) throw new RankUsageError(`--format: '${values.format}' is not one of ${FORMATS.join(', ')}`);
  const methods = (values.method ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new RankUsageError(`--method: '${spec}' is not NAME=DIR`);
    return { name: spec.slice(0, eq), path: spec.slice(eq + 1) };
  });
  if (methods.length === 0) throw new RankUsageError('give at least one --method NAME=DIR');
  const names = new Set<string>();
  for (const m of methods) {
    if (names.has(m.name)) throw new RankUsageError(`--method: the name '${m.name}' is used twice`);
    names.add(m.name);
  }
  return { help: false, methods, thresholds: values.thresholds, format, robustness: values.robustness };
}
