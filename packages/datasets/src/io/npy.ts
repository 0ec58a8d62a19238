import { DatasetsError } from '../errors';

/** Typed arrays that map to NumPy dtypes. */
export type NpyData =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint8Array
  | BigInt64Array
  | Int16Array
  | Uint16Array
  | Uint32Array
  | Int8Array;

/** An n-dimensional array as stored in a .npy file (C order). */
export interface NpyArray {
  readonly data: NpyData;
  readonly shape: readonly number[];
}

const DTYPES: Record<string, { ctor: new (n: number) => NpyData; size: number }> = {
  f8: { ctor: Float64Array, size: 8 },
  f4: { ctor: Float32Array, size: 4 },
  i4: { ctor: Int32Array, size: 4 },
  u4: { ctor: Uint32Array, size: 4 },
  i2: { ctor: Int16Array, size: 2 },
  u2: { ctor: Uint16Array, size: 2 },
  i8: { ctor: BigInt64Array, size: 8 },
  u1: { ctor: Uint8Array, size: 1 },
  i1: { ctor: Int8Array, size: 1 },
  b1: { ctor: Uint8Array, size: 1 },
};

function descrOf(data: NpyData): string {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof Int8Array) return '|i1';
  return '|u1';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Encodes an array as a NumPy .npy file (format version 1.0, or 2.0 when the header exceeds 65535 bytes):
 * magic `\x93NUMPY`, version, little-endian header length, then the header
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and a newline so the
 * data start on a multiple of 64 bytes, then the raw little-endian C-order data.
 * @throws DatasetsError `INVALID_ARGUMENT` when the shape does not match the data length.
 * @example encodeNpy({ data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] });
 * @see NumPy Enhancement Proposal 1, "A simple file format for NumPy arrays" (numpy.lib.format).
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { data, shape } = array;
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || n !== data.length)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `encodeNpy(): shape [${shape.join(', ')}] does not match ${data.length} elements`,
    );
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 65535) {
    version = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  const header = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const bytes = new Uint8Array(total + data.byteLength);
  bytes.set(MAGIC, 0);
  bytes[6] = version;
  bytes[7] = 0;
  const v = new DataView(bytes.buffer);
  if (version === 1) v.setUint16(8, header.length, true);
  else v.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[pre + i] = header.charCodeAt(i);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return bytes;
}

/**
 * Decodes a NumPy .npy file (versions 1.0–3.0; little-endian or byte-order-free dtypes f8, f4, i8, i4, u4,
 * i2, u2, i1, u1, b1; C or Fortran order, the latter returned transposed to C order). `label` names the file
 * in error messages.
 * @throws DatasetsError `FORMAT` for a bad magic string, a malformed header or truncated data;
 *   `UNSUPPORTED` for big-endian, structured or object dtypes.
 */
export function decodeNpy(bytes: Uint8Array, label: string): NpyArray {
  const fail = (what: string, code: 'FORMAT' | 'UNSUPPORTED' = 'FORMAT'): never => {
    throw new DatasetsError(code, `decodeNpy(): file '${label}' ${what}`);
  };
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m))
    fail('is not a .npy file (bad magic string)');
  const version = bytes[6]!;
  if (version < 1 || version > 3)
    fail(`has unsupported .npy format version ${version}.${bytes[7]}`, 'UNSUPPORTED');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pre = version === 1 ? 10 : 12;
  if (bytes.length < pre) fail('is truncated inside the preamble');
  const hlen = version === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  if (pre + hlen > bytes.length)
    fail(`is truncated inside the header (needs ${pre + hlen} bytes, has ${bytes.length})`);
  const header = new TextDecoder(version === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(pre, pre + hlen));
  const descr = /'descr'\s*:\s*'([<>|=])([a-zA-Z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM) return fail(`has a malformed header: ${JSON.stringify(header.trim())}`);
  const [, order, code] = descr;
  const dt = DTYPES[code!];
  if (!dt) return fail(`has unsupported dtype '${order}${code}'`, 'UNSUPPORTED');
  if (order === '>' && dt.size > 1)
    fail(`has big-endian dtype '${order}${code}' (unsupported)`, 'UNSUPPORTED');
  const shape = shapeM[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`has a malformed shape (${shapeM[1]})`);
  const n = shape.reduce((a, b) => a * b, 1);
  const start = pre + hlen;
  const need = n * dt.size;
  if (bytes.length - start < need)
    fail(`is truncated: shape [${shape.join(', ')}] needs ${need} data bytes, found ${bytes.length - start}`);
  if (bytes.length - start > need)
    fail(`has ${bytes.length - start - need} unexpected trailing bytes after the data`);
  const data = new dt.ctor(n);
  new Uint8Array(data.buffer).set(bytes.subarray(start, start + need));
  if (fortran[1] === 'True' && shape.length > 1) return { data: toCOrder(data, shape, dt.ctor), shape };
  return { data, shape };
}

function toCOrder(data: NpyData, shape: number[], ctor: new (n: number) => NpyData): NpyData {
  const out = new ctor(data.length);
  const r = shape.length;
  const idx = new Array<number>(r).fill(0);
  for (let c = 0; c < data.length; c++) {
    // c is the C-order linear index; compute its Fortran-order offset.
    let f = 0;
    let stride = 1;
    for (let k = 0; k < r; k++) {
      f += idx[k]! * stride;
      stride *= shape[k]!;
    }
    (out as unknown as number[])[c] = (data as unknown as number[])[f]!;
    for (let k = r - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}
