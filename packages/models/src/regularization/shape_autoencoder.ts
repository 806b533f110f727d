import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DomainSpecificBatchNorm, DomainSpecificHeads } from '@pedseg/core';
import { checkInputSize, checkInt, resolveWidths } from '../checks.js';
import { ModelConfigError, ModelInputError } from '../errors.js';
import { DomainSpecificConv } from '../layers/domain_specific_conv.js';
import { convBnRelu, doubleConv, layer, maxPool, upConv, type BlockContext } from '../segmentation/blocks.js';

/** Options of {@link buildShapeAutoEncoder} and {@link buildMultiJointAutoEncoder}. */
export interface ShapeAutoEncoderOptions {
  /** Label-map size `[H, W]` (default `[256, 256]`), divisible by `2^depth`. */
  inputSize?: [number, number];
  /**
   * Single-domain only: channels of the label map (C + 1 one-hot channels for `multi`, decoded with a
   * softmax; 1 for `global` / `individual`, decoded with a sigmoid). Default 1.
   */
  numChannels?: number;
  /** Multi-joint only: |C_k| per domain (joint), background included. */
  classCounts?: number[];
  /** Number of max-poolings (default 4: 9 embedding scales). */
  depth?: number;
  /** Width of the first level, doubled per level (default 16: a 16×16×256 code for 256×256 masks). */
  filters?: number;
  /** Explicit widths, `depth + 1` integers (the last is the code's channel count). */
  widths?: number[];
  /** Batch-norm ε (default 1e-5). */
  epsilon?: number;
  /** Batch-norm momentum, Keras convention (default 0.99). */
  momentum?: number;
  /** Name prefix of the models (default `shape_ae` / `multi_joint_ae`). */
  name?: string;
}

/**
 * A convolutional shape auto-encoder: encoder F, decoder G and their composition, all sharing layers.
 * Single-domain: inputs `[mask]` / `[code]`. Multi-joint: inputs `[mask, domain]` / `[code, domain]` with
 * masks padded to `max_k |C_k|` channels (the `DomainSpecificHeads` layout).
 */
export interface ShapeAutoEncoder {
  /** F: label map → latent code `[batch, H/2^depth, W/2^depth, widths[depth]]`. */
  readonly encoder: LayersModel;
  /** G: latent code → reconstructed label-map probabilities. */
  readonly decoder: LayersModel;
  /** G ∘ F. */
  readonly autoEncoder: LayersModel;
  /** Inputs → `[reconstruction, ...embeddings]` (encoder fine→coarse, code, decoder coarse→fine) in one pass. */
  readonly fullModel: LayersModel;
  /** Number of embedding outputs of `fullModel` (2·depth + 1). */
  readonly embeddingCount: number;
  /** Shape of one code, `[h, w, c]`. */
  readonly codeShape: readonly number[];
  /**
   * Splits `fullModel`'s outputs into reconstruction and embeddings.
   *
   * @throws {@link ModelInputError} for a list of the wrong length.
   */
  splitOutputs<T>(outputs: T[]): { reconstruction: T; embeddings: T[] };
}

interface Resolved {
  size: [number, number];
  depth: number;
  widths: number[];
  channels: number;
  classCounts: number[] | null;
  epsilon: number;
  momentum: number;
  name: string;
}

function resolve(o: ShapeAutoEncoderOptions, multiJoint: boolean, where: string): Resolved {
  if (o == null || typeof o !== 'object') throw new ModelConfigError(`${where}: options must be an object`);
  const depth = checkInt(o.depth ?? 4, 'depth', where);
  const size = checkInputSize(o.inputSize ?? [256, 256], depth, where) as [number, number];
  const widths = resolveWidths(o.widths, o.filters ?? 16, depth, where);
  let classCounts: number[] | null = null;
  let channels: number;
  if (multiJoint) {
    if (!Array.isArray(o.classCounts) || o.classCounts.length === 0) {
      throw new ModelConfigError(`${where}: classCounts must be a non-empty array of per-joint class counts, got ${JSON.stringify(o.classCounts)}`);
    }
    classCounts = o.classCounts.map((c, k) => checkInt(c, `classCounts[${k}]`, where, 2));
    channels = Math.max(...classCounts);
  } else {
    if (o.classCounts !== undefined) throw new ModelConfigError(`${where}: classCounts is for buildMultiJointAutoEncoder; use numChannels`);
    channels = checkInt(o.numChannels ?? 1, 'numChannels', where);
  }
  return { size, depth, widths, channels, classCounts, epsilon: o.epsilon ?? 1e-5, momentum: o.momentum ?? 0.99, name: o.name ?? (multiJoint ? 'multi_joint_ae' : 'shape_ae') };
}

