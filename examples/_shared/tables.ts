/**
 * Markdown tables in the papers' layout from the reports of `runExperiment`, with the papers' own
 * values quoted beside ours.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CaseScores, ExperimentReport, ReportMetric } from '@pedseg/train';

/** Column order of the papers' tables: Dice, sensitivity, specificity (%), MSSD, ASSD (mm), RAVD (%). */
export const TABLE_METRICS: readonly ReportMetric[] = ['dice', 'sensitivity', 'specificity', 'mssd', 'assd', 'ravd'];
const HEADER = '| Dice (%) ↑ | Sens. (%) ↑ | Spec. (%) ↑ | MSSD (mm) ↓ | ASSD (mm) ↓ | RAVD (%) ↓ |';
const PERCENT: ReadonlySet<ReportMetric> = new Set(['dice', 'sensitivity', 'specificity', 'ravd']);

/** A paper's row: six `mean ± std` strings in {@link TABLE_METRICS} order. */
export type PaperRow = readonly [string, string, string, string, string, string];

function meanStd(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return `${mean.toFixed(1)} ± ${std.toFixed(1)}`;
}

/**
 * One row per test case × bone, pooled like the papers' per-dataset rows: the mean ± std over every
 * case and bone of the group (infinite distances, from an empty prediction, are left out and counted).
 */
export function groupCells(cases: readonly CaseScores[], group: (structure: string, c: CaseScores) => boolean): string[] {
  return TABLE_METRICS.map((m) => {
    const values: number[] = [];
    let missing = 0;
    for (const c of cases) {
      for (const [s, row] of Object.entries(c.structures)) {
        if (!group(s, c)) continue;
        const v = row[m];
        if (v === null || !Number.isFinite(v)) missing += 1;
        else values.push(PERCENT.has(m) ? 100 * v : v);
      }
    }
    return meanStd(values) + (missing > 0 ? ` (${missing} ∞)` : '');
  });
}

/** Rows `| method | ours… |` and, when given, `| method (paper) | theirs… |` for one group. */
export function methodRows(
  methods: readonly { name: string; label: string; paper?: PaperRow }[],
  reports: Readonly<Record<string, ExperimentReport>>,
  group: (structure: string, c: CaseScores) => boolean,
): string[] {
  const rows: string[] = [];
  for (const m of methods) {
    const r = reports[m.name];
    if (r !== undefined) rows.push(`| ${m.label} | ${groupCells(r.cases, group).join(' | ')} |`);
    if (m.paper !== undefined) rows.push(`| *${m.label} (paper)* | ${m.paper.map((v) => `*${v}*`).join(' | ')} |`);
  }
  return rows;
}

/** A table header: `| <first> | Dice … RAVD |` and its separator. */
export function tableHeader(first: string): string[] {
  return [`| ${first} ${HEADER}`, `| --- ${'| --- '.repeat(TABLE_METRICS.length)}|`];
}

/** Parses a row copied from a paper's text: `"88.2 ± 1.9 88.1±5.4 …"` → six cells. */
export function paperRow(text: string): PaperRow {
  const cells = (text.trim().match(/[\d.]+\s*±\s*[\d.]+/g) ?? []).map((c) => c.replace(/\s*±\s*/, ' ± '));
  if (cells.length !== 6) throw new Error(`paperRow: expected 6 'mean ± std' cells in '${text}'`);
  return cells as unknown as PaperRow;
}

/** The ranking of a comparison as a markdown table. */
export function rankingTable(report: ExperimentReport): string[] {
  const ranking = report.comparison?.ranking;
  if (ranking === undefined) return [];
  return [
    '| rank | method | ranking score (mean ± std over test cases) |',
    '| --- | --- | --- |',
    ...ranking.methods.map((m) => `| ${m.rank} | ${m.name} | ${m.mean.toFixed(1)} ± ${m.std.toFixed(1)} |`),
  ];
}

/** The pooled (all structures) Wilcoxon tests on 2D slice Dice of a comparison. */
export function wilcoxonTable(report: ExperimentReport): string[] {
  const tests = report.comparison?.wilcoxon.filter((w) => w.structure === 'all') ?? [];
  if (tests.length === 0) return [];
  return [
    '| method A | method B | slices | median Dice difference (A − B) | p (two-sided) |',
    '| --- | --- | --- | --- | --- |',
    ...tests.map((w) => `| ${w.a} | ${w.b} | ${w.n} | ${w.medianDifference.toFixed(4)} | ${w.pValue.toPrecision(3)} |`),
  ];
}

/** Writes a markdown file (creating its folder) and prints its path. */
export async function writeMarkdown(path: string, lines: readonly string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`);
  console.log(`wrote ${path}`);
}
