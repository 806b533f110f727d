import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInt } from '../checks.js';
import { ModelConfigError } from '../errors.js';
import type { BlockContext } from '../segmentation/blocks.js';
import { buildDecoder, buildHead, type HeadKind } from '../segmentation/decoder.js';
import { assembleNetwork, createInputs, type SegmentationNetwork } from '../segmentation/network.js';
import { resolveSegmentationOptions, type ResolvedSegmentationOptions, type SegmentationNetworkOptions } from '../segmentation/options.js';
import { loadEncoderWeights, type WeightLoadReport } from './load_weights.js';

/** Options of the pre-trained-encoder UNets ({@link buildVggUNet}, {@link buildResUNet}). */
export interface PretrainedUNetOptions
  extends Omit<SegmentationNetworkOptions, 'depth' | 'filters' | 'widths' | 'inputChannels' | 'outputStrategy'> {
  /** Output strategy; `individual` is not offered for pre-trained encoders (the papers use `multi`). Default `multi`. */
  outputStrategy?: 'multi' | 'global';
  /**
   * Divide every encoder and decoder width by this (default 1 = the original network, the only setting
   * ImageNet weights fit). Small networks for tests and experiments.
   */
  widthDivisor?: number;
  /**
   * A local tfjs layers-model directory (`model.json` + weight files) holding the ImageNet encoder, e.g.
   * converted from Keras Applications with `tensorflowjs_converter` (see the package README). Weights are
   * matched by Keras layer name; nothing is downloaded. Without it the encoder is randomly initialized and
   * a warning is given.
   */
  weights?: string;
  /** Receives warnings (default `console.warn`). */
  onWarning?: (message: string) => void;
}

/** A pre-trained-encoder segmentation network and what was loaded into it. */
export interface PretrainedSegmentationNetwork extends SegmentationNetwork {
  /** Which weights were loaded by name (null when randomly initialized). */
  readonly weightReport: WeightLoadReport | null;
}

/** @internal What an encoder builder returns. */
export interface EncoderResult {
  /** Skip features, fine to coarse (level l at `H / 2^l`). */
  readonly skips: SymbolicTensor[];
  /** The bottleneck (`H / 2^depth`). */
  readonly bottleneck: SymbolicTensor;
}

/** @internal Divides a width, at least 1. */
export function scaled(width: number, divisor: number): number {
  return Math.max(1, Math.floor(width / divisor));
}

/**
 * @internal Shared assembly: gray → 3 channels, encoder, symmetric decoder (with optional gates), head,
 * weight loading.
 */
export async function buildPretrainedUNet(
  options: PretrainedUNetOptions,
  spec: {
    name: string;
    depth: number;
    decoderWidths: number[];
    encoder: (ctx: BlockContext, rgb: SymbolicTensor, divisor: number) => EncoderResult;
    aliases?: (weightNames: readonly string[]) => Record<string, string>;
  },
  where: string,
): Promise<PretrainedSegmentationNetwork> {
  if (options == null || typeof options !== 'object') throw new ModelConfigError(`${where}: options must be an object`);
  const divisor = checkInt(options.widthDivisor ?? 1, 'widthDivisor', where);
  const { weights, onWarning, widthDivisor: _w, ...rest } = options;
  const o: ResolvedSegmentationOptions = resolveSegmentationOptions(
    { ...rest, depth: spec.depth, widths: [...spec.decoderWidths.map((w) => scaled(w, divisor)), 1], inputChannels: 1 },
    { attention: false, name: spec.name },
    where,
  );
  if ((o.outputStrategy as string) === 'individual') throw new ModelConfigError(`${where}: outputStrategy 'individual' is not offered for pre-trained encoders`);
  const { image, domain } = createInputs([...o.inputSize, 1], o.domains != null);
  const dsl = o.domains?.strategy === 'dsl';
  const ctx: BlockContext = { domain: dsl ? domain : null, numDomains: dsl ? (o.domains?.classCounts.length ?? 1) : 1, epsilon: o.epsilon, momentum: o.momentum, dims: 2 };
  // The ImageNet encoders expect 3 channels: the gray slice is replicated (as both papers do).
  const rgb = tfl.layers.concatenate({ axis: -1, name: 'gray_to_rgb' }).apply([image, image, image]) as SymbolicTensor;
  const enc = spec.encoder(ctx, rgb, divisor);
  const decoder = buildDecoder(ctx, enc.bottleneck, enc.skips, o.widths, o.attention, '');
  const head: HeadKind = o.domains
    ? dsl
      ? { kind: 'domains', classCounts: [...o.domains.classCounts] }
      : { kind: 'softmax', channels: o.outputChannels }
    : o.outputStrategy === 'multi'
      ? { kind: 'softmax', channels: o.outputChannels }
      : { kind: 'sigmoid', channels: 1 };
  const segmentation = buildHead(ctx, decoder.output, head, 'head');
  const net = assembleNetwork(domain ? [image, domain] : [image], segmentation, [...enc.skips, enc.bottleneck, ...decoder.embeddings], decoder.attention, o);
  const warn = onWarning ?? ((m: string) => console.warn(m));
  let weightReport: WeightLoadReport | null = null;
  if (weights === undefined) {
    warn(`${where}: no encoder weights given; the encoder is randomly initialized (pass options.weights, a local tfjs layers-model directory of the ImageNet network)`);
  } else {
    weightReport = await loadEncoderWeights(net.model, weights, { aliases: spec.aliases?.(net.model.weights.map((w) => w.originalName)) ?? {} });
  }
  return { ...net, splitOutputs: net.splitOutputs, weightReport };
}
