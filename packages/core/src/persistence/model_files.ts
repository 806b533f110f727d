import type { io } from '@tensorflow/tfjs-core';

/** File name of the topology + manifest JSON inside a model directory. */
export const MODEL_JSON = 'model.json';
/** File name of the concatenated little-endian weight buffer inside a model directory. */
export const WEIGHTS_BIN = 'weights.bin';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** @internal Bytes a weight occupies in the weight buffer (respecting quantization). */
export function weightByteLength(spec: io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((n, d) => n * d, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = BYTES[dtype];
  if (bytes == null) throw new Error(`unsupported weight dtype ${dtype}`);
  return count * bytes;
}

/** @internal Joins tfjs' one-or-many weight buffers into one ArrayBuffer. */
export function joinWeightData(data: io.WeightData | undefined): ArrayBuffer {
  if (data == null) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}
