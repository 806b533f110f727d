import { join, resolve } from 'node:path';
import { COMBREG_RANKING_RULES, DegenerateSampleError, metricScore, rankMethods, wilcoxonSignedRank } from '@pedseg/metrics';
import type { RankingCase, RankingMetricRule, RankingResult } from '@pedseg/metrics';
import { radarPlotSvg } from '../figures/radar.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { CaseScores, ExperimentReport } from './report.js';

/** Wilcoxon signed-rank test of the paired 2D slice Dice of two methods on one structure. */
export interface SliceWilcoxon {
  /** First method. */
  readonly a: string;
  /** Second method. */
  readonly b: string;
  /** Structure name, or `'all'` for every structure's slices pooled. */
  readonly structure: string;
  /** Number of paired slices. */
  readonly n: number;
  /** Median of the differences a − b. */
  readonly medianDifference: number;
  /** scipy's statistic (min(R+, R−), two-sided), or null when every difference is zero. */
  readonly statistic: number | null;
  /** Two-sided p-value; 1 when every difference is zero (no evidence of a difference). */
  readonly pValue: number;
}

/** What {@link compareMethods} computes and writes. */
export interface MethodComparison {
  /** The combined-regularization paper's ranking system over the methods' test cases. */
  readonly ranking: RankingResult;
  /** Pairwise Wilcoxon tests on slice Dice, per structure and pooled. */
  readonly wilcoxon: readonly SliceWilcoxon[];
  /** Axes of the radar figure (case ids when ≥ 3 shared cases, else the ranking metrics). */
  readonly radarAxes: readonly string[];
}

function rankingCase(c: CaseScores): RankingCase {
  return Object.values(c.structures).map((row) => ({ ...row }));
}

function median(values: readonly number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Paired slice Dice of two methods: cases and structures both have, with the same slice count. */
function pairedSlices(a: ExperimentReport, b: ExperimentReport, structure: string | null): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  const byCase = new Map(b.cases.map((c) => [c.caseId, c]));
  for (const ca of a.cases) {
    const cb = byCase.get(ca.caseId);
    if (cb === undefined || ca.sliceDice === undefined || cb.sliceDice === undefined) continue;
    for (const [s, da] of Object.entries(ca.sliceDice)) {
      if (structure !== null && s !== structure) continue;
      const db = cb.sliceDice[s];
      // Both use the reference's slices, so equal lengths pair slice by slice.
      if (db === undefined || db.length !== da.length) continue;
      xs.push(...da);
      ys.push(...db);
    }
  }
  return [xs, ys];
}

function wilcoxon(a: string, b: string, structure: string, xs: readonly number[], ys: readonly number[]): SliceWilcoxon | null {
  if (xs.length === 0) return null;
  const diffs = xs.map((x, i) => x - (ys[i] as number));
  const base = { a, b, structure, n: xs.length, medianDifference: median(diffs) };
  // Every difference zero: the test is undefined (scipy: NaN); there is no evidence of a difference.
  if (diffs.every((d) => d === 0)) return { ...base, statistic: null, pValue: 1 };
  try {
    const r = wilcoxonSignedRank(xs, ys);
    return { ...base, statistic: r.statistic, pValue: r.pValue };
  } catch (e) {
    if (e instanceof DegenerateSampleError) return { ...base, statistic: null, pValue: 1 };
    throw e;
  }
}

/**
 * Compares the methods of a run: ranking-system scores (`@pedseg/metrics` rankMethods with the
 * combined-regularization paper's Table 1 rules; every structure of a case averaged into the case
 * score), a radar figure of the scores (per shared test case when there are ≥ 3, else per ranking
 * metric), and two-sided Wilcoxon signed-rank tests on the paired 2D slice Dice of every pair of
 * methods, per structure and pooled. Writes `ranking.csv`, `wilcoxon.csv`, `radar.svg` and
 * `comparison.json` into `runDir`.
 */
export async function compareMethods(runDir: string, reports: Readonly<Record<string, ExperimentReport>>): Promise<MethodComparison> {
  const root = resolve(runDir);
  const names = Object.keys(reports);
  const ranking = rankMethods(names.map((name) => ({ name, cases: (reports[name] as ExperimentReport).cases.map(rankingCase) })));

  const shared = names
    .map((n) => new Set((reports[n] as ExperimentReport).cases.map((c) => c.caseId)))
    .reduce((acc, s) => new Set([...acc].filter((id) => s.has(id))));
  const metrics = Object.keys(COMBREG_RANKING_RULES);
  let radarAxes: string[];
  let series: { name: string; values: number[] }[];
  if (shared.size >= 3) {
    radarAxes = [...shared].sort();
    series = ranking.methods.map((m) => {
      const cases = (reports[m.name] as ExperimentReport).cases.map((c) => c.caseId);
      return { name: m.name, values: radarAxes.map((id) => m.caseScores[cases.indexOf(id)] as number) };
    });
  } else {
    radarAxes = metrics;
    series = names.map((name) => {
      const rows = (reports[name] as ExperimentReport).cases.flatMap((c) => Object.values(c.structures));
      return {
        name,
        values: metrics.map((m) => rows.reduce((s, r) => s + metricScore(r[m as keyof typeof r], COMBREG_RANKING_RULES[m] as RankingMetricRule, m), 0) / Math.max(rows.length, 1)),
      };
    });
  }
  await writeFileAtomic(join(root, 'radar.svg'), radarPlotSvg(radarAxes, series, { min: 0, max: 100, title: 'ranking score' }));

  const tests: SliceWilcoxon[] = [];
  for (let i = 0; i < names.length; i += 1) {
    for (let j = i + 1; j < names.length; j += 1) {
      const a = reports[names[i] as string] as ExperimentReport;
      const b = reports[names[j] as string] as ExperimentReport;
      const structures = [...new Set(a.cases.flatMap((c) => Object.keys(c.sliceDice ?? {})))];
      for (const s of [...structures, null]) {
        const [xs, ys] = pairedSlices(a, b, s);
        const t = wilcoxon(names[i] as string, names[j] as string, s ?? 'all', xs, ys);
        if (t !== null) tests.push(t);
      }
    }
  }
  const rankingCsv = ['rank,method,mean,std', ...ranking.methods.map((m) => `${m.rank},${m.name},${m.mean.toFixed(2)},${m.std.toFixed(2)}`)];
  const wilcoxonCsv = [
    'a,b,structure,n,median_difference,statistic,p_value',
    ...tests.map((t) => [t.a, t.b, t.structure, t.n, t.medianDifference, t.statistic ?? '', t.pValue].join(',')),
  ];
  const comparison: MethodComparison = { ranking, wilcoxon: tests, radarAxes };
  await writeFileAtomic(join(root, 'ranking.csv'), `${rankingCsv.join('\n')}\n`);
  await writeFileAtomic(join(root, 'wilcoxon.csv'), `${wilcoxonCsv.join('\n')}\n`);
  await writeFileAtomic(join(root, 'comparison.json'), JSON.stringify(comparison, null, 2));
  return comparison;
}
