import * as tf from '@tensorflow/tfjs-core';

/**
 * Batched rotation matrices `[batch, d, d]` from angles in radians.
 *
 * 2D (`angles` `[batch, 1]`): counter-clockwise rotation by θ, `R = [[cos θ, −sin θ], [sin θ, cos θ]]`.
 * 3D (`angles` `[batch, 3]` = (α, β, γ)): `R = R_z(γ) · R_y(β) · R_x(α)` — extrinsic rotations about the
 * fixed x, then y, then z axes, each right-handed (counter-clockwise looking down the axis), acting on column
 * vectors.
 *
 * @param angles - `[batch, 1]` (2D) or `[batch, 3]` (3D) angles in radians.
 */
export function rotationMatrices(angles: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const batch = angles.shape[0];
    // Column slices rather than tf.unstack: Unpack's gradient fails when only some outputs reach the loss.
    const cols = Array.from({ length: angles.shape[1] }, (_, i) => tf.reshape(tf.slice(angles, [0, i], [batch, 1]), [batch]));
    const mat = (entries: tf.Tensor[]): tf.Tensor3D => {
      const n = Math.round(Math.sqrt(entries.length));
      return tf.reshape(tf.stack(entries, 1), [batch, n, n]);
    };
    const zero = tf.zeros([batch]);
    const one = tf.ones([batch]);
    if (cols.length === 1) {
      const c = tf.cos(cols[0] as tf.Tensor);
      const s = tf.sin(cols[0] as tf.Tensor);
      return mat([c, tf.neg(s), s, c]);
    }
    const [a, b, g] = cols as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [ca, sa, cb, sb, cg, sg] = [tf.cos(a), tf.sin(a), tf.cos(b), tf.sin(b), tf.cos(g), tf.sin(g)];
    const rx = mat([one, zero, zero, zero, ca, tf.neg(sa), zero, sa, ca]);
    const ry = mat([cb, zero, sb, zero, one, zero, tf.neg(sb), zero, cb]);
    const rz = mat([cg, tf.neg(sg), zero, sg, cg, zero, zero, zero, one]);
    return tf.matMul(rz, tf.matMul(ry, rx));
  });
}
