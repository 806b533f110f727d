import { METRIC_NAMES } from '@pedseg/metrics';
import type { EvaluationJson, MetricName } from '@pedseg/metrics';

/** Mean ± standard deviation of one metric of one structure over the cases that have it. */
export interface MetricSummary {
  /** Mean over the cases with a defined value; `null` when there is none. */
  readonly mean: number | null;
  /** Sample standard deviation (n − 1); `null` with fewer than two values. */
  readonly std: number | null;
  /** Cases with a defined value. */
  readonly n: number;
  /** Cases where the value is undefined (`null`: one mask empty), left out of mean and std. */
  readonly undefinedCount: number;
}

/** Mean ± std of every metric of one structure over a cohort. */
export type StructureSummary = Record<MetricName, MetricSummary> & {
  /** Cases in which the structure was scored. */
  readonly cases: number;
};

/** Summarises per-case evaluations: per structure key and metric. */
export function summarizeCohort(results: readonly EvaluationJson[]): Record<string, StructureSummary> {
  const values = new Map<string, Map<MetricName, { defined: number[]; undefinedCount: number }>>();
  const cases = new Map<string, number>();
  for (const result of results) {
    for (const [label, metrics] of Object.entries(result.labels)) {
      let perMetric = values.get(label);
      if (perMetric === undefined) {
        perMetric = new Map(METRIC_NAMES.map((m) => [m, { defined: [], undefinedCount: 0 }]));
        values.set(label, perMetric);
      }
      cases.set(label, (cases.get(label) ?? 0) + 1);
      for (const m of METRIC_NAMES) {
        const slot = perMetric.get(m)!;
        const v = metrics[m];
        if (v === null) slot.undefinedCount++;
        else slot.defined.push(v);
      }
    }
  }
  const out: Record<string, StructureSummary> = {};
  const keys = [...values.keys()].sort((a, b) => Number(a.split('+')[0]) - Number(b.split('+')[0]) || a.localeCompare(b));
  for (const label of keys) {
    const perMetric = values.get(label)!;
    const entry: Record<string, MetricSummary | number> = { cases: cases.get(label)! };
    for (const m of METRIC_NAMES) {
      const { defined, undefinedCount } = perMetric.get(m)!;
      const n = defined.length;
      const mean = n > 0 ? defined.reduce((s, v) => s + v, 0) / n : null;
      const std = n > 1 && mean !== null ? Math.sqrt(defined.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
      entry[m] = { mean, std, n, undefinedCount };
    }
    out[label] = entry as StructureSummary;
  }
  return out;
}
