import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { AttentionGate, MultiDomainAttentionGate, MultiDomainConvBlock } from '@pedseg/core';

/**
 * @internal How a network normalizes: plain batch normalization (`domain` null) or domain-specific batch
 * normalization routed by the symbolic `domain` input. Every block of a network is built through one
 * context, so the single-domain, `shared` and `DSL` variants come from the same definition.
 */
export interface BlockContext {
  /** The symbolic `[batch, 1]` int32 domain input when every normalization is a DSBN, else null. */
  readonly domain: SymbolicTensor | null;
  /** K (1 without DSBN). */
  readonly numDomains: number;
  /** Batch-norm ε. */
  readonly epsilon: number;
  /** Batch-norm momentum (Keras convention). */
  readonly momentum: number;
  /** Spatial dimensionality of the convolutions. */
  readonly dims: 2 | 3;
  /**
   * Layers already created, by name: a block built a second time under the same name reuses them (and
   * their weights), so a decoder can be applied both to a code input and inside the full auto-encoder.
   */
  readonly cache?: Map<string, tfl.layers.Layer>;
  /**
   * Inference graph with batch norm folded: each conv–BN–ReLU becomes one convolution with bias and a
   * fused ReLU (weights filled by `foldBatchNorm`).
   */
  readonly foldBatchNorm?: boolean;
}

/** @internal The cached layer called `name`, created by `make` on first use. */
export function layer<L extends tfl.layers.Layer>(ctx: BlockContext, name: string, make: () => L): L {
  const hit = ctx.cache?.get(name);
  if (hit) return hit as L;
  const created = make();
  ctx.cache?.set(name, created);
  return created;
}

/** @internal conv (no bias) → BN or DSBN → ReLU, 'same' padding. */
export function convBnRelu(
  ctx: BlockContext,
  x: SymbolicTensor,
  filters: number,
  name: string,
  kernelSize = 3,
  strides = 1,
): SymbolicTensor {
  if (ctx.domain) {
    const block = layer(
      ctx,
      name,
      () => new MultiDomainConvBlock({ name, numDomains: ctx.numDomains, filters, kernelSize, strides, epsilon: ctx.epsilon, momentum: ctx.momentum }),
    );
    return block.apply([x, ctx.domain]) as SymbolicTensor;
  }
  if (ctx.foldBatchNorm) {
    const args = { filters, kernelSize, strides, padding: 'same' as const, useBias: true, activation: 'relu' as const, name: `${name}_conv` };
    return layer(ctx, args.name, () => (ctx.dims === 2 ? tfl.layers.conv2d(args) : tfl.layers.conv3d(args))).apply(x) as SymbolicTensor;
  }
  const convArgs = { filters, kernelSize, strides, padding: 'same' as const, useBias: false, name: `${name}_conv` };
  const conv = layer(ctx, convArgs.name, () => (ctx.dims === 2 ? tfl.layers.conv2d(convArgs) : tfl.layers.conv3d(convArgs)));
  const bn = layer(ctx, `${name}_bn`, () => tfl.layers.batchNormalization({ epsilon: ctx.epsilon, momentum: ctx.momentum, name: `${name}_bn` }));
  const relu = layer(ctx, `${name}_relu`, () => tfl.layers.reLU({ name: `${name}_relu` }));
  return relu.apply(bn.apply(conv.apply(x))) as SymbolicTensor;
}

/** @internal The UNet double convolution: two {@link convBnRelu} 3×3 blocks. */
export function doubleConv(ctx: BlockContext, x: SymbolicTensor, filters: number, name: string): SymbolicTensor {
  return convBnRelu(ctx, convBnRelu(ctx, x, filters, `${name}_1`), filters, `${name}_2`);
}

/** @internal Transposed convolution 2×2 stride 2 (UNet "up-conv"), shared across domains. */
export function upConv(ctx: BlockContext, x: SymbolicTensor, filters: number, name: string): SymbolicTensor {
  const args = { filters, kernelSize: 2, strides: 2, padding: 'same' as const, name };
  const up = layer(ctx, name, () => (ctx.dims === 2 ? tfl.layers.conv2dTranspose(args) : tfl.layers.conv3dTranspose(args)));
  return up.apply(x) as SymbolicTensor;
}

/** @internal Max-pooling 2 (×2(×2)). */
export function maxPool(ctx: BlockContext, x: SymbolicTensor, name: string): SymbolicTensor {
  const pool = layer(ctx, name, () =>
    ctx.dims === 2 ? tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name }) : tfl.layers.maxPooling3d({ poolSize: 2, strides: 2, name }),
  );
  return pool.apply(x) as SymbolicTensor;
}

/**
 * @internal Additive attention gate on a skip connection, gated by the upsampled decoder features `g`
 * (same spatial size). Returns the gated skip features and the attention map α `[batch, …, 1]`.
 */
export function attentionGate(
  ctx: BlockContext,
  skip: SymbolicTensor,
  g: SymbolicTensor,
  intermediateChannels: number,
  name: string,
): [SymbolicTensor, SymbolicTensor] {
  const common = { name, intermediateChannels, returnAttention: true, epsilon: ctx.epsilon, momentum: ctx.momentum };
  const out = ctx.domain
    ? new MultiDomainAttentionGate({ ...common, numDomains: ctx.numDomains }).apply([skip, g, ctx.domain])
    : new AttentionGate(common).apply([skip, g]);
  return out as [SymbolicTensor, SymbolicTensor];
}

/** @internal Channel concatenation. */
export function concat(ctx: BlockContext, xs: SymbolicTensor[], name: string): SymbolicTensor {
  return layer(ctx, name, () => tfl.layers.concatenate({ axis: -1, name })).apply(xs) as SymbolicTensor;
}
