import type { Phantom } from '@pedseg/data';
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
 * Gives each component kept by the `global` strategy the bone label it overlaps most in the reference:
 * a global network only says "bone", so naming its C components is needed before per-bone scoring.
 */
function nameGlobalComponents(mask: Volume, reference: Volume, bones: number): Volume<Uint8Array> {
  const ranked = keepLargestComponents(mask, bones, { relabel: 'rank' });
  const votes = Array.from({ length: bones + 1 }, () => new Float64Array(bones + 1));
  for (let i = 0; i < ranked.data.length; i += 1) {
    const r = ranked.data[i] as number;
    if (r > 0) (votes[r] as Float64Array)[reference.data[i] as number] += 1;
  }
  const name = votes.map((v) => {
    let best = 0;
    for (let l = 1; l <= bones; l += 1) if ((v[l] as number) > (v[best] as number) || best === 0) best = (v[l] as number) > 0 ? l : best;
    return best;
  });
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
  test: Phantom,
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
