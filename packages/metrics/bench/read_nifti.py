"""Minimal NIfTI-1 reader for the benchmark scripts (nibabel is not installed here).

Parses the 348-byte header with struct, inflates .nii.gz with gzip, and returns the voxel array
indexed [x, y, z] (Fortran order, as nibabel would) plus the spacing from pixdim[1:4].
"""
import gzip
import struct

import numpy as np

_DTYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8, 512: np.uint16, 768: np.uint32}


def read_nifti(path):
    with open(path, 'rb') as f:
        raw = f.read()
    if raw[:2] == b'\x1f\x8b':
        raw = gzip.decompress(raw)
    endian = '<' if struct.unpack('<i', raw[:4])[0] == 348 else '>'
    if struct.unpack(endian + 'i', raw[:4])[0] != 348:
        raise ValueError(f'{path}: not a NIfTI-1 file')
    dim = struct.unpack(endian + '8h', raw[40:56])
    datatype = struct.unpack(endian + 'h', raw[70:72])[0]
    pixdim = struct.unpack(endian + '8f', raw[76:108])
    vox_offset = int(struct.unpack(endian + 'f', raw[108:112])[0])
    shape = tuple(dim[1:1 + dim[0]])
    dtype = np.dtype(_DTYPES[datatype]).newbyteorder(endian)
    count = int(np.prod(shape))
    data = np.frombuffer(raw, dtype=dtype, count=count, offset=vox_offset).reshape(shape, order='F')
    return data, tuple(float(p) for p in pixdim[1:4])
