import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataArgumentError,
  SplitError,
  checkFold,
  kFoldSplits,
  leaveOneOutSplits,
  lockStepLeaveOneOut,
  parseSplits,
  serializeSplits,
  type Fold,
} from '@pedseg/data';

const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

function expectPartition(fold: Fold, all: readonly string[]): void {
  checkFold(fold);
  expect([...fold.train, ...fold.validation, ...fold.test].sort()).toEqual(all.slice().sort());
}

describe('leaveOneOutSplits', () => {
  it('property: folds partition the cases, each case is tested exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 25 }), fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: undefined }), (n, seed) => {
        const all = ids('A', n);
        const folds = leaveOneOutSplits(all, seed === undefined ? {} : { seed });
        expect(folds).toHaveLength(n);
        for (const f of folds) {
          expectPartition(f, all);
          expect(f.test).toHaveLength(1);
          expect(f.validation).toHaveLength(1);
        }
        expect(folds.map((f) => f.test[0]).sort()).toEqual(all.slice().sort());
      }),
    );
  });

  it('fold i tests case i and validates on case i + 1 (cyclic) without a seed', () => {
    const folds = leaveOneOutSplits(['a', 'b', 'c', 'd']);
    expect(folds[0]).toEqual({ index: 0, test: ['a'], validation: ['b'], train: ['c', 'd'] });
    expect(folds[3]).toEqual({ index: 3, test: ['d'], validation: ['a'], train: ['b', 'c'] });
  });

  it('rejects too few or duplicate cases', () => {
    expect(() => leaveOneOutSplits(['a', 'b'])).toThrow(DataArgumentError);
    expect(() => leaveOneOutSplits(['a', 'b', 'a'])).toThrow(DataArgumentError);
  });
});

describe('lockStepLeaveOneOut', () => {
  it('iterates the domains together; the smallest domain defines the number of folds', () => {
    const domains = { ankle: ids('A', 20), knee: ids('K', 17), shoulder: ids('S', 15) };
    const folds = lockStepLeaveOneOut(domains);
    expect(folds).toHaveLength(15);
    folds.forEach((f, i) => {
      expect(f.domains.ankle!.test).toEqual([`A${i + 1}`]);
      expect(f.domains.knee!.test).toEqual([`K${i + 1}`]);
      expect(f.domains.shoulder!.test).toEqual([`S${i + 1}`]);
      for (const [name, list] of Object.entries(domains)) expectPartition(f.domains[name]!, list);
    });
    // every shoulder is tested once; the extra ankles A16–A20 never are
    expect(new Set(folds.map((f) => f.domains.shoulder!.test[0])).size).toBe(15);
    expect(folds.some((f) => f.domains.ankle!.test[0] === 'A16')).toBe(false);
  });
});

describe('kFoldSplits', () => {
  it('property: test chunks cover every case once and folds are partitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 30 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 99 }), (n, k, seed) => {
        const all = ids('K', n);
        const folds = kFoldSplits(all, k, { seed });
        expect(folds).toHaveLength(k);
        for (const f of folds) expectPartition(f, all);
        expect(folds.flatMap((f) => f.test).sort()).toEqual(all.slice().sort());
      }),
    );
  });

  it('rejects bad k', () => {
    expect(() => kFoldSplits(ids('a', 5), 1)).toThrow(DataArgumentError);
    expect(() => kFoldSplits(ids('a', 5), 6)).toThrow(DataArgumentError);
  });
});

describe('serializeSplits / parseSplits', () => {
  it('round-trips single and lock-step plans', () => {
    const single = leaveOneOutSplits(ids('A', 5), { seed: 3 });
    expect(parseSplits(serializeSplits(single))).toEqual(single);
    const lock = lockStepLeaveOneOut({ ankle: ids('A', 4), shoulder: ids('S', 3) });
    expect(parseSplits(serializeSplits(lock))).toEqual(lock);
  });

  it('is deterministic: the same inputs serialize to the same bytes', () => {
    expect(serializeSplits(kFoldSplits(ids('A', 9), 3, { seed: 5 }))).toBe(serializeSplits(kFoldSplits(ids('A', 9), 3, { seed: 5 })));
  });

  it('rejects malformed plans and overlapping subsets with SplitError', () => {
    expect(() => parseSplits('{')).toThrow(SplitError);
    expect(() => parseSplits('{"format":"x","folds":[]}')).toThrow(SplitError);
    const bad = JSON.stringify({ format: 'pedseg-splits/1', kind: 'single', folds: [{ index: 0, train: ['a', 'b'], validation: ['c'], test: ['a'] }] });
    expect(() => parseSplits(bad)).toThrow(/'a' is in both train and test/);
  });
});
