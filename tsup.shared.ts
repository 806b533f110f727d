import type { Options } from 'tsup';

/**
 * Build settings shared by every package: ESM + CJS + declarations, Node 20 target,
 * dependencies left external (tsup externalizes dependencies and peers by default).
 */
export function pedsegTsup(entry: string[]): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    shims: true,
    outDir: 'dist',
  };
}
