import { DataArgumentError, SplitError } from '../errors.js';
import { Rng } from '../random.js';

/** One fold of a single-domain split: disjoint case lists. */
export interface Fold {
  /** Fold number (0-based). */
  readonly index: number;
  /** Training cases. */
  readonly train: readonly string[];
  /** Validation cases (model selection). */
  readonly validation: readonly string[];
  /** Test cases. */
  readonly test: readonly string[];
}

/** One fold of the lock-step multi-domain split: a {@link Fold} per domain. */
export interface LockStepFold {
  /** Fold number (0-based). */
  readonly index: number;
  /** The fold of each domain, by domain name. */
  readonly domains: Readonly<Record<string, Fold>>;
}

/** Options of the split functions. */
export interface SplitOptions {
  /** When given, cases are shuffled with this seed first; otherwise the given order is kept. */
  readonly seed?: number;
}

function checkIds(ids: readonly string[], where: string, min: number): void {
  if (ids.length < min) throw new DataArgumentError(`${where}: need at least ${min} cases, got ${ids.length}`);
  const seen = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0) throw new DataArgumentError(`${where}: case ids must be non-empty strings`);
    if (seen.has(id)) throw new DataArgumentError(`${where}: duplicate case id '${id}'`);
    seen.add(id);
  }
}

function order(ids: readonly string[], options: SplitOptions, key: string): string[] {
  return options.seed === undefined ? ids.slice() : new Rng(options.seed).fork(key).shuffle(ids);
}

/**
 * Leave-one-out over one domain, as in the papers: fold i tests case i, validates on case i + 1
 * (cyclically) and trains on all others — n folds for n cases, each case tested exactly once.
 *
 * @throws {@link DataArgumentError} for fewer than 3 cases or duplicate ids.
 */
export function leaveOneOutSplits(caseIds: readonly string[], options: SplitOptions = {}): Fold[] {
  checkIds(caseIds, 'leaveOneOutSplits', 3);
  const ids = order(caseIds, options, 'loo');
  const n = ids.length;
  return ids.map((test, i) => {
    const validation = ids[(i + 1) % n]!;
    return { index: i, test: [test], validation: [validation], train: ids.filter((id) => id !== test && id !== validation) };
  });
}

/**
 * The multi-task paper's lock-step leave-one-out: the domains are iterated simultaneously, fold i
 * testing case i of every domain (A_i, K_i, S_i) and validating on case i + 1 of each; the smallest
 * domain defines the number of folds, so the extra cases of larger domains are never tested.
 *
 * @param domains - case ids per domain name.
 * @throws {@link DataArgumentError} for no domain, a domain with fewer than 3 cases or duplicate ids.
 */
export function lockStepLeaveOneOut(domains: Readonly<Record<string, readonly string[]>>, options: SplitOptions = {}): LockStepFold[] {
  const names = Object.keys(domains);
  if (names.length === 0) throw new DataArgumentError('lockStepLeaveOneOut: need at least one domain');
  const ordered: Record<string, string[]> = {};
  for (const name of names) {
    checkIds(domains[name]!, `lockStepLeaveOneOut (domain ${name})`, 3);
    ordered[name] = order(domains[name]!, options, `lockstep-${name}`);
  }
  const folds = Math.min(...names.map((n) => ordered[n]!.length));
  return Array.from({ length: folds }, (_, i) => {
    const perDomain: Record<string, Fold> = {};
    for (const name of names) {
      const ids = ordered[name]!;
      const test = ids[i]!;
      const validation = ids[(i + 1) % ids.length]!;
      perDomain[name] = { index: i, test: [test], validation: [validation], train: ids.filter((id) => id !== test && id !== validation) };
    }
    return { index: i, domains: perDomain };
  });
}

/**
 * k-fold cross-validation: the cases are dealt into k near-equal chunks; fold i tests chunk i,
 * validates on the first `validationCount` cases of chunk i + 1 (cyclically) and trains on the rest.
 *
 * @throws {@link DataArgumentError} when k < 2, k > number of cases, or the validation count is too large.
 */
