import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ModelInputError } from '../errors.js';
import type { ResolvedSegmentationOptions } from './options.js';

/** The outputs of {@link SegmentationNetwork.fullModel}, split by role. */
export interface SegmentationOutputs<T> {
  /** Probabilities `[batch, H, W, outputChannels]`. */
  readonly segmentation: T;
  /** The multi-scale embeddings, encoder fine→coarse, bottleneck, decoder coarse→fine (2·depth + 1). */
  readonly embeddings: T[];
  /** Attention maps α `[batch, h, w, 1]`, coarsest first (per member network for `individual`); empty without gates. */
  readonly attention: T[];
}

/**
 * A segmentation network built by {@link buildUNet}, {@link buildAttentionUNet} or a pre-trained-encoder
 * builder. Two functional models share every layer (hence every weight):
 *
 * - `model`: inputs → segmentation probabilities (what you save, fine-tune with `fit` and run at inference);
 * - `fullModel`: inputs → `[segmentation, ...embeddings, ...attentionMaps]`, so one forward pass yields the
 *   segmentation, the multi-scale embeddings for the multi-scale contrastive loss and the attention maps.
 *
 * Inputs are `[image]` for single-domain networks and `[image, domain]` for multi-domain ones (domain: int32
 * `[batch, 1]`, or `[batch]` through `apply`).
 */
export interface SegmentationNetwork {
  /** Inputs → segmentation probabilities. */
  readonly model: LayersModel;
  /** Inputs → `[segmentation, ...embeddings, ...attention]`, same layers as `model`. */
  readonly fullModel: LayersModel;
  /** Number of embedding outputs (2·depth + 1). */
  readonly embeddingCount: number;
  /** Number of attention-map outputs (depth per member network with gates, else 0). */
  readonly attentionCount: number;
  /** The resolved options the network was built from. */
  readonly options: ResolvedSegmentationOptions;
  /**
   * Splits the output list of `fullModel` (from `apply` / `predict`) by role.
   *
   * @throws {@link ModelInputError} if the list does not have `1 + embeddingCount + attentionCount` entries.
   */
  splitOutputs<T>(outputs: T | T[]): SegmentationOutputs<T>;
}

/** @internal Builds the two models and the output splitter. */
export function assembleNetwork(
  inputs: SymbolicTensor[],
  segmentation: SymbolicTensor,
  embeddings: SymbolicTensor[],
  attention: SymbolicTensor[],
  options: ResolvedSegmentationOptions,
): SegmentationNetwork {
  const model = tfl.model({ inputs, outputs: segmentation, name: options.name });
  const fullModel = tfl.model({ inputs, outputs: [segmentation, ...embeddings, ...attention], name: `${options.name}_full` });
  const embeddingCount = embeddings.length;
  const attentionCount = attention.length;
  return {
    model,
    fullModel,
    embeddingCount,
    attentionCount,
    options,
    splitOutputs<T>(outputs: T | T[]): SegmentationOutputs<T> {
      const list = Array.isArray(outputs) ? outputs : [outputs];
      const expected = 1 + embeddingCount + attentionCount;
      if (list.length !== expected) {
        throw new ModelInputError(`splitOutputs: expected ${expected} outputs of fullModel, got ${list.length}`);
      }
      return {
        segmentation: list[0] as T,
        embeddings: list.slice(1, 1 + embeddingCount),
        attention: list.slice(1 + embeddingCount),
      };
    },
  };
}

/** @internal Creates the image (and domain) inputs. */
export function createInputs(shape: number[], multiDomain: boolean): { image: SymbolicTensor; domain: SymbolicTensor | null } {
  const image = tfl.input({ shape, name: 'image' });
  const domain = multiDomain ? tfl.input({ shape: [1], dtype: 'int32', name: 'domain' }) : null;
  return { image, domain };
}

/** @internal Channel concatenation of per-member feature maps (used by the `individual` strategy). */
export function concatMembers(xs: SymbolicTensor[], name: string): SymbolicTensor {
  return xs.length === 1 ? (xs[0] as SymbolicTensor) : (tfl.layers.concatenate({ axis: -1, name }).apply(xs) as SymbolicTensor);
}