function build(r: Resolved): ShapeAutoEncoder {
  const multi = r.classCounts != null;
  const numDomains = r.classCounts?.length ?? 1;
  const cache = new Map<string, tfl.layers.Layer>();
  const mask = tfl.input({ shape: [...r.size, r.channels], name: 'mask' });
  const domain = multi ? tfl.input({ shape: [1], dtype: 'int32', name: 'domain' }) : null;
  const ctxFor = (d: SymbolicTensor | null): BlockContext => ({ domain: d, numDomains, epsilon: r.epsilon, momentum: r.momentum, dims: 2, cache });
  const ctx = ctxFor(domain);

  // Encoder F. The multi-joint input layer is domain-specific ("DS Conv 3×3, DSBN, Activ").
  const encEmb: SymbolicTensor[] = [];
  let x: SymbolicTensor = mask;
  for (let l = 0; l < r.depth; l++) {
    const w = r.widths[l] as number;
    if (l === 0 && domain) {
      const ds = new DomainSpecificConv({ name: 'enc0_input', numDomains, filters: w }).apply([x, domain]) as SymbolicTensor;
      const bn = new DomainSpecificBatchNorm({ name: 'enc0_input_dsbn', numDomains, epsilon: r.epsilon, momentum: r.momentum }).apply([ds, domain]) as SymbolicTensor;
      x = convBnRelu(ctx, tfl.layers.reLU({ name: 'enc0_input_relu' }).apply(bn) as SymbolicTensor, w, 'enc0_2');
    } else {
      x = doubleConv(ctx, x, w, `enc${l}`);
    }
    encEmb.push(x);
    x = maxPool(ctx, x, `enc${l}_pool`);
  }
  const code = doubleConv(ctx, x, r.widths[r.depth] as number, 'code');

  // Decoder G, built once from its own code input and re-applied (same layers) inside the auto-encoder.
  const decode = (c: SymbolicTensor, d: SymbolicTensor | null): { out: SymbolicTensor; emb: SymbolicTensor[] } => {
    const dctx = ctxFor(d);
    const emb: SymbolicTensor[] = [];
    let h = c;
    for (let l = r.depth - 1; l >= 0; l--) {
      const w = r.widths[l] as number;
      h = doubleConv(dctx, upConv(dctx, h, w, `dec${l}_up`), w, `dec${l}`);
      emb.push(h);
    }
    const out = d
      ? (layer(dctx, 'head', () => new DomainSpecificHeads({ name: 'head', classCounts: [...(r.classCounts as number[])] })).apply([h, d]) as SymbolicTensor)
      : (layer(dctx, 'head', () =>
          tfl.layers.conv2d({ name: 'head', filters: r.channels, kernelSize: 1, activation: r.channels > 1 ? 'softmax' : 'sigmoid' }),
        ).apply(h) as SymbolicTensor);
    return { out, emb };
  };
  const codeShape = (code.shape.slice(1) as number[]);
  const codeInput = tfl.input({ shape: codeShape, name: 'code' });
  const decoderDomain = multi ? tfl.input({ shape: [1], dtype: 'int32', name: 'decoder_domain' }) : null;
  const g = decode(codeInput, decoderDomain);
  const full = decode(code, domain);

  const inputs = domain ? [mask, domain] : [mask];
  const embeddings = [...encEmb, code, ...full.emb];
  const embeddingCount = embeddings.length;
  return {
    encoder: tfl.model({ inputs, outputs: code, name: `${r.name}_encoder` }),
    decoder: tfl.model({ inputs: decoderDomain ? [codeInput, decoderDomain] : [codeInput], outputs: g.out, name: `${r.name}_decoder` }),
    autoEncoder: tfl.model({ inputs, outputs: full.out, name: r.name }),
    fullModel: tfl.model({ inputs, outputs: [full.out, ...embeddings], name: `${r.name}_full` }),
    embeddingCount,
    codeShape,
    splitOutputs<T>(outputs: T[]) {
      if (!Array.isArray(outputs) || outputs.length !== embeddingCount + 1) {
        throw new ModelInputError(`splitOutputs: expected ${embeddingCount + 1} outputs of fullModel, got ${Array.isArray(outputs) ? outputs.length : 1}`);
      }
      return { reconstruction: outputs[0] as T, embeddings: outputs.slice(1) };
    },
  };
}

/**
 * Convolutional shape auto-encoder of the combined-regularization paper (000, Fig. 3 top; SPAR 001 §2.2):
 * encoder F of `depth` levels of two 3×3 conv–BN–ReLU blocks and 2×2 max-pooling, then two blocks giving
 * the latent code `F(y)`; decoder G of 2×2 up-convolutions and two conv–BN–ReLU blocks per level, and a 1×1
 * head (softmax for a multi-class label map, sigmoid for one channel). F is frozen afterwards to compute the
 * shape-priors loss; SPAR's code discriminator reads its spatial code.
 *
 * @param options - see {@link ShapeAutoEncoderOptions}.
 * @throws {@link ModelConfigError} for invalid options.
 */
export function buildShapeAutoEncoder(options: ShapeAutoEncoderOptions = {}): ShapeAutoEncoder {
  return build(resolve(options, false, 'buildShapeAutoEncoder'));
}

/**
 * Multi-joint auto-encoder (multi-task paper 002, §2.3 and Fig. 3 bottom): the same topology as
 * {@link buildShapeAutoEncoder} with shared convolution kernels, DSBN everywhere, a domain-specific 3×3
 * input convolution ({@link DomainSpecificConv}) reading each joint's label map, and domain-specific 1×1
 * softmax output layers (`DomainSpecificHeads`). Inputs `[mask, domain]`; the 2·depth + 1 multi-scale
 * embeddings (z̃_s1 … z̃_s9 for depth 4) are outputs of `fullModel` for the contrastive term of L_AE = CE + λ1·MSC.
 *
 * @param options - see {@link ShapeAutoEncoderOptions}; `classCounts` is required.
 * @throws {@link ModelConfigError} for invalid options.
 */
export function buildMultiJointAutoEncoder(options: ShapeAutoEncoderOptions): ShapeAutoEncoder {
  return build(resolve(options, true, 'buildMultiJointAutoEncoder'));
}
