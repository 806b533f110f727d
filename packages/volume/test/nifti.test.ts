import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as niftiReader from 'nifti-reader-js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createVolume,
  DatatypeConversionError,
  encodeNifti,
  NiftiFormatError,
  parseNifti,
  parseNiftiHeader,
  readNifti,
  UnsupportedDatatypeError,
  VolumeShapeError,
  writeNifti,
  type NiftiDatatype,
  type Vec3,
  type VoxelArray,
} from '@pedseg/volume';

const FIXTURES = new URL('./fixtures/', import.meta.url);
// Copies of /work/shared/reference/metrics/*.nii.gz (see fixtures/make_fixtures.py).
const REFERENCE = new URL('./fixtures/reference/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(new URL('nifti.json', FIXTURES), 'utf8')) as {
  fixtures: Record<string, { shape: number[]; spacing: number[]; datatype: string; affine: number[]; data: number[] }>;
  reference: Record<string, { shape: number[]; spacing: number[]; affine: number[]; sum: number; nonzero: number; max: number }>;
};

const dir = mkdtempSync(join(tmpdir(), 'pedseg-volume-nifti-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectClose(actual: readonly number[], wanted: readonly number[], tol: number): void {
  expect(actual.length).toBe(wanted.length);
  actual.forEach((v, i) => expect(Math.abs(v - wanted[i]!), `entry ${i}: ${v} vs ${wanted[i]}`).toBeLessThanOrEqual(tol));
}

const ARRAYS: Record<NiftiDatatype, (values: number[]) => VoxelArray> = {
  uint8: (v) => Uint8Array.from(v, (x) => Math.abs(x) % 256),
  int8: (v) => Int8Array.from(v, (x) => (x % 128) - 10),
  int16: (v) => Int16Array.from(v, (x) => x * 97 - 20000),
  uint16: (v) => Uint16Array.from(v, (x) => x * 613),
  int32: (v) => Int32Array.from(v, (x) => x * 1e7 - 2e9),
  uint32: (v) => Uint32Array.from(v, (x) => x * 4e7 + 7),
  float32: (v) => Float32Array.from(v, (x) => x / 3 - 7.25),
  float64: (v) => Float64Array.from(v, (x) => Math.PI * x - 1e-300),
};

// Rotation of 30° about z, left-handed grid (det < 0), offset: exercises qform and sform.
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
const spacing: Vec3 = [0.8, 0.3, 1.5];
const rotatedAffine = [
  c * 0.8, -s * 0.3, 0, -20,
  s * 0.8, c * 0.3, 0, 14.5,
  0, 0, -1.5, 3,
  0, 0, 0, 1,
];
const f32 = (values: readonly number[]): number[] => values.map((v) => Math.fround(v));

describe('NIfTI round trip', () => {
  const shape: Vec3 = [5, 4, 3];
  const values = Array.from({ length: 60 }, (_, i) => i);
  for (const datatype of Object.keys(ARRAYS) as NiftiDatatype[]) {
    for (const ext of ['.nii', '.nii.gz']) {
      it(`${datatype} ${ext}: data, shape, spacing and affine preserved`, async () => {
        const volume = createVolume(ARRAYS[datatype](values), shape, { spacing, affine: rotatedAffine });
        const path = join(dir, `rt-${datatype}${ext}`);
        await writeNifti(path, volume);
        const bytes = readFileSync(path);
        expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(ext === '.nii.gz');
        const back = await readNifti(path);
        expect(back.data.constructor).toBe(volume.data.constructor);
        expect(Array.from(back.data)).toEqual(Array.from(volume.data));
        expect(back.shape).toEqual(shape);
        expectClose(back.spacing, f32(spacing), 0);
        expectClose(back.affine, f32(rotatedAffine), 0);
        const header = parseNiftiHeader(bytes, path);
        expect([header.sformCode, header.qformCode]).toEqual([1, 1]);
        expect(header.datatype).toBe(datatype);
        // The qform written alongside the sform describes the same grid (to float32 precision).
        expectClose(header.qformAffine, rotatedAffine, 1e-5);
      });
    }
  }

  it('a sheared affine is kept in the sform and the qform is switched off', () => {
    const sheared = [1, 0.2, 0, 5, 0, 1, 0, 6, 0, 0, 2, 7, 0, 0, 0, 1];
    const volume = createVolume(new Uint8Array(8), [2, 2, 2], { spacing: [1, 1.0198039, 2], affine: sheared });
    const bytes = encodeNifti(volume);
    const header = parseNiftiHeader(bytes);
    expect(header.qformCode).toBe(0);
    expect(header.sformCode).toBe(1);
    expectClose(parseNifti(bytes).affine, f32(sheared), 0);
  });

  it('an independent reader (nifti-reader-js) sees the header we wrote', () => {
    const volume = createVolume(Int16Array.from(values), shape, { spacing, affine: rotatedAffine });
    const bytes = encodeNifti(volume);
    const header = niftiReader.readHeader(bytes.slice().buffer);
    expect(header.dims.slice(0, 4)).toEqual([3, 5, 4, 3]);
    expect(header.datatypeCode).toBe(4);
    expect(header.numBitsPerVoxel).toBe(16);
    expectClose(header.pixDims.slice(1, 4), f32(spacing), 0);
    expect(header.vox_offset).toBe(352);
    expect(header.qform_code).toBe(1);
    expect(header.sform_code).toBe(1);
    const image = new Int16Array(niftiReader.readImage(header, bytes.slice().buffer));
    expect(Array.from(image)).toEqual(values);
  });

  it('datatype option converts exactly or refuses', () => {
    const volume = createVolume(Float32Array.from([0, 1, 2, 255]), [4, 1, 1]);
    const back = parseNifti(encodeNifti(volume, { datatype: 'uint8' }));
    expect(back.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.data)).toEqual([0, 1, 2, 255]);
    expect(() => encodeNifti(createVolume(Float32Array.from([0.5]), [1, 1, 1]), { datatype: 'int16' })).toThrow(
      DatatypeConversionError,
    );
    expect(() => encodeNifti(volume, { datatype: 'int8' })).toThrow(/voxel 3 = 255 as int8/);
    expect(() => encodeNifti(volume, { datatype: 'rgb24' as NiftiDatatype })).toThrow(UnsupportedDatatypeError);
  });

  it('writeNifti is atomic: no temporary file is left, an existing file is replaced', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const path = join(sub, 'out.nii.gz');
    writeFileSync(path, 'old contents');
    await writeNifti(path, createVolume(new Uint8Array([1, 2, 3]), [3, 1, 1]));
    expect(readdirSync(sub)).toEqual(['out.nii.gz']);
    expect(Array.from((await readNifti(path)).data)).toEqual([1, 2, 3]);
    await expect(writeNifti(join(sub, 'missing-dir', 'x.nii'), createVolume(new Uint8Array(1), [1, 1, 1]))).rejects.toThrow(
      /ENOENT/,
    );
    expect(readdirSync(sub)).toEqual(['out.nii.gz']);
  });

  it('the gzip option overrides the extension', () => {
    const v = createVolume(new Uint8Array(4), [2, 2, 1]);
    const gz = encodeNifti(v, { gzip: true });
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(gz)).toEqual(Buffer.from(encodeNifti(v)));
  });
});

