/**
 * 2D resampling of row-major images (`index = row * width + col`) with half-pixel centres — the
 * convention of tf.image.resizeBilinear(halfPixelCenters = true) and of scikit-image: output pixel
 * centre c maps to input coordinate (c + 0.5)·(in / out) − 0.5.
 */

interface Taps {
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly w1: Float64Array;
}

function linearTaps(inSize: number, outSize: number): Taps {
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w1 = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o += 1) {
    const src = Math.min(inSize - 1, Math.max(0, (o + 0.5) * scale - 0.5));
    const lo = Math.floor(src);
    i0[o] = lo;
    i1[o] = Math.min(inSize - 1, lo + 1);
    w1[o] = src - lo;
  }
  return { i0, i1, w1 };
}

/** Bilinear resize of one image `[inH, inW]` into `out` (`[outH, outW]`, written at `offset`). */
export function resizeBilinear(
  src: ArrayLike<number>,
  inH: number,
  inW: number,
  out: Float32Array,
  offset: number,
  outH: number,
  outW: number,
): void {
  const ty = linearTaps(inH, outH);
  const tx = linearTaps(inW, outW);
  for (let r = 0; r < outH; r += 1) {
    const a = ty.i0[r]! * inW;
    const b = ty.i1[r]! * inW;
    const wy = ty.w1[r]!;
    const o = offset + r * outW;
    for (let c = 0; c < outW; c += 1) {
      const x0 = tx.i0[c]!, x1 = tx.i1[c]!, wx = tx.w1[c]!;
      const top = src[a + x0]! + wx * (src[a + x1]! - src[a + x0]!);
      const bottom = src[b + x0]! + wx * (src[b + x1]! - src[b + x0]!);
      out[o + c] = top + wy * (bottom - top);
    }
  }
}

/** Nearest-neighbour resize of a label image (pixel centre c takes input ⌊(c + 0.5)·in/out⌋). */
export function resizeNearest(
  src: ArrayLike<number>,
  inH: number,
  inW: number,
  out: Uint8Array,
  offset: number,
  outH: number,
  outW: number,
): void {
  const cols = new Int32Array(outW);
  for (let c = 0; c < outW; c += 1) cols[c] = Math.min(inW - 1, Math.floor(((c + 0.5) * inW) / outW));
  for (let r = 0; r < outH; r += 1) {
    const row = Math.min(inH - 1, Math.floor(((r + 0.5) * inH) / outH)) * inW;
    const o = offset + r * outW;
    for (let c = 0; c < outW; c += 1) out[o + c] = src[row + cols[c]!]!;
  }
}
