// Evaluation speed benchmark. Prints one JSON line; never asserts timings.
//
//   pnpm --filter @pedseg/cli build     # the whole-process timing runs the built CLI
//   SURFACE_DISTANCE_PATH=/path/to/surface-distance MEDPY_PATH=/path/to/medpy \
//     pnpm exec tsx --conditions=@pedseg/source packages/metrics/bench/evaluate-speed.ts
//
// Case: two anisotropic ellipsoids in a 160×256×256 grid, spacing 0.8×0.3×0.3 mm (make-case.ts), and the
// same shapes on a grid with twice the x samples to show linear growth. Whole processes are timed
// (process start, NIfTI reading, metrics): `pedseg evaluate` for the full metric set of label 1, and
// python scripts running google-deepmind/surface-distance (HD, HD95, average surface distance) and
// medpy (hd, hd95, assd) on the same files. Those two are not installable here: point the environment
// variables at source checkouts kept outside this repository; each is skipped with a message if unset.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateSegmentation } from '@pedseg/metrics';
import { readNifti } from '@pedseg/volume';
import { makeCase } from './make-case.js';

const here = dirname(fileURLToPath(import.meta.url));
const cliMain = join(here, '../../cli/dist/main.js');
const repeats = Number(process.env.BENCH_REPEATS ?? 5);
const benchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'pedseg-bench');

interface Timing {
  readonly medianSeconds: number;
  readonly minSeconds: number;
  readonly runs: number[];
}

function summarize(runs: number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return { medianSeconds: round(median), minSeconds: round(sorted[0]!), runs: runs.map(round) };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv, times: number): { timing: Timing; stdout: string } | { error: string } {
  const runs: number[] = [];
  let stdout = '';
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) return { error: `${command} ${args.join(' ')} exited with ${r.status}: ${(r.stderr ?? '').slice(-500)}` };
    runs.push(seconds);
    stdout = r.stdout;
  }
  return { timing: summarize(runs), stdout };
}

async function inProcess(reference: string, prediction: string): Promise<Record<string, Timing>> {
  const read: number[] = [];
  const voxel: number[] = [];
  const element: number[] = [];
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    const [r, p] = await Promise.all([readNifti(reference), readNifti(prediction)]);
    read.push((performance.now() - t) / 1000);
    t = performance.now();
    evaluateSegmentation(r, p, { labels: [1], surface: 'voxel' });
    voxel.push((performance.now() - t) / 1000);
    t = performance.now();
    evaluateSegmentation(r, p, { labels: [1], surface: 'element' });
    element.push((performance.now() - t) / 1000);
  }
  return { readBoth: summarize(read), evaluateVoxel: summarize(voxel), evaluateElement: summarize(element) };
}

function python(script: string, envName: string, reference: string, prediction: string): Record<string, unknown> {
  const path = process.env[envName];
  if (path === undefined || path === '' || !existsSync(path)) {
    return { skipped: `set ${envName} to a source checkout of the library (kept outside this repository) to time it` };
  }
  const env = { ...process.env, PYTHONPATH: [path, here, process.env.PYTHONPATH].filter(Boolean).join(':') };
  const r = timeProcess('python3', [join(here, script), reference, prediction, '1'], env, Math.max(3, Math.ceil(repeats / 2)));
  if ('error' in r) return { error: r.error };
  return { wholeProcess: r.timing, output: JSON.parse(r.stdout.trim().split('\n').pop()!) };
}

async function main(): Promise<void> {
  if (!existsSync(cliMain)) {
    process.stderr.write(`evaluate-speed: ${cliMain} is missing; run \`pnpm --filter @pedseg/cli build\` first\n`);
    process.exitCode = 1;
    return;
  }
  const sizes: Record<string, unknown> = {};
  const cases = [];
  for (const scale of [1, 2]) {
    const dir = join(benchDir, `x${scale}`);
    const c = existsSync(join(dir, 'pred.nii.gz'))
      ? { reference: join(dir, 'ref.nii.gz'), prediction: join(dir, 'pred.nii.gz'), shape: [160 * scale, 256, 256], spacing: [0.8 / scale, 0.3, 0.3] }
      : await makeCase(dir, scale);
    cases.push(c);
    const cli: Record<string, unknown> = {};
    let outputs: Record<string, unknown> = {};
    // Default: two threads (one per surface-distance direction); `--jobs 1`: everything on one thread.
    const variants = scale === 1 ? (['voxel', 'element'] as const).flatMap((surface) => [[surface, []], [surface, ['--jobs', '1']]] as const) : ([['voxel', []]] as const);
    for (const [surface, extra] of variants) {
      const r = timeProcess(process.execPath, [cliMain, 'evaluate', '--reference', c.reference, '--prediction', c.prediction, '--labels', '1', '--surface', surface, ...extra], process.env, repeats);
      if ('error' in r) throw new Error(r.error);
      cli[extra.length === 0 ? surface : `${surface}, ${extra.join(' ')}`] = r.timing;
      outputs = { ...outputs, [surface]: JSON.parse(r.stdout).labels['1'] };
    }
    sizes[`x${scale}`] = { shape: c.shape, spacing: c.spacing, voxels: c.shape[0]! * c.shape[1]! * c.shape[2]!, wholeProcess: cli, inProcess: await inProcess(c.reference, c.prediction), scores: outputs };
  }
  const base = cases[0]!;
  const surfaceDistance = python('surface_distance_timing.py', 'SURFACE_DISTANCE_PATH', base.reference, base.prediction);
  const medpy = python('medpy_timing.py', 'MEDPY_PATH', base.reference, base.prediction);
  const x1 = sizes.x1 as { wholeProcess: Record<string, Timing>; inProcess: Record<string, Timing> };
  const x2 = sizes.x2 as { inProcess: Record<string, Timing> };
  const ratio = (tool: Record<string, unknown>, ours: Timing): number | null => {
    const t = (tool.wholeProcess as Timing | undefined)?.medianSeconds;
    return t === undefined ? null : round(t / ours.medianSeconds);
  };
  process.stdout.write(
    `${JSON.stringify({
      benchmark: 'pedseg evaluate, full metric set of one label',
      machine: { cpus: cpus().length, loadAverage: loadavg().map(round), node: process.version },
      sizes,
      surfaceDistance,
      medpy,
      speedup: {
        surfaceDistanceOverPedsegVoxel: ratio(surfaceDistance, x1.wholeProcess.voxel!),
        surfaceDistanceOverPedsegVoxelOneThread: ratio(surfaceDistance, x1.wholeProcess['voxel, --jobs 1']!),
        surfaceDistanceOverPedsegElement: ratio(surfaceDistance, x1.wholeProcess.element!),
        surfaceDistanceOverPedsegElementOneThread: ratio(surfaceDistance, x1.wholeProcess['element, --jobs 1']!),
        medpyOverPedsegVoxel: ratio(medpy, x1.wholeProcess.voxel!),
        medpyOverPedsegVoxelOneThread: ratio(medpy, x1.wholeProcess['voxel, --jobs 1']!),
      },
      growth: {
        voxelsRatio: 2,
        evaluateVoxelRatio: round(x2.inProcess.evaluateVoxel!.medianSeconds / x1.inProcess.evaluateVoxel!.medianSeconds),
        evaluateElementRatio: round(x2.inProcess.evaluateElement!.medianSeconds / x1.inProcess.evaluateElement!.medianSeconds),
        readRatio: round(x2.inProcess.readBoth!.medianSeconds / x1.inProcess.readBoth!.medianSeconds),
      },
    })}\n`,
  );
}

await main();
