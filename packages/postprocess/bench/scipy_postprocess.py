"""scipy.ndimage baseline of `pedseg postprocess --largest --closing-radius R` (voxel radius).

Usage: python3 scipy_postprocess.py IN.nii[.gz] OUT.nii[.gz] RADIUS
Reads NIfTI-1 with struct + gzip + numpy (no nibabel), keeps the largest 26-connected component of
each label, closes each label with a ball of radius R voxels on the mask zero-padded by R + 1 (so
objects touching the border are not eroded), adds closed voxels only where the input is background
(lowest label first on conflicts, where the library takes the nearest; the benchmark's bones are
too far apart to conflict), and writes the input header with the new voxels.
"""
import gzip
import struct
import sys

import numpy as np
from scipy import ndimage as ndi

DTYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8, 512: np.uint16, 768: np.uint32}


def read(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    endian = "<" if struct.unpack("<i", raw[:4])[0] == 348 else ">"
    dim = struct.unpack(endian + "8h", raw[40:56])
    datatype = struct.unpack(endian + "h", raw[70:72])[0]
    vox_offset = int(struct.unpack(endian + "f", raw[108:112])[0])
    shape = dim[1 : 1 + dim[0]]
    dtype = np.dtype(DTYPES[datatype]).newbyteorder(endian)
    count = int(np.prod(shape))
    data = np.frombuffer(raw, dtype=dtype, count=count, offset=vox_offset).reshape(shape, order="F")
    return raw[:vox_offset], data


def ball(r):
    g = np.arange(-r, r + 1)
    x, y, z = np.meshgrid(g, g, g, indexing="ij")
    return x * x + y * y + z * z <= r * r


def main():
    src, dst, radius = sys.argv[1], sys.argv[2], int(sys.argv[3])
    header, vol = read(src)
    out = vol.copy()
    labels = [int(v) for v in np.unique(vol) if v != 0]
    kernel = ball(radius)
    full = np.ones((3, 3, 3), bool)
    for lab_value in labels:
        lab, n = ndi.label(vol == lab_value, structure=full)
        if n > 1:
            sizes = np.bincount(lab.ravel())
            sizes[0] = 0
            out[(lab != 0) & (lab != int(np.argmax(sizes)))] = 0
    kept = out.copy()
    pad = radius + 1
    for lab_value in labels:
        closed = ndi.binary_closing(np.pad(kept == lab_value, pad), structure=kernel)[pad:-pad, pad:-pad, pad:-pad]
        out[closed & (out == 0)] = lab_value
    body = header + np.asarray(out, dtype=vol.dtype).ravel(order="F").tobytes()
    with open(dst, "wb") as f:
        f.write(gzip.compress(body, compresslevel=6) if dst.endswith(".gz") else body)


main()