describe('NIfTI fixtures written by make_fixtures.py', () => {
  for (const [file, want] of Object.entries(expected.fixtures)) {
    it(`${file}: shape, spacing, affine, datatype and voxels`, async () => {
      const v = await readNifti(new URL(file, FIXTURES).pathname);
      expect(v.shape).toEqual(want.shape);
      expectClose(v.spacing, want.spacing, 1e-6);
      expectClose(v.affine, want.affine, 1e-5);
      const datatypeOf = { Uint8Array: 'uint8', Int16Array: 'int16', Uint16Array: 'uint16', Int32Array: 'int32', Float32Array: 'float32', Float64Array: 'float64' } as Record<string, string>;
      expect(datatypeOf[v.data.constructor.name]).toBe(want.datatype);
      expectClose(Array.from(v.data), want.data, 1e-6);
    });
  }

  it('big-endian files are detected as such', () => {
    expect(parseNiftiHeader(readFileSync(new URL('nifti1_be_qform.nii', FIXTURES))).littleEndian).toBe(false);
    const h2 = parseNiftiHeader(readFileSync(new URL('nifti2_be.nii.gz', FIXTURES)));
    expect([h2.version, h2.littleEndian, h2.qformCode, h2.sformCode]).toEqual([2, false, 1, 0]);
  });
});

