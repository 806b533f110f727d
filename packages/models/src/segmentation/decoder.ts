import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DomainSpecificHeads } from '@pedseg/core';
import { attentionGate, concat, doubleConv, layer, upConv, type BlockContext } from './blocks.js';

/** @internal What a decoder produces. */
export interface DecoderResult {
  /** Features at the finest scale. */
  readonly output: SymbolicTensor;
  /** Decoder feature maps, coarse to fine (one per skip). */
  readonly embeddings: SymbolicTensor[];
  /** Attention maps α, coarse to fine (empty without attention). */
  readonly attention: SymbolicTensor[];
}

/**
 * @internal Symmetric UNet decoder: for each skip, coarse to fine, an up-convolution to the skip's width,
 * an optional attention gate on the skip (gated by the up-sampled features), concatenation and a double
 * convolution.
 *
 * @param skips - encoder features, fine to coarse (`skips[l]` at level l).
 * @param widths - decoder width per level (`widths[l]` for level l).
 */
export function buildDecoder(
  ctx: BlockContext,
  bottleneck: SymbolicTensor,
  skips: SymbolicTensor[],
  widths: readonly number[],
  attention: boolean,
  prefix: string,
): DecoderResult {
  let x = bottleneck;
  const embeddings: SymbolicTensor[] = [];
  const maps: SymbolicTensor[] = [];
  for (let l = skips.length - 1; l >= 0; l--) {
    const w = widths[l] as number;
    const up = upConv(ctx, x, w, `${prefix}dec${l}_up`);
    let skip = skips[l] as SymbolicTensor;
    if (attention) {
      const skipChannels = skip.shape[skip.shape.length - 1] as number;
      const [gated, alpha] = attentionGate(ctx, skip, up, Math.max(1, Math.floor(skipChannels / 2)), `${prefix}dec${l}_att`);
      skip = gated;
      maps.push(alpha);
    }
    x = doubleConv(ctx, concat(ctx, [skip, up], `${prefix}dec${l}_concat`), w, `${prefix}dec${l}`);
    embeddings.push(x);
  }
  return { output: x, embeddings, attention: maps };
}

/** @internal How the last features become probabilities. */
export type HeadKind =
  | { readonly kind: 'softmax'; readonly channels: number }
  | { readonly kind: 'sigmoid'; readonly channels: number }
  | { readonly kind: 'domains'; readonly classCounts: number[] };

/** @internal 1×1 convolution + softmax / sigmoid, or the domain-specific heads. */
export function buildHead(ctx: BlockContext, x: SymbolicTensor, head: HeadKind, name: string): SymbolicTensor {
  if (head.kind === 'domains') {
    if (!ctx.domain) throw new Error('internal: domain-specific heads need the domain input');
    const heads = layer(ctx, name, () => new DomainSpecificHeads({ name, classCounts: head.classCounts }));
    return heads.apply([x, ctx.domain]) as SymbolicTensor;
  }
  const args = { filters: head.channels, kernelSize: 1, activation: head.kind, name };
  return layer(ctx, name, () => (ctx.dims === 2 ? tfl.layers.conv2d(args) : tfl.layers.conv3d(args))).apply(x) as SymbolicTensor;
}
