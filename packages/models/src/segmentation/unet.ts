import * as tf from '@tensorflow/tfjs-core';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ModelConfigError } from '../errors.js';
import { doubleConv, maxPool, type BlockContext } from './blocks.js';
import { buildDecoder, buildHead, type HeadKind } from './decoder.js';
import { assembleNetwork, concatMembers, createInputs, type SegmentationNetwork } from './network.js';
import { resolveSegmentationOptions, type ResolvedSegmentationOptions, type SegmentationNetworkOptions } from './options.js';

interface Member {
  readonly segmentation: SymbolicTensor;
  readonly embeddings: SymbolicTensor[];
  readonly attention: SymbolicTensor[];
}

/** One UNet from input to head; `prefix` keeps the layer names of `individual` members apart. */
function buildMember(ctx: BlockContext, image: SymbolicTensor, o: ResolvedSegmentationOptions, head: HeadKind, prefix: string): Member {
  const skips: SymbolicTensor[] = [];
  let x = image;
  for (let l = 0; l < o.depth; l++) {
    x = doubleConv(ctx, x, o.widths[l] as number, `${prefix}enc${l}`);
    skips.push(x);
    x = maxPool(ctx, x, `${prefix}enc${l}_pool`);
  }
  const bottleneck = doubleConv(ctx, x, o.widths[o.depth] as number, `${prefix}bottleneck`);
  const decoder = buildDecoder(ctx, bottleneck, skips, o.widths, o.attention, prefix);
  const segmentation = buildHead(ctx, decoder.output, head, `${prefix}head`);
  return { segmentation, embeddings: [...skips, bottleneck, ...decoder.embeddings], attention: decoder.attention };
}

function headOf(o: ResolvedSegmentationOptions): HeadKind {
  if (o.domains) {
    return o.domains.strategy === 'dsl'
      ? { kind: 'domains', classCounts: [...o.domains.classCounts] }
      : { kind: 'softmax', channels: o.outputChannels };
  }
  if (o.outputStrategy === 'multi') return { kind: 'softmax', channels: o.outputChannels };
  return { kind: 'sigmoid', channels: 1 };
}

function build(o: ResolvedSegmentationOptions, fold = false): SegmentationNetwork {
  const { image, domain } = createInputs([...o.inputSize, o.inputChannels], o.domains != null);
  const dsl = o.domains?.strategy === 'dsl';
  const ctx: BlockContext = {
    domain: dsl ? domain : null,
    numDomains: dsl ? (o.domains?.classCounts.length ?? 1) : 1,
    epsilon: o.epsilon,
    momentum: o.momentum,
    dims: 2,
    foldBatchNorm: fold,
  };
  const head = headOf(o);
  const inputs = domain ? [image, domain] : [image];
  if (o.outputStrategy !== 'individual') {
    const m = buildMember(ctx, image, o, head, '');
    return assembleNetwork(inputs, m.segmentation, m.embeddings, m.attention, o);
  }
  const members = Array.from({ length: o.numStructures }, (_, c) => buildMember(ctx, image, o, head, `s${c}_`));
  const segmentation = concatMembers(members.map((m) => m.segmentation), 'individual_concat');
  const embeddings = members[0]!.embeddings.map((_, s) => concatMembers(members.map((m) => m.embeddings[s] as SymbolicTensor), `individual_embedding${s}`));
  return assembleNetwork(inputs, segmentation, embeddings, members.flatMap((m) => m.attention), o);
}

/**
 * Builds a 2D UNet (Ronneberger et al. 2015) with batch normalization: `depth` levels of two 3×3
 * conv–BN–ReLU blocks and 2×2 max-pooling, a bottleneck, a symmetric decoder of 2×2 transposed convolutions,
 * concatenated skips and two 3×3 blocks, then a 1×1 head.
 *
 * Output strategies (single domain, see {@link OutputStrategy}): `multi` → softmax `[B, H, W, C+1]`;
 * `global` → sigmoid `[B, H, W, 1]`; `individual` → C independent member networks (layer names prefixed
 * `s{c}_`) whose sigmoid channels are concatenated into `[B, H, W, C]`. The members share no weight, so
 * training them jointly on the sum of per-bone losses gives every member exactly the gradients (and Adam
 * updates) it would get alone; their embeddings are concatenated channel-wise per scale.
 *
 * Multi-domain (`domains`): inputs `[image, domain]`; `shared` → one softmax over the union of labels
 * (layout of {@link sharedLabelOffsets}), ordinary BN, domain input unused; `dsl` → every BN a DSBN
 * (`MultiDomainConvBlock`), multi-domain attention gates, domain-specific heads whose padded output
 * `[B, H, W, max_k |C_k|]` follows the mixed-batch representation of `DomainSpecificHeads` in @pedseg/core.
 *
 * Layer names: `enc{l}_{1,2}` (`_conv`, `_bn`, `_relu` for plain BN), `enc{l}_pool`, `bottleneck_{1,2}`,
 * `dec{l}_up`, `dec{l}_att`, `dec{l}_concat`, `dec{l}_{1,2}`, `head`.
 *
 * @param options - see {@link SegmentationNetworkOptions}; `numStructures` is required for single-domain
 *   `multi` / `individual` networks.
 * @returns the network with its embeddings (see {@link SegmentationNetwork}).
 * @throws {@link ModelConfigError} for invalid options.
 */
