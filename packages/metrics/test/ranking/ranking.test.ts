import { describe, expect, it } from 'vitest';
import {
  COMBREG_RANKING_RULES,
  COMBREG_ROBUSTNESS_THRESHOLDS,
  RankingInputError,
  caseScore,
  metricScore,
  rankMethods,
  rankingRobustness,
} from '@pedseg/metrics';

const perfect = { dice: 1, sensitivity: 1, mssd: 0, assd: 0, ravd: 0 };

describe('metric scores (Table 1 rules)', () => {
  it('maps linearly between the threshold and the best value', () => {
    expect(metricScore(0.9, COMBREG_RANKING_RULES.dice!)).toBeCloseTo(50, 12);
    expect(metricScore(0.95, COMBREG_RANKING_RULES.sensitivity!)).toBeCloseTo(75, 12);
    expect(metricScore(6, COMBREG_RANKING_RULES.mssd!)).toBeCloseTo(80, 12);
    expect(metricScore(1, COMBREG_RANKING_RULES.assd!)).toBeCloseTo(75, 12);
    expect(metricScore(0.02, COMBREG_RANKING_RULES.ravd!)).toBeCloseTo(80, 12);
  });

  it('scores 0 at and beyond the threshold, and for undefined (infinite) distances', () => {
    expect(metricScore(0.8, COMBREG_RANKING_RULES.dice!)).toBe(0);
    expect(metricScore(0.3, COMBREG_RANKING_RULES.dice!)).toBe(0);
    expect(metricScore(45, COMBREG_RANKING_RULES.mssd!)).toBe(0);
    expect(metricScore(Number.POSITIVE_INFINITY, COMBREG_RANKING_RULES.assd!)).toBe(0);
    expect(metricScore(null, COMBREG_RANKING_RULES.mssd!)).toBe(0);
  });

  it('rejects NaN and values better than the best', () => {
    expect(() => metricScore(Number.NaN, COMBREG_RANKING_RULES.dice!, 'dice')).toThrow(RankingInputError);
    expect(() => metricScore(1.2, COMBREG_RANKING_RULES.dice!, 'dice')).toThrow(/better than its best/);
    expect(() => metricScore(-1, COMBREG_RANKING_RULES.assd!, 'assd')).toThrow(RankingInputError);
  });

  it('a case is the mean of its metric scores, over all structures of a multi-structure case', () => {
    const c = { dice: 0.9, sensitivity: 0.95, mssd: 6, assd: 1, ravd: 0.02 };
    expect(caseScore(c, COMBREG_RANKING_RULES)).toBeCloseTo((50 + 75 + 80 + 75 + 80) / 5, 12);
    expect(caseScore([c, perfect], COMBREG_RANKING_RULES)).toBeCloseTo((72 + 100) / 2, 12);
    expect(() => caseScore({ dice: 0.9 }, COMBREG_RANKING_RULES, 'case 3')).toThrow(/case 3, sensitivity is missing/);
  });
});

