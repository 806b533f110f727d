import { buildAttentionUNet, buildDenseUNet, buildEfficientUNet, buildInceptionUNet, buildResUNet, buildUNet, buildVggUNet } from '@pedseg/models';
import type { PretrainedUNetOptions, SegmentationNetwork } from '@pedseg/models';
import { seedInitialWeights } from '../engine/seed_weights.js';
import { mixSeed } from '../random.js';
import type { ExperimentBackbone, ResolvedExperimentConfig } from './config.js';

const BACKBONES: Record<ExperimentBackbone, (o: PretrainedUNetOptions) => Promise<SegmentationNetwork>> = {
  vgg: buildVggUNet,
  res: buildResUNet,
  dense: buildDenseUNet,
  efficient: buildEfficientUNet,
  inception: buildInceptionUNet,
};

/** Poolings of each pre-trained encoder (the input size must be divisible by 2^poolings). */
export const BACKBONE_POOLINGS: Readonly<Record<ExperimentBackbone, number>> = { vgg: 4, res: 4, dense: 5, efficient: 5, inception: 5 };

/**
 * The segmentation network of a run: `@pedseg/models`' UNet / Att-UNet of the configured depth and
 * width, or with `network.backbone` a pre-trained-encoder UNet (encoder weights from `network.weights`,
 * a local tfjs directory; without it the encoder is randomly initialized and the models' warning given).
 */
export async function buildRunNetwork(
  cfg: ResolvedExperimentConfig,
  head: { outputStrategy: 'multi' | 'global' | 'individual'; numStructures?: number; domains?: { strategy: 'shared' | 'dsl'; classCounts: number[] } },
): Promise<SegmentationNetwork> {
  const { inputSize, depth, filters, attention, momentum, backbone, widthDivisor, weights } = cfg.network;
  const common = {
    inputSize,
    ...(head.domains !== undefined ? { domains: head.domains } : {}),
    ...(head.numStructures !== undefined ? { numStructures: head.numStructures } : {}),
    name: 'segmentation',
    momentum,
  };
  if (backbone === null) {
    const build = attention ? buildAttentionUNet : buildUNet;
    const net = await build({ ...common, depth, filters, ...(head.domains === undefined ? { outputStrategy: head.outputStrategy } : {}) });
    seedInitialWeights(net.model, mixSeed(cfg.seed, NETWORK_SEED_STREAMS.segmentation));
    return net;
  }
  // Config validation rejects `individual` with a backbone (the pre-trained builders do not offer it).
  const outputStrategy = head.outputStrategy === 'global' ? 'global' : 'multi';
  const net = await BACKBONES[backbone]({
    ...common,
    attention,
    widthDivisor,
    ...(head.domains === undefined ? { outputStrategy } : {}),
    ...(weights !== null ? { weights } : {}),
  });
  // Re-drawing would overwrite loaded encoder weights: only a fully random network is reseeded.
  if (weights === null) seedInitialWeights(net.model, mixSeed(cfg.seed, NETWORK_SEED_STREAMS.segmentation));
  return net;
}

/** Independent seed streams (mixed with the run seed) for the initial weights of each network of a run. */
export const NETWORK_SEED_STREAMS = { segmentation: 101, autoEncoder: 102, discriminator: 103 } as const;
