import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rankMethods, wilcoxonSignedRank } from '@pedseg/metrics';
import { TrainConfigError, compareMethods, reportCommand, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import type { CaseScores, ExperimentReport } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

const row = (dice: number) => ({ dice, sensitivity: dice, specificity: 1, mssd: 10 * (1 - dice), assd: 1 - dice, ravd: (1 - dice) / 10 });

function report(cases: CaseScores[]): ExperimentReport {
  return { cases, summary: {} };
}

describe('method comparison', () => {
  it('ranks methods, pairs slice Dice by case and structure for Wilcoxon, draws a per-case radar', async () => {
    const dir = tempDir('compare');
    const ids = ['a1', 'a2', 'a3'];
    const good = report(ids.map((caseId, i) => ({ fold: i, caseId, structures: { tibia: row(0.95), talus: row(0.9) }, sliceDice: { tibia: [0.9, 0.8, 0.95, 0.7], talus: [0.9, 0.85] } })));
    const bad = report(ids.map((caseId, i) => ({ fold: i, caseId, structures: { tibia: row(0.85), talus: row(0.82) }, sliceDice: { tibia: [0.5, 0.6, 0.9, 0.4], talus: [0.9, 0.85] } })));
    const out = await compareMethods(dir, { good, bad });
    expect(out.ranking.methods.map((m) => m.name)).toEqual(['good', 'bad']);
    const expected = rankMethods([
      { name: 'good', cases: good.cases.map((c) => Object.values(c.structures)) },
      { name: 'bad', cases: bad.cases.map((c) => Object.values(c.structures)) },
    ]);
    expect(out.ranking.methods[0]!.mean).toBeCloseTo(expected.methods[0]!.mean, 12);
    const tibia = out.wilcoxon.find((t) => t.structure === 'tibia')!;
    // 3 cases × 4 slices, paired in order.
    expect(tibia.n).toBe(12);
    const ref = wilcoxonSignedRank([0.9, 0.8, 0.95, 0.7, 0.9, 0.8, 0.95, 0.7, 0.9, 0.8, 0.95, 0.7], [0.5, 0.6, 0.9, 0.4, 0.5, 0.6, 0.9, 0.4, 0.5, 0.6, 0.9, 0.4]);
    expect(tibia.pValue).toBeCloseTo(ref.pValue, 12);
    // Differences 0.4, 0.2, 0.05, 0.3 (×3): the median is (0.2 + 0.3) / 2.
    expect(tibia.medianDifference).toBeCloseTo(0.25, 12);
    // Identical slice scores: no evidence of a difference (scipy would give NaN).
    expect(out.wilcoxon.find((t) => t.structure === 'talus')).toMatchObject({ n: 6, statistic: null, pValue: 1 });
    expect(out.wilcoxon.find((t) => t.structure === 'all')!.n).toBe(18);
    expect(out.radarAxes).toEqual(ids);
    for (const f of ['ranking.csv', 'wilcoxon.csv', 'radar.svg', 'comparison.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'ranking.csv'), 'utf8').split('\n')[1]).toMatch(/^1,good,/);
  });

  it('runExperiment with methods runs each into its folder and compares them', async () => {
    const dir = tempDir('methods');
    const out = await runExperiment({
      name: 'cmp',
      outputDir: dir,
      seed: 2,
      data: { domain: 'shoulder', cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
      network: { inputSize: [16, 16], depth: 1, filters: 4, attention: false },
      learningRate: 1e-2,
      batchSize: 8,
      epochs: 1,
      closingRadius: 1,
      folds: [0],
      methods: [{ name: 'baseline', procedure: 'baseline' }, { name: 'global', procedure: 'baseline', strategy: 'global' }],
    });
    expect(Object.keys(out.methods!)).toEqual(['baseline', 'global']);
    expect(out.comparison!.ranking.methods).toHaveLength(2);
    // One test case: the radar's axes are the ranking metrics.
    expect(out.comparison!.radarAxes).toEqual(['dice', 'sensitivity', 'mssd', 'assd', 'ravd']);
    expect(out.comparison!.wilcoxon.map((t) => t.structure)).toContain('all');
    for (const f of ['baseline/fold-0/scores.json', 'global/summary.csv', 'radar.svg', 'wilcoxon.csv', 'ranking.csv']) expect(existsSync(join(dir, f)), f).toBe(true);
    // `pedseg report` on the comparison folder re-merges each method and compares again.
    rmSync(join(dir, 'ranking.csv'));
    const lines: string[] = [];
    expect(await reportCommand.run([dir], { stdout: (t) => lines.push(t), stderr: (t) => lines.push(t) })).toBe(0);
    expect(lines.join('')).toMatch(/2 method\(s\) merged/);
    expect(readFileSync(join(dir, 'ranking.csv'), 'utf8')).toMatch(/^rank,method,mean,std\n1,/);
  });

  it('validates method names', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle' as const, cases: 3 } };
    expect(resolveExperimentConfig({ ...base, methods: [{ name: 'a', procedure: 'spar' }] }).methods![0]).toMatchObject({ outputDir: '/tmp/x/a', procedure: 'spar', lambda: 0.01 });
    expect(() => resolveExperimentConfig({ ...base, methods: [{ name: 'a' }, { name: 'a' }] })).toThrow(/duplicate method/);
    expect(() => resolveExperimentConfig({ ...base, methods: [{ name: '../up' }] })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, methods: [] })).toThrow(/non-empty/);
  });
});
