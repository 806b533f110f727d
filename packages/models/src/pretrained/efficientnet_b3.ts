import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DomainSpecificBatchNorm, MultiDomainMBConv } from '@pedseg/core';
import type { BlockContext } from '../segmentation/blocks.js';
import { buildPretrainedUNet, scaled, type EncoderResult, type PretrainedSegmentationNetwork, type PretrainedUNetOptions } from './common.js';

/** Keras' EfficientNet batch-norm ε (the Keras default). */
const EFFICIENTNET_EPSILON = 1e-3;

/** EfficientNet-B0 stages: kernel, repeats, input and output filters, expansion, stride (Tan & Le 2019). */
const B0_STAGES: ReadonlyArray<readonly [number, number, number, number, number, number]> = [
  [3, 1, 32, 16, 1, 1],
  [3, 2, 16, 24, 6, 2],
  [5, 2, 24, 40, 6, 2],
  [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1],
  [5, 4, 112, 192, 6, 2],
  [3, 1, 192, 320, 6, 1],
];
const WIDTH = 1.2;
const DEPTH = 1.4;

/** Keras `round_filters` for B3 (multiples of 8, never below 90 % of the scaled value). */
function roundFilters(filters: number): number {
  const f = filters * WIDTH;
  let rounded = Math.max(8, Math.floor((f + 4) / 8) * 8);
  if (rounded < 0.9 * f) rounded += 8;
  return rounded;
}

function bn(ctx: BlockContext, x: SymbolicTensor, name: string): SymbolicTensor {
  return (
    ctx.domain
      ? new DomainSpecificBatchNorm({ name, numDomains: ctx.numDomains, epsilon: EFFICIENTNET_EPSILON, momentum: ctx.momentum }).apply([x, ctx.domain])
      : tfl.layers.batchNormalization({ name, axis: 3, epsilon: EFFICIENTNET_EPSILON, momentum: ctx.momentum }).apply(x)
  ) as SymbolicTensor;
}

function swish(x: SymbolicTensor, name: string): SymbolicTensor {
  return tfl.layers.activation({ name, activation: 'swish' }).apply(x) as SymbolicTensor;
}

/** Keras `block`: the MBConv with Keras layer names (`{name}expand_conv`, `{name}dwconv`, `{name}se_reduce`, …). */
function kerasBlock(ctx: BlockContext, x: SymbolicTensor, name: string, cin: number, cout: number, k: number, s: number, t: number): SymbolicTensor {
  const cexp = cin * t;
  let h = x;
  if (t !== 1) {
    h = tfl.layers.conv2d({ name: `${name}expand_conv`, filters: cexp, kernelSize: 1, padding: 'same', useBias: false }).apply(h) as SymbolicTensor;
    h = swish(bn(ctx, h, `${name}expand_bn`), `${name}expand_activation`);
  }
  // 'same' with stride 2 pads exactly as Keras' correct_pad + 'valid' for even sizes.
  h = tfl.layers.depthwiseConv2d({ name: `${name}dwconv`, kernelSize: k, strides: s, padding: 'same', useBias: false }).apply(h) as SymbolicTensor;
  h = swish(bn(ctx, h, `${name}bn`), `${name}activation`);
  const squeeze = Math.max(1, Math.floor(cin * 0.25));
  let se = tfl.layers.globalAveragePooling2d({ name: `${name}se_squeeze` }).apply(h) as SymbolicTensor;
  se = tfl.layers.reshape({ name: `${name}se_reshape`, targetShape: [1, 1, cexp] }).apply(se) as SymbolicTensor;
  se = tfl.layers.conv2d({ name: `${name}se_reduce`, filters: squeeze, kernelSize: 1, activation: 'swish' }).apply(se) as SymbolicTensor;
  se = tfl.layers.conv2d({ name: `${name}se_expand`, filters: cexp, kernelSize: 1, activation: 'sigmoid' }).apply(se) as SymbolicTensor;
  h = tfl.layers.multiply({ name: `${name}se_excite` }).apply([h, se]) as SymbolicTensor;
  h = tfl.layers.conv2d({ name: `${name}project_conv`, filters: cout, kernelSize: 1, padding: 'same', useBias: false }).apply(h) as SymbolicTensor;
  h = bn(ctx, h, `${name}project_bn`);
  if (s === 1 && cin === cout) h = tfl.layers.add({ name: `${name}add` }).apply([h, x]) as SymbolicTensor;
  return h;
}

/**
 * @internal EfficientNet-B3 (Tan & Le 2019) with Keras Applications layer names: `stem_conv`, `stem_bn`,
 * 26 MBConv blocks `block{1..7}{a,b,…}_*`, `top_conv`, `top_bn`, `top_activation` (Keras' in-model
 * rescaling / normalization layers are omitted: inputs are standardized upstream). For the DSL strategy each
 * block is one `MultiDomainMBConv` (@pedseg/core, shared kernels, DSBN, shared SE) named `block{..}` and
 * the stem / top batch norms are DSBNs; {@link efficientNetAliases} maps their weights to the Keras names.
 * Skips: the RGB input (1/1), `stem_activation` (1/2), end of stage 2 (1/4), 3 (1/8), 5 (1/16);
 * bottleneck `top_activation` (1/32, 1536 channels).
 */
