/**
 * Benchmark of `pedseg postprocess --largest --closing-radius R` against scipy.ndimage, both timed as
 * whole processes including NIfTI I/O, on a 160×256×256 two-bone label map (spacing 0.8×0.3×0.3 mm).
 *
 * Run from the repository root after building (the CLI runs from dist):
 *   pnpm --filter @pedseg/volume --filter @pedseg/postprocess --filter @pedseg/cli build
 *   pnpm exec tsx --conditions=@pedseg/source packages/postprocess/bench/run.ts [--repeat 3] [--radii 2,5]
 * Prints one JSON line: median wall-clock seconds per radius for both, their ratio, the median CPU
 * seconds (user + system, via GNU time when present) and the number of voxels on which the two outputs
 * differ (0 expected).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNifti, writeNifti } from '@pedseg/volume';
import { twoBoneVolume } from './two-bones.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../../..');
const cli = join(root, 'packages/cli/dist/main.js');
const python = join(here, 'scipy_postprocess.py');

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

// GNU time adds the CPU seconds (user + system) of the child, a figure that other load on the machine
// disturbs much less than wall-clock time.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function timeProcess(command: string, args: string[]): { wall: number; cpu: number | null } {
  const start = performance.now();
  const result =
    gnuTime === null
      ? spawnSync(command, args, { encoding: 'utf8' })
      : spawnSync(gnuTime, ['-f', 'cpu %U %S', command, ...args], { encoding: 'utf8' });
  const wall = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const match = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return { wall, cpu: match === null ? null : Number(match[1]) + Number(match[2]) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the CLI first (see the header of this script)`);
  const repeat = Number(option('repeat', '3'));
  const radii = option('radii', '2,5').split(',').map(Number);
  const dir = join(tmpdir(), 'pedseg-postprocess-bench');
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'two-bones.nii.gz');
  const volume = twoBoneVolume();
  await writeNifti(input, volume);
  const results = [];
  for (const radius of radii) {
    const jsOut = join(dir, `pedseg-r${radius}.nii.gz`);
    const pyOut = join(dir, `scipy-r${radius}.nii.gz`);
    const js: number[] = [];
    const py: number[] = [];
    const jsCpu: number[] = [];
    const pyCpu: number[] = [];
    for (let k = 0; k < repeat; k++) {
      const a = timeProcess(process.execPath, [cli, 'postprocess', '--input', input, '--output', jsOut, '--largest', '--closing-radius', String(radius)]);
      const b = timeProcess('python3', [python, input, pyOut, String(radius)]);
      js.push(a.wall);
      py.push(b.wall);
      if (a.cpu !== null && b.cpu !== null) {
        jsCpu.push(a.cpu);
        pyCpu.push(b.cpu);
      }
    }
    const a = (await readNifti(jsOut)).data;
    const b = (await readNifti(pyOut)).data;
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differing++;
    const pedseg = median(js);
    const scipy = median(py);
    const cpu =
      jsCpu.length === 0
        ? {}
        : { pedsegCpuSeconds: +median(jsCpu).toFixed(3), scipyCpuSeconds: +median(pyCpu).toFixed(3), cpuSpeedup: +(median(pyCpu) / median(jsCpu)).toFixed(2) };
    results.push({
      radius,
      pedsegSeconds: +pedseg.toFixed(3),
      scipySeconds: +scipy.toFixed(3),
      speedup: +(scipy / pedseg).toFixed(2),
      ...cpu,
      differingVoxels: differing,
      pedsegRuns: js.map((t) => +t.toFixed(3)),
      scipyRuns: py.map((t) => +t.toFixed(3)),
    });
  }
  let foreground = 0;
  for (const v of volume.data) if (v !== 0) foreground++;
  console.log(
    JSON.stringify({
      benchmark: 'postprocess: largest component per label + ball closing, whole process with NIfTI I/O',
      shape: volume.shape,
      spacing: volume.spacing,
      foregroundVoxels: foreground,
      node: process.version,
      repeat,
      results,
    }),
  );
}

await main();
