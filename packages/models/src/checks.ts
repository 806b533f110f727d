import { ModelConfigError } from './errors.js';

/** @internal Throws a {@link ModelConfigError} unless `value` is an integer ≥ `min`. */
export function checkInt(value: unknown, name: string, where: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ModelConfigError(`${where}: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** @internal Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], name: string, where: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ModelConfigError(`${where}: ${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** @internal Checks an input size `[H, W]` (or `[D, H, W]`) divisible by `2^levels`. */
export function checkInputSize(size: unknown, levels: number, where: string, dims = 2): number[] {
  if (!Array.isArray(size) || size.length !== dims) {
    throw new ModelConfigError(`${where}: inputSize must be ${dims} positive integers, got ${JSON.stringify(size)}`);
  }
  const factor = 2 ** levels;
  return size.map((n, i) => {
    checkInt(n, `inputSize[${i}]`, where);
    if ((n as number) % factor !== 0) {
      throw new ModelConfigError(
        `${where}: inputSize[${i}] = ${String(n)} must be divisible by 2^${levels} = ${factor} (one halving per level)`,
      );
    }
    return n as number;
  });
}

/** @internal Channel widths per level: explicit `widths` (length `levels + 1`) or `filters · 2^l`. */
export function resolveWidths(widths: unknown, filters: unknown, levels: number, where: string): number[] {
  if (widths !== undefined) {
    if (!Array.isArray(widths) || widths.length !== levels + 1) {
      throw new ModelConfigError(`${where}: widths must hold depth + 1 = ${levels + 1} integers, got ${JSON.stringify(widths)}`);
    }
    return widths.map((w, i) => checkInt(w, `widths[${i}]`, where));
  }
  const base = checkInt(filters, 'filters', where);
  return Array.from({ length: levels + 1 }, (_, l) => base * 2 ** l);
}
