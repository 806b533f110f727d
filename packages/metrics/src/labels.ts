import { InvalidMetricOptionError } from './errors.js';
import type { LabelSelector } from './types.js';

/**
 * The key under which a structure's scores are reported: `"3"` for label 3, `"1+2+3"` for the union
 * of labels 1, 2 and 3 (members sorted ascending, duplicates dropped).
 *
 * @param selector - A label or a set of labels.
 * @returns The report key.
 */
export function labelKey(selector: LabelSelector): string {
  return labelMembers(selector).join('+');
}

/**
 * Validated, sorted, de-duplicated label values of a selector.
 *
 * @throws InvalidMetricOptionError when a value is 0 (background), not finite, or the set is empty.
 */
export function labelMembers(selector: LabelSelector): number[] {
  const values = typeof selector === 'number' ? [selector] : [...selector];
  if (values.length === 0) throw new InvalidMetricOptionError('labels: a label set is empty');
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) {
      throw new InvalidMetricOptionError(`labels: ${String(v)} is not a label (labels are finite, non-zero numbers; 0 is background)`);
    }
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/** A membership test specialised for the common single-label case (a closure over `===` is much faster than a Set). */
export function memberTest(members: readonly number[]): (value: number) => boolean {
  if (members.length === 1) {
    const only = members[0] as number;
    return (value) => value === only;
  }
  const set = new Set(members);
  return (value) => set.has(value);
}