describe('rankMethods', () => {
  const methods = [
    { name: 'Base', cases: [{ dice: 0.9, sensitivity: 0.9, mssd: 15, assd: 2, ravd: 0.05 }, { dice: 0.85, sensitivity: 0.9, mssd: 25, assd: 3, ravd: 0.08 }] },
    { name: 'CombReg', cases: [perfect, { dice: 0.95, sensitivity: 0.92, mssd: 6, assd: 0.5, ravd: 0.01 }] },
    { name: 'Failed', cases: [{ dice: 0, sensitivity: 0, mssd: null, assd: null, ravd: 1 }, { dice: 0.5, sensitivity: 0.5, mssd: 80, assd: 9, ravd: 0.5 }] },
  ];

  it('ranks by mean case score with mean ± population std', () => {
    const r = rankMethods(methods);
    expect(r.methods.map((m) => [m.name, m.rank])).toEqual([
      ['CombReg', 1],
      ['Base', 2],
      ['Failed', 3],
    ]);
    const base = r.methods[1]!;
    // case 1: 50, 50, 50, 50, 50 → 50; case 2: 25, 50, 100/6, 25, 20 → 27.333…
    expect(base.caseScores[0]).toBeCloseTo(50, 12);
    expect(base.caseScores[1]).toBeCloseTo((25 + 50 + 50 / 3 + 25 + 20) / 5, 12);
    expect(base.mean).toBeCloseTo((50 + (25 + 50 + 50 / 3 + 25 + 20) / 5) / 2, 12);
    expect(base.std).toBeCloseTo(Math.abs(50 - (25 + 50 + 50 / 3 + 25 + 20) / 5) / 2, 12);
    expect(r.methods[2]).toMatchObject({ mean: 0, std: 0, rank: 3 });
  });

  it('identical methods share a rank (competition ranking)', () => {
    const r = rankMethods([methods[0]!, { ...methods[0]!, name: 'Copy' }, methods[2]!]);
    expect(r.methods.map((m) => m.rank)).toEqual([1, 1, 3]);
  });

  it('honours custom rules and rejects bad input', () => {
    const r = rankMethods(methods, { rules: { dice: { best: 1, threshold: 0 } } });
    expect(r.methods[0]!.mean).toBeCloseTo(97.5, 12);
    expect(() => rankMethods([])).toThrow(RankingInputError);
    expect(() => rankMethods([methods[0]!, methods[0]!])).toThrow(/appears twice/);
    expect(() => rankMethods([{ name: 'Empty', cases: [] }])).toThrow(/0 cases/);
    expect(() => rankMethods(methods, { rules: { dice: { best: 1, threshold: 1 } } })).toThrow(/best and threshold/);
  });
});

describe('rankingRobustness (Table S2)', () => {
  it('uses the ten alternative thresholds of the paper', () => {
    expect(COMBREG_ROBUSTNESS_THRESHOLDS.map((a) => a.label)).toEqual([
      'Dice75', 'Dice85', 'Sens75', 'Sens85', 'MSSD20', 'MSSD40', 'ASSD3', 'ASSD5', 'RAVD5', 'RAVD15',
    ]);
  });

  it('reports the methods whose rank changes under a threshold', () => {
    // A: Dice 0.9 (50), MSSD 15 mm (50); B: Dice 0.86 (30), MSSD 9.3 mm (69); other metrics equal.
    const common = { sensitivity: 0.9, assd: 2, ravd: 0.05 };
    const methods = [
      { name: 'A', cases: [{ ...common, dice: 0.9, mssd: 15 }] },
      { name: 'B', cases: [{ ...common, dice: 0.86, mssd: 9.3 }] },
    ];
    const r = rankingRobustness(methods);
    expect(r.base.methods.map((m) => m.name)).toEqual(['A', 'B']);
    const byLabel = Object.fromEntries(r.variants.map((v) => [v.alternative.label, v]));
    // MSSD20: A 25, B 53.5 → B overtakes A.
    expect(byLabel.MSSD20!.ranks).toEqual({ A: 2, B: 1 });
    expect(byLabel.MSSD20!.changed).toEqual([
      { name: 'B', baseRank: 2, rank: 1 },
      { name: 'A', baseRank: 1, rank: 2 },
    ]);
    // Dice75: A 60, B 44 → 110 vs 113, B overtakes; Dice85 and MSSD40 keep A first.
    expect(byLabel.Dice75!.ranks).toEqual({ A: 2, B: 1 });
    expect(byLabel.Dice85!.changed).toEqual([]);
    expect(byLabel.MSSD40!.changed).toEqual([]);
    expect(r.variants).toHaveLength(10);
    expect(r.stable).toEqual([]);
    expect(() => rankingRobustness(methods, { alternatives: [{ metric: 'hd95', threshold: 5, label: 'HD5' }] })).toThrow(
      RankingInputError,
    );
  });
});
