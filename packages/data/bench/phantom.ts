/**
 * Phantom generation time per domain at the small test size and at full size (the papers'
 * acquisition spacing, in-plane 256–512). Prints one JSON line.
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/data/bench/phantom.ts [--no-full]
 */
import { PHANTOM_DOMAINS, generatePhantom } from '@pedseg/data';

const full = !process.argv.includes('--no-full');
const results: Record<string, unknown>[] = [];
for (const domain of PHANTOM_DOMAINS) {
  for (const size of full ? (['small', 'full'] as const) : (['small'] as const)) {
    const t0 = performance.now();
    const p = generatePhantom(domain, { seed: 1, caseIndex: 0, size, landmarksPerBone: 64 });
    const ms = performance.now() - t0;
    const voxels = p.image.data.length;
    results.push({
      domain,
      size,
      shape: p.image.shape,
      spacing: p.image.spacing.map((s) => +s.toFixed(3)),
      ms: Math.round(ms),
      nsPerVoxel: +((ms * 1e6) / voxels).toFixed(1),
      megabytes: Math.round((voxels * 5) / 1e6),
    });
  }
}
console.log(JSON.stringify({ bench: 'phantom', results }));
