/**
 * Parameter counts (`countParams()`: trainable weights + batch-norm moving statistics) of every network at
 * the papers' settings: 256×256 inputs, 3 bones + background, multi-domain with ankle (4), knee (5) and
 * shoulder (3) classes. Prints one JSON line.
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/models/bench/param-counts.ts
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  buildAttentionUNet,
  buildConditionalDiscriminator,
  buildDenseUNet,
  buildEfficientUNet,
  buildInceptionUNet,
  buildMultiJointAutoEncoder,
  buildResUNet,
  buildShapeAutoEncoder,
  buildShapeCodeDiscriminator,
  buildUNet,
  buildVggUNet,
  type PretrainedUNetOptions,
} from '@pedseg/models';

await tf.setBackend('cpu');
const classCounts = [4, 5, 3];
const quiet = { onWarning: () => undefined };
const counts: Record<string, number> = {};
const record = (name: string, model: { countParams(): number; dispose(): unknown }) => {
  counts[name] = model.countParams();
  model.dispose();
};
record('unet', buildUNet({ numStructures: 3 }).model);
record('attUNet', buildAttentionUNet({ numStructures: 3 }).model);
record('attUNetShared', buildAttentionUNet({ domains: { strategy: 'shared', classCounts } }).model);
record('attUNetDsl', buildAttentionUNet({ domains: { strategy: 'dsl', classCounts } }).model);
record('shapeAutoEncoder', buildShapeAutoEncoder({ numChannels: 4 }).autoEncoder);
record('multiJointAutoEncoder', buildMultiJointAutoEncoder({ classCounts }).autoEncoder);
record('conditionalDiscriminator', buildConditionalDiscriminator({ maskChannels: 4 }));
record('shapeCodeDiscriminator', buildShapeCodeDiscriminator({ codeShape: [16, 16, 256] }));
const pretrained: Array<[string, (o: PretrainedUNetOptions) => Promise<{ model: { countParams(): number; dispose(): unknown } }>]> = [
  ['vggUNet', buildVggUNet],
  ['resUNet', buildResUNet],
  ['denseUNet', buildDenseUNet],
  ['efficientUNet', buildEfficientUNet],
  ['inceptionUNet', buildInceptionUNet],
];
for (const [name, build] of pretrained) {
  record(name, (await build({ numStructures: 3, ...quiet })).model);
  record(`${name}Att`, (await build({ numStructures: 3, attention: true, ...quiet })).model);
  record(`${name}AttDsl`, (await build({ attention: true, domains: { strategy: 'dsl', classCounts }, ...quiet })).model);
}
console.log(JSON.stringify(counts));
