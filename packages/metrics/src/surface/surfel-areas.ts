import type { Vec3 } from '@pedseg/volume';
import { NEIGHBOUR_CODE_NORMALS } from './neighbour-code-normals.js';

/**
 * Surface area (mm²) of the surface elements of each of the 256 neighbour codes at a given spacing:
 * each triangle normal (n0, n1, n2) scales to (n0·sy·sz, n1·sx·sz, n2·sx·sy), whose length is the
 * triangle's area; a code's area is the sum over its triangles.
 *
 * @param spacing - Voxel spacing in mm.
 */
export function surfelAreaByCode(spacing: Vec3): Float64Array {
  const [sx, sy, sz] = spacing;
  const areas = new Float64Array(256);
  for (let code = 0; code < 256; code++) {
    let total = 0;
    for (const normal of NEIGHBOUR_CODE_NORMALS[code]!.split(' ')) {
      const a = (Number(normal[0]) / 8) * sy * sz;
      const b = (Number(normal[1]) / 8) * sx * sz;
      const c = (Number(normal[2]) / 8) * sx * sy;
      total += Math.sqrt(a * a + b * b + c * c);
    }
    areas[code] = total;
  }
  return areas;
}
