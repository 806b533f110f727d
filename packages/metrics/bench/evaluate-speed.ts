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
  /** CPU seconds (user + system) of the child process per run, when /usr/bin/time is there: steadier than wall time on a busy machine. */
  readonly medianCpuSeconds?: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
}

function summarize(runs: number[], cpu: number[] = []): Timing {
  const base = { medianSeconds: round(median(runs)), minSeconds: round(Math.min(...runs)), runs: runs.map(round) };
  return cpu.length === runs.length && cpu.length > 0 ? { ...base, medianCpuSeconds: round(median(cpu)) } : base;
}

const TIME = '/usr/bin/time';
const CPU_MARK = 'pedseg-bench-cpu';

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv, times: number): { timing: Timing; stdout: string } | { error: string } {
  const runs: number[] = [];
  const cpu: number[] = [];
  let stdout = '';
  // /usr/bin/time adds a fork+exec (about a millisecond) and reports the child's CPU time.
  const wrap = existsSync(TIME);
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    const r = wrap
      ? spawnSync(TIME, ['-f', `${CPU_MARK} %U %S`, command, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      : spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0) return { error: `${command} ${args.join(' ')} exited with ${r.status}: ${(r.stderr ?? '').slice(-500)}` };
    runs.push(seconds);
    const mark = (r.stderr ?? '').split('\n').find((line) => line.startsWith(CPU_MARK));
    if (mark !== undefined) {
      const [, user, system] = mark.split(' ');
      cpu.push(Number(user) + Number(system));
    }
    stdout = r.stdout;
  }
  return { timing: summarize(runs, cpu), stdout };
}

async function inProcess(reference: string, prediction: string): Promise<Record<string, Timing>> {
  const wall: Record<string, number[]> = { readBoth: [], evaluateVoxel: [], evaluateElement: [] };
  const cpu: Record<string, number[]> = { readBoth: [], evaluateVoxel: [], evaluateElement: [] };
  const measure = async (name: string, record: boolean, run: () => unknown): Promise<unknown> => {
    const t = performance.now();
    const c = process.cpuUsage();
    const result = await run();
    const used = process.cpuUsage(c);
    if (record) {
      wall[name]!.push((performance.now() - t) / 1000);
      cpu[name]!.push((used.user + used.system) / 1e6);
    }
    return result;
  };
  // One unrecorded round first, so that the figures are of optimised code.
  for (let i = -1; i < repeats; i++) {
    const [r, p] = (await measure('readBoth', i >= 0, () => Promise.all([readNifti(reference), readNifti(prediction)]))) as Awaited<ReturnType<typeof readNifti>>[];
    await measure('evaluateVoxel', i >= 0, () => evaluateSegmentation(r!, p!, { labels: [1], surface: 'voxel' }));
    await measure('evaluateElement', i >= 0, () => evaluateSegmentation(r!, p!, { labels: [1], surface: 'element' }));
  }
  return Object.fromEntries(Object.keys(wall).map((k) => [k, summarize(wall[k]!, cpu[k]!)]));
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
    for (const surface of scale === 1 ? (['voxel', 'element'] as const) : (['voxel'] as const)) {
      const r = timeProcess(process.execPath, [cliMain, 'evaluate', '--reference', c.reference, '--prediction', c.prediction, '--labels', '1', '--surface', surface], process.env, repeats);
      if ('error' in r) throw new Error(r.error);
      cli[surface] = r.timing;
      outputs = { ...outputs, [surface]: JSON.parse(r.stdout).labels['1'] };
    }
    sizes[`x${scale}`] = { shape: c.shape, spacing: c.spacing, voxels: c.shape[0]! * c.shape[1]! * c.shape[2]!, wholeProcess: cli, inProcess: await inProcess(c.reference, c.prediction), scores: outputs };
  }
  const base = cases[0]!;
  const surfaceDistance = python('surface_distance_timing.py', 'SURFACE_DISTANCE_PATH', base.reference, base.prediction);
  const medpy = python('medpy_timing.py', 'MEDPY_PATH', base.reference, base.prediction);
  const x1 = sizes.x1 as { wholeProcess: Record<string, Timing>; inProcess: Record<string, Timing> };
  const x2 = sizes.x2 as { inProcess: Record<string, Timing> };
  const ratio = (tool: Record<string, unknown>, ours: Timing): { wall: number; cpu: number | null } | null => {
    const theirs = tool.wholeProcess as Timing | undefined;
    if (theirs === undefined) return null;
    const cpu = theirs.medianCpuSeconds !== undefined && ours.medianCpuSeconds !== undefined ? round(theirs.medianCpuSeconds / ours.medianCpuSeconds) : null;
    return { wall: round(theirs.medianSeconds / ours.medianSeconds), cpu };
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
        surfaceDistanceOverPedsegElement: ratio(surfaceDistance, x1.wholeProcess.element!),
        medpyOverPedsegVoxel: ratio(medpy, x1.wholeProcess.voxel!),
      },
      growth: {
        voxelsRatio: 2,
        evaluateVoxelRatio: round(x2.inProcess.evaluateVoxel!.medianSeconds / x1.inProcess.evaluateVoxel!.medianSeconds),
        evaluateVoxelCpuRatio: round(x2.inProcess.evaluateVoxel!.medianCpuSeconds! / x1.inProcess.evaluateVoxel!.medianCpuSeconds!),
        evaluateElementRatio: round(x2.inProcess.evaluateElement!.medianSeconds / x1.inProcess.evaluateElement!.medianSeconds),
        evaluateElementCpuRatio: round(x2.inProcess.evaluateElement!.medianCpuSeconds! / x1.inProcess.evaluateElement!.medianCpuSeconds!),
        readRatio: round(x2.inProcess.readBoth!.medianSeconds / x1.inProcess.readBoth!.medianSeconds),
      },
    })}\n`,
  );
}

await main();