export function efficientNetB3Encoder(ctx: BlockContext, rgb: SymbolicTensor, divisor: number): EncoderResult {
  const f = (n: number) => scaled(roundFilters(n), divisor);
  let x = tfl.layers.conv2d({ name: 'stem_conv', filters: f(32), kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(rgb) as SymbolicTensor;
  x = swish(bn(ctx, x, 'stem_bn'), 'stem_activation');
  const skips: SymbolicTensor[] = [rgb, x];
  B0_STAGES.forEach(([k, repeats, fin, fout, t, s], i) => {
    const n = Math.ceil(DEPTH * repeats);
    for (let j = 0; j < n; j++) {
      const name = `block${i + 1}${String.fromCharCode(97 + j)}`;
      const cin = j === 0 ? f(fin) : f(fout);
      const stride = j === 0 ? s : 1;
      if (ctx.domain) {
        x = new MultiDomainMBConv({
          name,
          numDomains: ctx.numDomains,
          filters: f(fout),
          kernelSize: k,
          strides: stride,
          expandRatio: t,
          seRatio: 0.25,
          activation: 'silu',
          epsilon: EFFICIENTNET_EPSILON,
          momentum: ctx.momentum,
        }).apply([x, ctx.domain]) as SymbolicTensor;
      } else {
        x = kerasBlock(ctx, x, `${name}_`, cin, f(fout), k, stride, t);
      }
    }
    if (i === 1 || i === 2 || i === 4) skips.push(x);
  });
  x = tfl.layers.conv2d({ name: 'top_conv', filters: scaled(Math.ceil(1280 * WIDTH), divisor), kernelSize: 1, padding: 'same', useBias: false }).apply(x) as SymbolicTensor;
  return { skips, bottleneck: swish(bn(ctx, x, 'top_bn'), 'top_activation') };
}

/**
 * @internal Keras weight names for the weights of `MultiDomainMBConv` blocks (DSL Efficient-UNet):
 * `block1a/depthwise_kernel` ← `block1a_dwconv/depthwise_kernel`, `block1a/se_squeeze_kernel` ←
 * `block1a_se_reduce/kernel` (reshaped), `block1a/project_bn_gamma` ← `block1a_project_bn/gamma`, …
 */
export function efficientNetAliases(weightNames: readonly string[]): Record<string, string> {
  const table: Array<[RegExp, string]> = [
    [/^(block\d[a-z])\/expand_kernel$/, '$1_expand_conv/kernel'],
    [/^(block\d[a-z])\/expand_bn_(gamma|beta|moving_mean|moving_variance)$/, '$1_expand_bn/$2'],
    [/^(block\d[a-z])\/depthwise_kernel$/, '$1_dwconv/depthwise_kernel'],
    [/^(block\d[a-z])\/depthwise_bn_(gamma|beta|moving_mean|moving_variance)$/, '$1_bn/$2'],
    [/^(block\d[a-z])\/se_squeeze_(kernel|bias)$/, '$1_se_reduce/$2'],
    [/^(block\d[a-z])\/se_excite_(kernel|bias)$/, '$1_se_expand/$2'],
    [/^(block\d[a-z])\/project_kernel$/, '$1_project_conv/kernel'],
    [/^(block\d[a-z])\/project_bn_(gamma|beta|moving_mean|moving_variance)$/, '$1_project_bn/$2'],
  ];
  const out: Record<string, string> = {};
  for (const name of weightNames) {
    for (const [re, to] of table) {
      if (re.test(name)) {
        out[name] = name.replace(re, to);
        break;
      }
    }
  }
  return out;
}

/**
 * Efficient-UNet of the multi-task paper (002, Fig. 3): EfficientNet-B3 (Keras Applications layer names;
 * ImageNet weights loadable by name) as encoder of grayscale slices replicated to 3 channels, five
 * resolution levels (`inputSize` divisible by 32) and a symmetric decoder of widths 256, 128, 64, 32, 16
 * (2×2 up-convolutions and two conv–BN–ReLU blocks per level). With `domains.strategy = 'dsl'` the encoder
 * is made of multi-domain MBConv blocks (`MultiDomainMBConv`: shared point-wise and depth-wise kernels,
 * DSBN, shared SE) and DSBN stem / top, whose weights still load from the Keras names (batch-norm `[C]`
 * weights fill every domain).
 *
 * Differences from the paper's figure: the decoder up-samples with transposed convolutions and uses ReLU
 * (the figure: up-sampling + convolution, SiLU).
 *
 * @param options - see {@link PretrainedUNetOptions}.
 * @throws {@link ModelConfigError} for invalid options; {@link WeightLoadError} if `weights` cannot be read.
 */
export async function buildEfficientUNet(options: PretrainedUNetOptions): Promise<PretrainedSegmentationNetwork> {
  return buildPretrainedUNet(
    options,
    { name: 'efficient_unet', depth: 5, decoderWidths: [16, 32, 64, 128, 256], encoder: efficientNetB3Encoder, aliases: efficientNetAliases },
    'buildEfficientUNet',
  );
}