export function buildUNet(options: SegmentationNetworkOptions): SegmentationNetwork {
  return remember(build(resolveSegmentationOptions(options, { attention: false, name: 'unet' }, 'buildUNet')));
}

/**
 * Builds an Attention UNet (Oktay et al. 2018): {@link buildUNet} with an additive attention gate on every
 * skip connection (`AttentionGate`, or `MultiDomainAttentionGate` for `dsl`), gated by the up-sampled
 * decoder features, intermediate width half the skip's. The attention maps are extra outputs of
 * `fullModel`. Defaults (depth 4, filters 32, C = 3 bones) give ≈7.9M parameters as in the
 * combined-regularization paper.
 *
 * @param options - as {@link buildUNet}; `attention` defaults to true.
 * @throws {@link ModelConfigError} for invalid options.
 */
export function buildAttentionUNet(options: SegmentationNetworkOptions): SegmentationNetwork {
  return remember(build(resolveSegmentationOptions(options, { attention: true, name: 'att_unet' }, 'buildAttentionUNet')));
}

/** Networks built by {@link buildUNet} / {@link buildAttentionUNet}, which {@link foldBatchNorm} can rebuild. */
const built = new WeakSet<SegmentationNetwork>();
function remember(net: SegmentationNetwork): SegmentationNetwork {
  built.add(net);
  return net;
}

/**
 * An inference copy of a {@link buildUNet} / {@link buildAttentionUNet} network with every conv–BN–ReLU
 * block folded into one convolution with bias and fused ReLU, using the batch norms' moving statistics:
 * `W' = W · γ / sqrt(σ² + ε)`, `b' = β − μ · γ / sqrt(σ² + ε)` per output channel. Same inputs, outputs,
 * embeddings and attention maps (the gates keep their own batch norms) up to float rounding, fewer kernels
 * (faster on wasm). The copy does not share weights with the original; re-fold after training. Not for
 * training (the batch statistics are gone).
 *
 * @throws {@link ModelConfigError} for a network not built by `buildUNet` / `buildAttentionUNet`, or a `dsl`
 *   network (its normalization depends on the domain of each sample).
 */
export function foldBatchNorm(network: SegmentationNetwork): SegmentationNetwork {
  if (!built.has(network)) throw new ModelConfigError('foldBatchNorm: only networks built by buildUNet / buildAttentionUNet can be folded');
  if (network.options.domains?.strategy === 'dsl') {
    throw new ModelConfigError('foldBatchNorm: a DSL network normalizes each sample with its own domain statistics and cannot be folded');
  }
  const folded = build(network.options, true);
  const source = network.model;
  tf.tidy(() => {
    for (const target of folded.model.layers) {
      if (target.weights.length === 0) continue;
      const base = target.name.endsWith('_conv') ? target.name.slice(0, -'_conv'.length) : null;
      const bn = base ? source.layers.find((l) => l.name === `${base}_bn`) : undefined;
      if (!bn) {
        target.setWeights(source.getLayer(target.name).getWeights());
        continue;
      }
      const [kernel] = source.getLayer(target.name).getWeights() as [tf.Tensor];
      const [gamma, beta, mean, variance] = bn.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const epsilon = (bn.getConfig()['epsilon'] as number | undefined) ?? network.options.epsilon;
      const scale = tf.div(gamma, tf.sqrt(tf.add(variance, epsilon)));
      target.setWeights([tf.mul(kernel, scale), tf.sub(beta, tf.mul(mean, scale))]);
    }
  });
  return folded;
}
