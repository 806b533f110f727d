import type { Box3, Vec3 } from '@pedseg/volume';

/**
 * A binary mask cut out of a label image around a box, with one layer of background voxels on every
 * side (more on the high x side, so that a row is a whole number of 32-bit words): voxel (x, y, z) of
 * the box sits at (x + 1, y + 1, z + 1). The margin stands for "outside the mask" (the box holds every
 * foreground voxel), so neighbour look-ups need no bounds checks.
 */
export interface PaddedMask {
  /** 0/1 per voxel, x fastest, shape {@link PaddedMask.shape}. */
  readonly data: Uint8Array;
  /** Box shape + 2 on every axis, x rounded up to a multiple of 4. */
  readonly shape: Vec3;
}

/**
 * Cuts the mask of the structure made of `members` (label values) of `data` inside `box` into a
 * zero-padded grid.
 *
 * @param data - Label values of the whole image.
 * @param shape - Shape of the whole image.
 * @param box - Half-open box holding every voxel of the structure.
 * @param members - Label values belonging to the structure.
 */
export function paddedCrop(data: ArrayLike<number>, shape: Vec3, box: Box3, members: readonly number[]): PaddedMask {
  const [nx, ny] = shape;
  const bx = box.hi[0] - box.lo[0];
  const by = box.hi[1] - box.lo[1];
  const bz = box.hi[2] - box.lo[2];
  const px = (bx + 2 + 3) & ~3;
  const py = by + 2;
  const out = new Uint8Array(px * py * (bz + 2));
  const single = members.length === 1;
  const label = members[0];
  const member = new Set(members);
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      let src = box.lo[0] + nx * (box.lo[1] + y + ny * (box.lo[2] + z));
      let dst = 1 + px * (y + 1 + py * (z + 1));
      if (single) {
        // The common case, kept free of a call per voxel.
        for (let x = 0; x < bx; x++, src++, dst++) if (data[src] === label) out[dst] = 1;
      } else {
        for (let x = 0; x < bx; x++, src++, dst++) if (member.has(data[src]!)) out[dst] = 1;
      }
    }
  }
  return { data: out, shape: [px, py, bz + 2] };
}
