// Conversions between a NIfTI qform (quaternion, qfac, pixdim, offset) and a 4x4 affine, following
// nifti1_io.c (nifti_quatern_to_mat44 / nifti_mat44_to_quatern) and nibabel's quaternion rules.

/** The qform parameters of a NIfTI header. */
export interface Qform {
  readonly b: number;
  readonly c: number;
  readonly d: number;
  /** +1 or −1 (pixdim[0]). */
  readonly qfac: number;
  readonly offset: readonly [number, number, number];
}

/**
 * Row-major 4x4 affine of a qform with voxel sizes `pixdim` (non-positive sizes count as 1, as in
 * nifti1_io.c). The first quaternion component a = sqrt(1 − b² − c² − d²); when rounding makes that
 * (nearly) negative, (b, c, d) is renormalised and a = 0.
 */
export function qformToAffine(q: Qform, pixdim: readonly [number, number, number]): number[] {
  let { b, c, d } = q;
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    const norm = Math.sqrt(b * b + c * c + d * d);
    a = 0;
    if (norm > 0) {
      b /= norm;
      c /= norm;
      d /= norm;
    }
  } else {
    a = Math.sqrt(a);
  }
  const xd = pixdim[0] > 0 ? pixdim[0] : 1;
  const yd = pixdim[1] > 0 ? pixdim[1] : 1;
  const zd = (pixdim[2] > 0 ? pixdim[2] : 1) * (q.qfac < 0 ? -1 : 1);
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ] as const;
  return [
    r[0][0] * xd, r[0][1] * yd, r[0][2] * zd, q.offset[0],
    r[1][0] * xd, r[1][1] * yd, r[1][2] * zd, q.offset[1],
    r[2][0] * xd, r[2][1] * yd, r[2][2] * zd, q.offset[2],
    0, 0, 0, 1,
  ];
}

/**
 * The qform of an affine whose 3x3 part is a rotation (possibly improper) times diag(spacing), or
 * null when the columns are not orthogonal (shear), which a qform cannot represent.
 */
export function affineToQform(affine: readonly number[], spacing: readonly [number, number, number]): Qform | null {
  const col = (j: number): [number, number, number] => [affine[j]!, affine[4 + j]!, affine[8 + j]!];
  const cols = [col(0), col(1), col(2)];
  const units: Array<[number, number, number]> = [];
  for (let j = 0; j < 3; j++) {
    const [x, y, z] = cols[j]!;
    const norm = Math.hypot(x, y, z);
    // The qform scales columns by pixdim, so the column norms must equal the spacing.
    if (!(norm > 0) || Math.abs(norm - spacing[j]!) > 1e-5 * Math.max(norm, spacing[j]!)) return null;
    units.push([x / norm, y / norm, z / norm]);
  }
  const dot = (u: readonly number[], v: readonly number[]): number => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
  if (Math.abs(dot(units[0]!, units[1]!)) > 1e-5 || Math.abs(dot(units[0]!, units[2]!)) > 1e-5 || Math.abs(dot(units[1]!, units[2]!)) > 1e-5) {
    return null;
  }
  const [u0, u1, u2] = units as [[number, number, number], [number, number, number], [number, number, number]];
  const det =
    u0[0] * (u1[1] * u2[2] - u1[2] * u2[1]) - u1[0] * (u0[1] * u2[2] - u0[2] * u2[1]) + u2[0] * (u0[1] * u1[2] - u0[2] * u1[1]);
  let qfac = 1;
  if (det < 0) {
    qfac = -1;
    u2[0] = -u2[0];
    u2[1] = -u2[1];
    u2[2] = -u2[2];
  }
  // r[i][j]: row i, column j of the proper rotation.
  const r11 = u0[0], r21 = u0[1], r31 = u0[2];
  const r12 = u1[0], r22 = u1[1], r32 = u1[2];
  const r13 = u2[0], r23 = u2[1], r33 = u2[2];
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac, offset: [affine[3]!, affine[7]!, affine[11]!] };
}
