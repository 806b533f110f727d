import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { meanStd } from '@pedseg/metrics';
import { CheckpointError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { MethodComparison } from './compare.js';

/** The papers' per-structure metrics (S1–S6), in their table order. */
export const REPORT_METRICS = ['dice', 'sensitivity', 'specificity', 'mssd', 'assd', 'ravd'] as const;

/** One metric name of {@link REPORT_METRICS}. */
export type ReportMetric = (typeof REPORT_METRICS)[number];

/** Scores of one test case (one fold), per structure name. `null` = infinite distance (an empty mask). */
export interface CaseScores {
  /** Fold index. */
  readonly fold: number;
  /** Test case id. */
  readonly caseId: string;
  /** Joint of the test case (multi-domain runs). */
  readonly domain?: string;
  /** Structure name → metric → value. */
  readonly structures: Readonly<Record<string, Readonly<Record<ReportMetric, number | null>>>>;
  /** Structure name → 2D Dice of every axial slice containing it in the reference (ascending slice order). */
  readonly sliceDice?: Readonly<Record<string, readonly number[]>>;
}

/** Mean ± standard deviation of one metric of one structure over the test cases (finite values only). */
export interface SummaryCell {
  /** Mean. */
  readonly mean: number;
  /** Population standard deviation (ddof 0). */
  readonly std: number;
  /** Number of finite values. */
  readonly count: number;
}

/** Merged result of all folds found in a run directory. */
export interface ExperimentReport {
  /** Every case, ordered by fold. */
  readonly cases: readonly CaseScores[];
  /** Structure → metric → mean ± std over cases. */
  readonly summary: Readonly<Record<string, Readonly<Record<ReportMetric, SummaryCell | null>>>>;
  /** Runs with `methods`: each method's own report, by name. */
  readonly methods?: Readonly<Record<string, ExperimentReport>>;
  /** Runs with two or more methods: ranking scores and slice-Dice Wilcoxon tests. */
  readonly comparison?: MethodComparison;
}

/** File each fold writes with its test case's scores. */
export const FOLD_SCORES_FILE = 'scores.json';

function csvNumber(v: number | null): string {
  return v === null ? 'inf' : String(v);
}

/**
 * `pedseg report RUN_DIR`: merges the `fold-<i>/scores.json` files of a run directory (each fold may have
 * been run alone; a multi-domain fold's file lists one case per joint) into `per_case.csv` (fold, case, structure, metrics), `summary.csv` (structure,
 * metric, mean ± std, the papers' layout) and `summary.json`, written atomically.
 *
 * @throws {@link CheckpointError} when the directory has no fold output or a scores file is malformed.
 */
export async function writeExperimentReport(runDir: string): Promise<ExperimentReport> {
  const root = resolve(runDir);
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    throw new CheckpointError(`writeExperimentReport: run directory ${root} does not exist`, root);
  }
  const folds = entries.filter((e) => /^fold-\d+$/.test(e)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const cases: CaseScores[] = [];
  for (const f of folds) {
    const path = join(root, f, FOLD_SCORES_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue; // fold still running or interrupted
    }
    try {
      // A multi-domain fold tests one case per joint: its file holds an array.
      const parsed = JSON.parse(text) as CaseScores | CaseScores[];
      if (Array.isArray(parsed)) cases.push(...parsed);
      else cases.push(parsed);
    } catch {
      throw new CheckpointError(`writeExperimentReport: ${path} is not valid JSON`, path);
    }
  }
  if (cases.length === 0) throw new CheckpointError(`writeExperimentReport: no fold-<i>/${FOLD_SCORES_FILE} in ${root}`, root);
  const structures = [...new Set(cases.flatMap((c) => Object.keys(c.structures)))];
  const summary: Record<string, Record<ReportMetric, SummaryCell | null>> = {};
  for (const s of structures) {
    const row = {} as Record<ReportMetric, SummaryCell | null>;
    for (const m of REPORT_METRICS) {
      const values = cases.map((c) => c.structures[s]?.[m]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      row[m] = values.length > 0 ? { ...meanStd(values) } : null;
    }
    summary[s] = row;
  }
  const perCase = [['fold', 'case', 'structure', ...REPORT_METRICS].join(',')];
  for (const c of cases) {
    for (const [s, scores] of Object.entries(c.structures)) {
      perCase.push([c.fold, c.caseId, s, ...REPORT_METRICS.map((m) => csvNumber(scores[m]))].join(','));
    }
  }
  const summaryCsv = [['structure', ...REPORT_METRICS].join(',')];
  for (const s of structures) {
    summaryCsv.push(
      [s, ...REPORT_METRICS.map((m) => {
        const cell = summary[s]?.[m];
        return cell ? `${cell.mean.toFixed(4)} ± ${cell.std.toFixed(4)}` : 'n/a';
      })].join(','),
    );
  }
  await writeFileAtomic(join(root, 'per_case.csv'), `${perCase.join('\n')}\n`);
  await writeFileAtomic(join(root, 'summary.csv'), `${summaryCsv.join('\n')}\n`);
  await writeFileAtomic(join(root, 'summary.json'), JSON.stringify({ cases, summary }, null, 2));
  return { cases, summary };
}