export function kFoldSplits(caseIds: readonly string[], k: number, options: SplitOptions & { readonly validationCount?: number } = {}): Fold[] {
  checkIds(caseIds, 'kFoldSplits', 2);
  if (!Number.isInteger(k) || k < 2 || k > caseIds.length) throw new DataArgumentError(`k must be an integer in [2, ${caseIds.length}], got ${k}`);
  const v = options.validationCount ?? 1;
  const ids = order(caseIds, options, 'kfold');
  const chunks: string[][] = Array.from({ length: k }, () => []);
  ids.forEach((id, n) => chunks[n % k]!.push(id));
  if (!Number.isInteger(v) || v < 0 || v > Math.min(...chunks.map((c) => c.length))) {
    throw new DataArgumentError(`validationCount must be an integer in [0, ${Math.min(...chunks.map((c) => c.length))}], got ${v}`);
  }
  return chunks.map((test, i) => {
    const validation = chunks[(i + 1) % k]!.slice(0, v);
    const used = new Set([...test, ...validation]);
    return { index: i, test: test.slice(), validation, train: ids.filter((id) => !used.has(id)) };
  });
}

/** Serialized form of a split plan (JSON-safe). */
export interface SplitPlan {
  /** Format tag. */
  readonly format: 'pedseg-splits/1';
  /** `'single'` for {@link Fold} lists, `'lockstep'` for {@link LockStepFold} lists. */
  readonly kind: 'single' | 'lockstep';
  /** The folds. */
  readonly folds: readonly Fold[] | readonly LockStepFold[];
}

/** Serializes folds to a JSON string (stable key order). */
export function serializeSplits(folds: readonly Fold[] | readonly LockStepFold[]): string {
  const kind = folds.length > 0 && 'domains' in folds[0]! ? 'lockstep' : 'single';
  const plan: SplitPlan = { format: 'pedseg-splits/1', kind, folds };
  return JSON.stringify(plan, null, 2);
}

function parseFold(value: unknown, where: string): Fold {
  const f = value as Partial<Record<keyof Fold, unknown>> | null;
  if (f === null || typeof f !== 'object' || !Number.isInteger(f.index)) throw new SplitError(`${where}: not a fold object`);
  const list = (key: 'train' | 'validation' | 'test'): string[] => {
    const v = f[key];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new SplitError(`${where}: '${key}' must be a list of case ids`);
    return v as string[];
  };
  const fold: Fold = { index: f.index as number, train: list('train'), validation: list('validation'), test: list('test') };
  checkFold(fold, where);
  return fold;
}

/** Throws {@link SplitError} when a case appears twice in a fold (disjointness). */
export function checkFold(fold: Fold, where = `fold ${fold.index}`): void {
  const seen = new Map<string, string>();
  for (const key of ['train', 'validation', 'test'] as const) {
    for (const id of fold[key]) {
      const prev = seen.get(id);
      if (prev !== undefined) throw new SplitError(`${where}: case '${id}' is in both ${prev} and ${key}`);
      seen.set(id, key);
    }
  }
}

/**
 * Parses and validates a plan written by {@link serializeSplits}.
 *
 * @throws {@link SplitError} for malformed JSON, an unknown format or overlapping subsets.
 */
export function parseSplits(json: string): Fold[] | LockStepFold[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new SplitError(`split plan is not valid JSON: ${(error as Error).message}`);
  }
  const plan = raw as Partial<SplitPlan> | null;
  if (plan === null || typeof plan !== 'object' || plan.format !== 'pedseg-splits/1' || !Array.isArray(plan.folds)) {
    throw new SplitError("split plan must be an object with format 'pedseg-splits/1' and a 'folds' list");
  }
  if (plan.kind === 'single') return (plan.folds as unknown[]).map((f, i) => parseFold(f, `fold ${i}`));
  if (plan.kind === 'lockstep') {
    return (plan.folds as unknown[]).map((f, i) => {
      const lf = f as Partial<LockStepFold> | null;
      if (lf === null || typeof lf !== 'object' || typeof lf.domains !== 'object' || lf.domains === null) {
        throw new SplitError(`fold ${i}: not a lock-step fold object`);
      }
      const domains: Record<string, Fold> = {};
      for (const [name, fold] of Object.entries(lf.domains)) domains[name] = parseFold(fold, `fold ${i}, domain ${name}`);
      return { index: typeof lf.index === 'number' ? lf.index : i, domains };
    });
  }
  throw new SplitError(`split plan kind must be 'single' or 'lockstep', got ${String(plan.kind)}`);
}
