import { readFile } from 'node:fs/promises';
import type { AlternativeThreshold, RankingMetricRule, RankingRules } from '@pedseg/metrics';

/** Rules and robustness alternatives from a `--thresholds` file. */
export interface ThresholdFile {
  readonly rules: RankingRules;
  readonly alternatives: readonly AlternativeThreshold[] | undefined;
}

/** Metrics whose best value is 0 (distances and volume differences); every other metric's best is 1. */
const LOWER_IS_BETTER = new Set(['mssd', 'hd95', 'assd', 'masd', 'ravd']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseRule(metric: string, spec: unknown, file: string): RankingMetricRule {
  if (typeof spec === 'number') return { best: LOWER_IS_BETTER.has(metric) ? 0 : 1, threshold: spec };
  if (isRecord(spec) && typeof spec.threshold === 'number') {
    const best = spec.best === undefined ? (LOWER_IS_BETTER.has(metric) ? 0 : 1) : spec.best;
    if (typeof best !== 'number') throw new Error(`${file}: best of ${metric} must be a number`);
    return { best, threshold: spec.threshold };
  }
  throw new Error(`${file}: the rule for ${metric} must be a number (threshold) or {"best": B, "threshold": T}`);
}

/**
 * Reads a `--thresholds` file: either a map metric → threshold / {best, threshold}, or
 * `{"rules": {...}, "alternatives": [{metric, threshold, label?}]}`.
 *
 * @throws Error naming the file and the malformed entry.
 */
export async function readThresholdFile(file: string): Promise<ThresholdFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read thresholds file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(data)) throw new Error(`${file}: expected a JSON object of metric thresholds`);
  const ruleSpecs = isRecord(data.rules) ? data.rules : 'alternatives' in data ? undefined : data;
  if (ruleSpecs === undefined) throw new Error(`${file}: "alternatives" given without "rules"`);
  const rules: Record<string, RankingMetricRule> = {};
  for (const [metric, spec] of Object.entries(ruleSpecs)) rules[metric] = parseRule(metric, spec, file);
  let alternatives: AlternativeThreshold[] | undefined;
  if (data.alternatives !== undefined) {
    if (!Array.isArray(data.alternatives)) throw new Error(`${file}: "alternatives" must be an array`);
    alternatives = data.alternatives.map((a: unknown, i: number) => {
      if (!isRecord(a) || typeof a.metric !== 'string' || typeof a.threshold !== 'number') {
        throw new Error(`${file}: alternatives[${i}] must be {"metric": name, "threshold": number, "label"?: text}`);
      }
      const label = typeof a.label === 'string' ? a.label : `${a.metric}=${a.threshold}`;
      return { metric: a.metric, threshold: a.threshold, label };
    });
  }
  return { rules, alternatives };
}
