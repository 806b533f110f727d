import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { NiftiFormatError, parseNifti, parseNiftiHeader, writeNifti } from '@pedseg/volume';
import type { Volume } from '@pedseg/volume';
import {
  ballClosing,
  fillHoles,
  inventoryLabels,
  keepLargestComponentPerLabel,
  keepLargestComponents,
  removeSmallComponents,
} from '@pedseg/postprocess';
import type { PostprocessPlan } from './options.js';

/** What `pedseg postprocess` reports on stdout (one JSON line). */
export interface PostprocessSummary {
  readonly input: string;
  readonly output: string;
  readonly shape: readonly number[];
  readonly spacing: readonly number[];
  readonly datatype: string;
  readonly labelsIn: readonly number[];
  readonly labelsOut: readonly number[];
  readonly steps: readonly string[];
  readonly changedVoxels: number;
  readonly seconds: number;
}

/** Sorted non-zero values of a label map (already validated). */
function labelsPresent(data: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  let last = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v !== last && v !== 0) seen.add(v);
    last = v;
  }
  return [...seen].sort((a, b) => a - b);
}

/** Applies the plan's steps in their fixed order. */
export function applyPlan(volume: Volume, plan: PostprocessPlan): { volume: Volume; steps: string[] } {
  const steps: string[] = [];
  const { connectivity } = plan;
  let v = volume;
  if (plan.keep !== null) {
    v = keepLargestComponents(v, plan.keep, { connectivity });
    steps.push(`keep ${plan.keep} largest components of the foreground`);
  }
  if (plan.largest) {
    v = keepLargestComponentPerLabel(v, { connectivity });
    steps.push('largest component per label');
  }
  if (plan.minSize !== null) {
    v = removeSmallComponents(v, { minSize: plan.minSize.value, unit: plan.minSize.unit, connectivity });
    steps.push(`remove components < ${plan.minSize.value} ${plan.minSize.unit}`);
  }
  if (plan.closingRadius !== null && plan.closingRadius > 0) {
    v = ballClosing(v, { radius: plan.closingRadius, unit: plan.radiusUnit });
    steps.push(`ball closing r = ${plan.closingRadius} ${plan.radiusUnit}`);
  }
  if (plan.fillHoles) {
    v = fillHoles(v);
    steps.push('fill holes');
  }
  return { volume: v, steps };
}

/** Reads the input, post-processes it and writes the output atomically with the input's datatype. */
export async function runPostprocess(plan: PostprocessPlan): Promise<PostprocessSummary> {
  const start = performance.now();
  let bytes: Uint8Array;
  try {
    bytes = await readFile(plan.input);
  } catch (error) {
    throw new NiftiFormatError(plan.input, `cannot read file (${(error as Error).message})`);
  }
  // Inflate once and hand the raw bytes to both parsers.
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new NiftiFormatError(plan.input, `corrupt or truncated gzip stream (${(error as Error).message})`);
    }
  }
  const header = parseNiftiHeader(bytes, plan.input);
  const input = parseNifti(bytes, plan.input);
  const labelsIn = inventoryLabels(input, plan.input).labels;
  const { volume, steps } = applyPlan(input, plan);
  await writeNifti(plan.output, volume, {
    datatype: header.datatype,
    sformCode: header.sformCode,
    qformCode: header.qformCode,
    description: header.description,
  });
  let changed = 0;
  for (let i = 0; i < volume.data.length; i++) if (volume.data[i] !== input.data[i]) changed++;
  return {
    input: plan.input,
    output: plan.output,
    shape: input.shape,
    spacing: input.spacing,
    datatype: header.datatype,
    labelsIn,
    labelsOut: labelsPresent(volume.data),
    steps,
    changedVoxels: changed,
    seconds: (performance.now() - start) / 1000,
  };
}
