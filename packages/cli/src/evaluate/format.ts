import { METRIC_NAMES } from '@pedseg/metrics';
import type { EvaluationJson, StructureMetricsJson } from '@pedseg/metrics';

/** Columns of the per-structure CSV rows after the key columns: every metric, then the empty flag and volumes. */
export const CSV_METRIC_COLUMNS = [...METRIC_NAMES, 'empty', 'referenceVoxels', 'predictionVoxels'] as const;

/** Quotes a CSV field when it needs it (RFC 4180). */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV cell of a score: full precision, empty for `null`. */
export function csvValue(value: number | boolean | null): string {
  if (value === null) return '';
  return String(value);
}

/** The metric cells of one structure, in {@link CSV_METRIC_COLUMNS} order. */
export function csvMetricCells(metrics: StructureMetricsJson): string[] {
  return CSV_METRIC_COLUMNS.map((name) => csvValue(metrics[name]));
}

/** CSV of one evaluation: a header, then one row per structure. */
export function evaluationCsv(evaluation: EvaluationJson): string {
  const lines = [['label', ...CSV_METRIC_COLUMNS].join(',')];
  for (const [label, metrics] of Object.entries(evaluation.labels)) lines.push([csvField(label), ...csvMetricCells(metrics)].join(','));
  return `${lines.join('\n')}\n`;
}

function cell(value: number | null): string {
  if (value === null) return '-';
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toFixed(4);
}

/** Aligns rows of cells into a plain-text table (first column left, the others right). */
export function alignTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return `${rows.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n')}\n`;
}

/** Human-readable table of one evaluation: one row per structure, distances in mm. */
export function evaluationTable(evaluation: EvaluationJson): string {
  const rows: string[][] = [['label', ...METRIC_NAMES]];
  for (const [label, metrics] of Object.entries(evaluation.labels)) rows.push([label, ...METRIC_NAMES.map((m) => cell(metrics[m]))]);
  const note = `surface=${evaluation.surface} tolerance=${evaluation.tolerance} mm percentile=${evaluation.percentile}; distances in mm, '-' = undefined (one mask empty)\n`;
  return alignTable(rows) + note;
}