describe('shared reference images', () => {
  it('all four reference images are covered', () => {
    expect(Object.keys(expected.reference).sort()).toEqual([
      'corner_box_pred.nii.gz',
      'corner_box_ref.nii.gz',
      'two_labels_pred.nii.gz',
      'two_labels_ref.nii.gz',
    ]);
  });
  for (const [file, want] of Object.entries(expected.reference)) {
    it(`${file} matches its header`, async () => {
      const v = await readNifti(join(REFERENCE, file));
      expect(v.shape).toEqual(want.shape);
      expect(v.spacing).toEqual(want.spacing);
      expectClose(v.affine, want.affine, 1e-6);
      expect(v.data).toBeInstanceOf(Uint8Array);
      let sum = 0;
      let nonzero = 0;
      let max = 0;
      for (const x of v.data) {
        sum += x;
        if (x !== 0) nonzero++;
        if (x > max) max = x;
      }
      expect([sum, nonzero, max]).toEqual([want.sum, want.nonzero, want.max]);
    });
  }
});

describe('scaling', () => {
  function withScaling(slope: number, inter: number): Uint8Array {
    const bytes = encodeNifti(createVolume(Int16Array.from([-2, 0, 3, 100]), [2, 2, 1]));
    const view = new DataView(bytes.buffer);
    view.setFloat32(112, slope, true);
    view.setFloat32(116, inter, true);
    return bytes;
  }
  it('applies scl_slope / scl_inter as Float32', () => {
    const v = parseNifti(withScaling(0.5, 10));
    expect(v.data).toBeInstanceOf(Float32Array);
    expect(Array.from(v.data)).toEqual([9, 10, 11.5, 60]);
    expect(Array.from(parseNifti(withScaling(1, -1)).data)).toEqual([-3, -1, 2, 99]);
  });
  it('keeps the stored type for slope 0, NaN, or (1, 0)', () => {
    for (const [slope, inter] of [
      [0, 5],
      [NaN, 0],
      [1, 0],
    ] as const) {
      const v = parseNifti(withScaling(slope, inter));
      expect(v.data).toBeInstanceOf(Int16Array);
      expect(Array.from(v.data)).toEqual([-2, 0, 3, 100]);
    }
  });
});

