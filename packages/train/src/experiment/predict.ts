import type { ProbabilityVolume } from '@pedseg/models';
import { keepLargestComponents, postprocessSegmentation } from '@pedseg/postprocess';
import { createVolume } from '@pedseg/volume';
import type { Volume } from '@pedseg/volume';
import type { ExperimentStrategy } from './config.js';

/** Most probable channel of every voxel of a channel-major probability stack, among `channels`. */
export function argmaxChannels(probs: ProbabilityVolume, channels: readonly number[]): Uint8Array {
  const size = probs.shape[0] * probs.shape[1] * probs.shape[2];
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) {
    let best = 0;
    let bestValue = -Infinity;
    channels.forEach((ch, c) => {
      const v = probs.data[ch * size + i] as number;
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    });
    out[i] = best;
  }
  return out;
}

/**
 * The raw (not post-processed) label map of a strategy's probabilities: `multi` argmax over every
 * channel; `global` label 1 where the bone probability is ≥ 0.5; `individual` the most confident bone
 * among those ≥ 0.5 (label c + 1), exact ties to the smaller label.
 */
export function labelsFromProbabilities(probs: ProbabilityVolume, strategy: ExperimentStrategy): Uint8Array {
  const all = Array.from({ length: probs.numChannels }, (_, c) => c);
  if (strategy === 'multi') return argmaxChannels(probs, all);
  const size = probs.shape[0] * probs.shape[1] * probs.shape[2];
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) {
    let best = 0;
    let bestValue = 0.5;
    for (const c of all) {
      const v = probs.data[c * size + i] as number;
      if (v > bestValue || (best === 0 && v === bestValue)) {
        bestValue = v;
        best = c + 1;
      }
    }
    out[i] = strategy === 'global' ? (best > 0 ? 1 : 0) : best;
  }
  return out;
}

/**
 * Gives each component kept by the `global` strategy the bone label it overlaps most in the reference:
 * a global network only says "bone", so naming its C components is needed before per-bone scoring. A
 * component touching no bone stays in the prediction (as false positives) under a bone no other
 * component was named after (else bone 1).
 *
 * @param mask - the post-processed global mask (non-zero = bone).
 * @param reference - the reference labels (0..bones).
 */
export function nameGlobalComponents(mask: Volume, reference: Volume, bones: number): Volume<Uint8Array> {
  const ranked = keepLargestComponents(mask, bones, { relabel: 'rank' });
  const votes = Array.from({ length: bones + 1 }, () => new Float64Array(bones + 1));
  for (let i = 0; i < ranked.data.length; i += 1) {
    const r = ranked.data[i] as number;
    if (r > 0) (votes[r] as Float64Array)[reference.data[i] as number] += 1;
  }
  const name = votes.map((v) => {
    let best = 0;
    for (let l = 1; l <= bones; l += 1) if ((v[l] as number) > (best === 0 ? 0 : (v[best] as number))) best = l;
    return best;
  });
  const used = new Set(name.filter((l) => l > 0));
  for (let r = 1; r <= bones; r += 1) {
    if (name[r] !== 0) continue;
    const free = Array.from({ length: bones }, (_, i) => i + 1).find((l) => !used.has(l)) ?? 1;
    name[r] = free;
    used.add(free);
  }
  const out = new Uint8Array(ranked.data.length);
  for (let i = 0; i < out.length; i += 1) {
    const r = ranked.data[i] as number;
    if (r > 0) out[i] = name[r] as number;
  }
  return createVolume(out, mask.shape, { affine: mask.affine });
}

/**
 * The papers' post-processing of a test case's probabilities, per strategy (`@pedseg/postprocess`'
 * pipeline): `multi` argmax, largest component per bone; `global` threshold 0.5, the C largest
 * components (then named after the reference bone each overlaps most); `individual` merge of the C
 * per-bone maps; each then closed with a ball of `closingRadius` voxels.
 */
export function postprocessPrediction(
  probs: ProbabilityVolume,
  test: { readonly image: Volume; readonly label: Volume },
  strategy: ExperimentStrategy,
  bones: number,
  closingRadius: number,
): Volume<Uint8Array> {
  const shape = test.image.shape;
  const affine = test.image.affine;
  if (strategy === 'individual') {
    const maps = Array.from({ length: bones }, (_, c) => probs.channel(c));
    return postprocessSegmentation(maps, { strategy, bones, closingRadius }) as Volume<Uint8Array>;
  }
  if (strategy === 'global') {
    const p = probs.channel(0).data;
    const mask = new Uint8Array(p.length);
    for (let i = 0; i < p.length; i += 1) mask[i] = (p[i] as number) >= 0.5 ? 1 : 0;
    const kept = postprocessSegmentation(createVolume(mask, shape, { affine }), { strategy, bones, closingRadius });
    return nameGlobalComponents(kept, test.label, bones);
  }
  const channels = Array.from({ length: bones + 1 }, (_, c) => c);
  return postprocessSegmentation(createVolume(argmaxChannels(probs, channels), shape, { affine }), { strategy, bones, closingRadius }) as Volume<Uint8Array>;
}
