import type { layers } from '@tensorflow/tfjs-layers';

/** Base constructor arguments shared by every tfjs-layers `Layer` (name, trainable, inputShape, …). */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Keyword arguments tfjs-layers passes to `Layer.call` (`training`, `mask`, …). */
export type CallKwargs = Parameters<InstanceType<typeof layers.Layer>['call']>[1];