describe('bad files', () => {
  const good = encodeNifti(createVolume(Int16Array.from({ length: 27 }, (_, i) => i), [3, 3, 3]));

  it('truncated voxel data (.nii) names the file and the missing bytes', () => {
    const err = (() => {
      try {
        parseNifti(good.subarray(0, good.length - 5), 'cut.nii');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NiftiFormatError);
    expect((err as NiftiFormatError).file).toBe('cut.nii');
    expect((err as Error).message).toMatch(/cut\.nii.*truncated voxel data.*needs 54 bytes at offset 352, found 49/);
  });

  it('truncated header and truncated gzip stream', async () => {
    expect(() => parseNifti(good.subarray(0, 200), 'short.nii')).toThrow(/short\.nii.*truncated header/);
    const gz = gzipSync(good);
    const path = join(dir, 'cut.nii.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 20));
    await expect(readNifti(path)).rejects.toThrow(NiftiFormatError);
    await expect(readNifti(path)).rejects.toThrow(/cut\.nii\.gz.*gzip/);
  });

  it('garbage bytes, wrong magic, empty file', async () => {
    const garbage = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 251);
    expect(() => parseNifti(garbage, 'noise.bin')).toThrow(/noise\.bin.*sizeof_hdr/);
    const wrongMagic = good.slice();
    wrongMagic.set([0x78, 0x78, 0x78, 0], 344);
    expect(() => parseNifti(wrongMagic, 'magic.nii')).toThrow(/magic\.nii.*wrong magic "xxx"/);
    const pair = good.slice();
    pair.set([0x6e, 0x69, 0x31, 0], 344);
    expect(() => parseNifti(pair, 'pair.hdr')).toThrow(/\.hdr\/\.img pair/);
    expect(() => parseNifti(new Uint8Array(0), 'empty.nii')).toThrow(NiftiFormatError);
    const gzGarbage = Uint8Array.from([0x1f, 0x8b, ...garbage.subarray(0, 50)]);
    expect(() => parseNifti(gzGarbage, 'bad.gz')).toThrow(/bad\.gz.*gzip/);
    await expect(readNifti(join(dir, 'does-not-exist.nii'))).rejects.toThrow(/does-not-exist\.nii.*cannot read file/);
  });

  it('unsupported datatypes (RGB fixture, int64, complex) → UnsupportedDatatypeError naming the file', () => {
    const rgb = readFileSync(new URL('nifti1_rgb.nii', FIXTURES));
    expect(() => parseNifti(rgb, 'rgb.nii')).toThrow(UnsupportedDatatypeError);
    expect(() => parseNifti(rgb, 'rgb.nii')).toThrow(/rgb\.nii.*DT_RGB24/);
    for (const code of [1024, 32, 1792, 1, 9999]) {
      const patched = good.slice();
      new DataView(patched.buffer).setInt16(70, code, true);
      let caught: unknown = null;
      try {
        parseNifti(patched, 'p.nii');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UnsupportedDatatypeError);
      expect((caught as UnsupportedDatatypeError).datatype).toBe(code);
    }
  });

  it('4D images are refused', () => {
    const four = readFileSync(new URL('nifti1_4d.nii', FIXTURES));
    expect(() => parseNifti(four, '4d.nii')).toThrow(/4d\.nii.*4D image \(dim\[4\] = 3\)/);
  });

  it('encoding refuses shapes beyond the NIfTI-1 limit', () => {
    expect(() => encodeNifti(createVolume(new Uint8Array(40000), [40000, 1, 1]))).toThrow(VolumeShapeError);
  });
});

describe('affine and spacing precedence (NIfTI-1 standard / nibabel)', () => {
  function patched(edit: (view: DataView) => void): Uint8Array {
    const bytes = encodeNifti(createVolume(new Uint8Array(8), [2, 2, 2], { spacing, affine: rotatedAffine }));
    edit(new DataView(bytes.buffer));
    return bytes;
  }
  const shifted = [2, 0, 0, 1, 0, 3, 0, 2, 0, 0, 4, 3, 0, 0, 0, 1];
  const setSrow = (view: DataView): void => shifted.slice(0, 12).forEach((v, i) => view.setFloat32(280 + 4 * i, v, true));

  it('sform wins whenever sform_code > 0, even below qform_code', () => {
    const bytes = patched((view) => {
      setSrow(view);
      view.setInt16(252, 2, true); // qform_code
      view.setInt16(254, 1, true); // sform_code
    });
    expect(parseNifti(bytes).affine).toEqual(shifted);
  });

  it('qform is used when sform_code = 0', () => {
    const bytes = patched((view) => {
      setSrow(view);
      view.setInt16(254, 0, true);
    });
    expectClose(parseNifti(bytes).affine, rotatedAffine, 1e-5);
  });

  it('diag(pixdim) with origin 0 when both codes are 0', () => {
    const bytes = patched((view) => {
      view.setInt16(252, 0, true);
      view.setInt16(254, 0, true);
    });
    expectClose(parseNifti(bytes).affine, [0.8, 0, 0, 0, 0, 0.3, 0, 0, 0, 0, 1.5, 0, 0, 0, 0, 1], 1e-7);
  });

  it('spacing is |pixdim|; an unusable pixdim falls back to the affine column norm', () => {
    const negative = patched((view) => view.setFloat32(80, -0.8, true));
    expectClose(parseNifti(negative).spacing, f32(spacing), 0);
    const zero = patched((view) => view.setFloat32(84, 0, true));
    const v = parseNifti(zero);
    expect(v.spacing[1]).toBeCloseTo(0.3, 6);
    const nan = patched((view) => view.setFloat32(88, NaN, true));
    expect(parseNifti(nan).spacing[2]).toBeCloseTo(1.5, 6);
  });

  it('vox_offset 0 means right after the header; a larger one skips extensions', () => {
    const base = encodeNifti(createVolume(Uint8Array.from([7, 8]), [2, 1, 1]));
    const zero = base.slice();
    new DataView(zero.buffer).setFloat32(108, 0, true);
    expect(Array.from(parseNifti(zero).data)).toEqual([7, 8]);
    const extended = new Uint8Array(base.length + 16);
    extended.set(base.subarray(0, 352));
    extended.set([1, 0, 0, 0], 348);
    extended.set(base.subarray(352), 368);
    new DataView(extended.buffer).setFloat32(108, 368, true);
    expect(Array.from(parseNifti(extended).data)).toEqual([7, 8]);
    const fractional = base.slice();
    new DataView(fractional.buffer).setFloat32(108, 352.5, true);
    expect(() => parseNifti(fractional, 'frac.nii')).toThrow(/frac\.nii.*vox_offset/);
  });
});

describe('NIfTI round trip properties', () => {
  /** Rotation matrix of a random unit quaternion (any angle, so every branch of the qform fit runs). */
  const rotationArb = fc
    .tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
    .filter(([a, b, c, d]) => a * a + b * b + c * c + d * d > 0.01)
    .map(([a, b, c, d]) => {
      const n = Math.hypot(a, b, c, d);
      [a, b, c, d] = [a / n, b / n, c / n, d / n];
      return [
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
      ];
    });
  const axisPermutationArb = fc.constantFrom([0, 1, 2], [1, 0, 2], [2, 1, 0], [0, 2, 1]);
  const caseArb = fc.record({
    shape: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    spacing: fc.tuple(fc.double({ min: 0.1, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true }), fc.double({ min: 0.1, max: 5, noNaN: true })),
    rotation: fc.oneof(rotationArb, axisPermutationArb.map((p) => [0, 1, 2].map((i) => [0, 1, 2].map((j) => (p[i] === j ? (i === 1 ? -1 : 1) : 0))))),
    flip: fc.boolean(),
    offset: fc.tuple(fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -200, max: 200, noNaN: true })),
    datatype: fc.constantFrom(...(Object.keys(ARRAYS) as NiftiDatatype[])),
    gzip: fc.boolean(),
  });

  it('data, spacing and affine survive encode → parse; the qform matches the sform', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, spacing: sp, rotation, flip, offset, datatype, gzip }) => {
        const affine: number[] = [];
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) affine.push(rotation[i]![j]! * sp[j]! * (flip && j === 2 ? -1 : 1));
          affine.push(offset[i]!);
        }
        affine.push(0, 0, 0, 1);
        const n = shape[0] * shape[1] * shape[2];
        const volume = createVolume(ARRAYS[datatype](Array.from({ length: n }, (_, i) => i * 3 + 1)), shape as Vec3, { spacing: sp as Vec3, affine });
        const bytes = encodeNifti(volume, { gzip });
        const back = parseNifti(bytes);
        expect(Array.from(back.data)).toEqual(Array.from(volume.data));
        expect(back.shape).toEqual(shape);
        expectClose(back.spacing, f32(sp), 0);
        expectClose(back.affine, f32(affine), 0);
        const header = parseNiftiHeader(bytes);
        expect(header.qformCode).toBe(1);
        // The qform stores (b, c, d) as float32 and rebuilds a = sqrt(1 − b² − c² − d²): near a 180°
        // rotation (a ≈ 0) the angle is only good to about sqrt(float32 eps) ≈ 2.4e-4 rad, so the
        // rotation entries (times a spacing up to 5 mm) are compared at 5e-3; offsets at float32.
        const rotation3 = [0, 1, 2, 4, 5, 6, 8, 9, 10];
        expectClose(rotation3.map((k) => header.qformAffine[k]!), rotation3.map((k) => affine[k]!), 5e-3);
        expectClose([3, 7, 11].map((k) => header.qformAffine[k]!), [3, 7, 11].map((k) => affine[k]!), 2e-5);
      }),
      { numRuns: 200 },
    );
  });
});
