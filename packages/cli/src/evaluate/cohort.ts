import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { METRIC_NAMES } from '@pedseg/metrics';
import type { EvaluationJson } from '@pedseg/metrics';
import type { EvaluateArgs } from './args.js';
import { pairCohort } from './cohort-files.js';
import type { CohortCase } from './cohort-files.js';
import { CSV_METRIC_COLUMNS, alignTable, csvField, csvMetricCells } from './format.js';
import { evaluateCases } from './pool.js';
import { summarizeCohort } from './summary.js';
import type { StructureSummary } from './summary.js';

/** What `pedseg evaluate --reference-dir` produces. */
export interface CohortReport {
  readonly cases: readonly CohortCase[];
  readonly results: readonly EvaluationJson[];
  readonly summary: Record<string, StructureSummary>;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** `cases.csv`: one row per case and structure. */
export function casesCsv(report: CohortReport): string {
  const lines = [['case', 'label', ...CSV_METRIC_COLUMNS].join(',')];
  report.results.forEach((result, i) => {
    for (const [label, metrics] of Object.entries(result.labels)) {
      lines.push([csvField(report.cases[i]!.id), csvField(label), ...csvMetricCells(metrics)].join(','));
    }
  });
  return `${lines.join('\n')}\n`;
}

function settings(args: EvaluateArgs): { surface: string; tolerance: number; percentile: number } {
  return { surface: args.surface, tolerance: args.tolerance, percentile: args.percentile };
}

/** `cases.json`: settings, then per case its files and its evaluation. */
export function casesJson(report: CohortReport, args: EvaluateArgs): string {
  const cases: Record<string, unknown> = {};
  report.results.forEach((result, i) => {
    const c = report.cases[i]!;
    cases[c.id] = { reference: c.reference, prediction: c.prediction, spacing: result.spacing, labels: result.labels };
  });
  return `${JSON.stringify({ ...settings(args), cases }, null, 2)}\n`;
}

/** `summary.json`: settings, number of cases, mean ± std per structure and metric. */
export function summaryJson(report: CohortReport, args: EvaluateArgs): string {
  return `${JSON.stringify({ ...settings(args), cases: report.cases.length, labels: report.summary }, null, 2)}\n`;
}

function summaryCsv(report: CohortReport): string {
  const lines = ['label,metric,mean,std,n,undefinedCount'];
  for (const [label, s] of Object.entries(report.summary)) {
    for (const m of METRIC_NAMES) {
      const { mean, std, n, undefinedCount } = s[m];
      lines.push([csvField(label), m, mean ?? '', std ?? '', n, undefinedCount].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

function summaryTable(report: CohortReport): string {
  const rows: string[][] = [['label', 'cases', ...METRIC_NAMES]];
  for (const [label, s] of Object.entries(report.summary)) {
    rows.push([
      label,
      String(s.cases),
      ...METRIC_NAMES.map((m) => {
        const { mean, std } = s[m];
        if (mean === null) return '-';
        return std === null ? mean.toFixed(4) : `${mean.toFixed(4)}±${std.toFixed(4)}`;
      }),
    ]);
  }
  return `${alignTable(rows)}${report.cases.length} cases; mean±std over cases with a defined value; distances in mm\n`;
}

/**
 * Scores a cohort (pairs by file name), writes `cases.csv`, `cases.json` and `summary.json` to
 * `args.out` when given, and returns the report and its summary rendered in `args.format`.
 */
export async function runCohort(args: EvaluateArgs): Promise<{ report: CohortReport; text: string }> {
  const cases = await pairCohort(args.reference, args.prediction);
  const results = await evaluateCases(cases, { labels: args.labels, surface: args.surface, tolerance: args.tolerance, percentile: args.percentile }, args.jobs);
  const report: CohortReport = { cases, results, summary: summarizeCohort(results) };
  if (args.out !== undefined) {
    await mkdir(args.out, { recursive: true });
    await writeAtomic(join(args.out, 'cases.csv'), casesCsv(report));
    await writeAtomic(join(args.out, 'cases.json'), casesJson(report, args));
    await writeAtomic(join(args.out, 'summary.json'), summaryJson(report, args));
  }
  const text = args.format === 'json' ? summaryJson(report, args) : args.format === 'csv' ? summaryCsv(report) : summaryTable(report);
  return { report, text };
}
