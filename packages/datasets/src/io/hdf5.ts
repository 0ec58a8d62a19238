import type * as H5Module from 'h5wasm';
import { writeFileAtomic } from '@noether/files';
import { DatasetsError } from '../errors';
import { readBytesLimited, type ReadOptions } from './files';
import type { NpyArray } from './npy';

/** A PDEBench-layout HDF5 file: the solution `tensor` and its coordinates. */
export interface PdeBenchData {
  /** `tensor`: PDEBench layout `[samples, nt, nx(, ny), (channels)]`, as float64. */
  readonly tensor: NpyArray;
  /** `x-coordinate` (and `y-coordinate` in 2D). */
  readonly x: Float64Array;
  readonly y?: Float64Array;
  /** `t-coordinate`. */
  readonly t: Float64Array;
  /** Every dataset at the root as stored: name, element type (`float32`, `float64`, `int64`, ...), shape. */
  readonly datasets: readonly {
    readonly name: string;
    readonly dtype: string;
    readonly shape: readonly number[];
  }[];
  /** Attributes of the root group (scalars, strings and small arrays, as JSON-compatible values). */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** The element type of an h5wasm dataset or attribute as a numpy-style name. */
function dtypeName(metadata: { type?: number; size?: number; signed?: boolean } | undefined): string {
  if (!metadata) return 'unknown';
  const bits = 8 * (metadata.size ?? 0);
  // HDF5 type classes: 0 integer, 1 float, 3 string.
  if (metadata.type === 1) return `float${bits}`;
  if (metadata.type === 0) return `${metadata.signed === false ? 'uint' : 'int'}${bits}`;
  if (metadata.type === 3) return 'string';
  return `class ${metadata.type ?? '?'}`;
}

type H5 = typeof H5Module;
let h5Promise: Promise<H5> | undefined;
let memfsCounter = 0;

/**
 * h5wasm's in-memory (MEMFS) build: the file's bytes are copied into a private virtual file system, so HDF5
 * cannot open any other file (external storage, external links, virtual-dataset sources find nothing), and
 * HDF5 errors are thrown as exceptions instead of being printed.
 */
async function loadH5(): Promise<H5> {
  h5Promise ??= import('h5wasm').then(async (h5wasm) => {
    const module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    return h5wasm;
  });
  return h5Promise;
}

/** The innermost reason of an `HDF5-DIAG` error stack ("file signature not found"), not its 50 lines. */
function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = [...text.matchAll(/#\d+: .* in (\w+)\(\): (.*)$/gm)];
  const last = lines[lines.length - 1];
  return last ? `${last[2]!.trim()} (in ${last[1]})` : text.split('\n')[0]!;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5 superblock signature \x89HDF\r\n\x1a\n at offset 0, 512, 1024, 2048, ... */
function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let offset = 0; offset + 8 <= bytes.length; offset = offset === 0 ? 512 : offset * 2)
    if (HDF5_SIGNATURE.every((b, i) => bytes[offset + i] === b)) return true;
  return false;
}

/**
 * Reads a PDEBench-layout HDF5 file (datasets `tensor`, `x-coordinate`, `t-coordinate`, optionally
 * `y-coordinate`) with h5wasm (WebAssembly HDF5, works offline). Values are converted to float64.
 *
 * Hostile files are refused: the file must be a regular file no larger than `options.maxBytes` (default
 * 1 GiB); each dataset's declared size (elements x 8 bytes as float64, plus its stored width) is checked
 * against the same cap before it is read (a few-KB file of compressed fill values can declare gigabytes);
 * external links, virtual datasets and external raw-data storage (all of which read other files) are refused;
 * HDF5's error stack is reduced to one line naming the file and the problem.
 * @throws DatasetsError `IO` when the file is missing or not a regular file; `LIMIT_EXCEEDED` beyond
 *   `maxBytes`; `FORMAT` when HDF5 cannot open it, a dataset is missing, not numeric, refers to another file,
 *   or its length disagrees with the tensor's shape.
 * @example const { tensor, x, t } = await readPdeBench('1D_Advection_Sols_beta0.1.hdf5');
 * @see M. Takamoto et al., "PDEBench: An Extensive Benchmark for Scientific Machine Learning", NeurIPS 2022.
 */
export async function readPdeBench(path: string, options: ReadOptions = {}): Promise<PdeBenchData> {
  const fn = 'readPdeBench';
  const maxBytes = options.maxBytes ?? 2 ** 30;
  const bytes = readBytesLimited(fn, path, options);
  const format = (what: string, cause?: unknown): never => {
    throw new DatasetsError('FORMAT', `${fn}(): file '${path}'${what.startsWith(':') ? '' : ' '}${what}`, {
      cause,
    });
  };
  if (!hasHdf5Signature(bytes)) format('is not a readable HDF5 file (no HDF5 signature)');
  const h5wasm = await loadH5();
  const fs = h5wasm.FS as unknown as {
    writeFile(p: string, d: Uint8Array): void;
    unlink(p: string): void;
  };
  const memPath = `/noether-${process.pid}-${++memfsCounter}.h5`;
  fs.writeFile(memPath, bytes);
  let file: InstanceType<H5['File']> | undefined;
  try {
    try {
      file = new h5wasm.File(memPath, 'r');
    } catch (error) {
      return format(`is not a readable HDF5 file: ${hdf5Reason(error)}`, error);
    }
    const opened = file;
    let budget = maxBytes;
    const get = (name: string, required: boolean) => {
      let entity: ReturnType<typeof opened.get>;
      try {
        entity = opened.get(name);
      } catch (error) {
        return format(`cannot open '${name}': ${hdf5Reason(error)}`, error);
      }
      if (entity === null) {
        if (!required) return undefined;
        return format(`has no dataset '${name}' (found: ${opened.keys().join(', ') || 'none'})`);
      }
      if (entity instanceof h5wasm.ExternalLink)
        format(
          `: '${name}' is an external link to '${entity.filename}:${entity.obj_path}' (external links are refused)`,
        );
      if (!(entity instanceof h5wasm.Dataset)) return format(`: '${name}' is not a dataset`);
      const meta = entity.metadata;
      if (meta.virtual_sources && meta.virtual_sources.length > 0)
        format(`: '${name}' is a virtual dataset reading '${meta.virtual_sources[0]!.file_name}' (refused)`);
      // h5wasm type codes: 0 integer, 1 float (H5T_class_t).
      if (!meta.shape || (meta.type !== 0 && meta.type !== 1) || meta.vlen)
        format(`: '${name}' is not a numeric array`);
      const elements = meta.shape!.reduce((a, b) => a * b, 1);
      const need = elements * (8 + meta.size);
      if (need > budget)
        throw new DatasetsError(
          'LIMIT_EXCEEDED',
          `${fn}(): file '${path}': dataset '${name}' [${meta.shape!.join(', ')}] needs ${need} bytes to read, more than the ${budget} left of the limit of ${maxBytes} (option maxBytes)`,
        );
      budget -= need;
      let raw: unknown;
      try {
        raw = entity.value;
      } catch (error) {
        const reason = hdf5Reason(error);
        return format(
          /external/i.test(reason)
            ? `: '${name}' stores its data in another file (external storage is refused): ${reason}`
            : `: cannot read '${name}': ${reason}`,
          error,
        );
      }
      const values = raw as ArrayLike<number | bigint>;
      if (values === null || typeof values !== 'object' || values.length !== elements)
        format(`: '${name}' could not be read as ${elements} numbers`);
      return { shape: meta.shape!, data: Float64Array.from(values as ArrayLike<number>, Number) };
    };
    const tensor = get('tensor', true)!;
    const x = get('x-coordinate', true)!;
    const t = get('t-coordinate', true)!;
    const y = get('y-coordinate', false);
    const s = tensor.shape;
    if (s.length < 3) format(`: 'tensor' has shape [${s.join(', ')}], expected [samples, nt, nx, ...]`);
    // PDEBench stores nt + 1 or nt coordinates depending on the set; accept either.
    if (t.data.length !== s[1] && t.data.length !== s[1]! + 1)
      format(`: 't-coordinate' has ${t.data.length} values but 'tensor' has ${s[1]} time levels`);
    if (x.data.length !== s[2])
      format(`: 'x-coordinate' has ${x.data.length} values but 'tensor' has ${s[2]} x points`);
    const datasets = opened.keys().flatMap((name) => {
      const d = opened.get(name) as {
        shape?: number[] | null;
        metadata?: Parameters<typeof dtypeName>[0];
      } | null;
      return d && Array.isArray(d.shape) ? [{ name, dtype: dtypeName(d.metadata), shape: d.shape }] : [];
    });
    const attributes: Record<string, unknown> = {};
    for (const [name, attr] of Object.entries(opened.attrs)) attributes[name] = attr.json_value;
    return {
      tensor: { data: tensor.data, shape: s },
      x: x.data,
      ...(y ? { y: y.data } : {}),
      t: t.data,
      datasets,
      attributes,
    };
  } finally {
    try {
      file?.close();
    } catch {
      // closing a half-open file can fail; the memory file is removed below either way
    }
    fs.unlink(memPath);
  }
}

/** What {@link writePdeBench} writes: a solution tensor `[samples, nt, nx(, ny)]` and its coordinates. */
export interface PdeBenchInput {
  /** Row-major values, `shape` as given. */
  readonly tensor: Float64Array;
  /** `[samples, nt, nx]` or `[samples, nt, nx, ny]`. */
  readonly shape: readonly number[];
  readonly x: Float64Array;
  readonly y?: Float64Array;
  readonly t: Float64Array;
}

/**
 * Writes a PDEBench-layout HDF5 file: datasets `tensor` `[samples, nt, nx(, ny)]`, `x-coordinate`,
 * (`y-coordinate`,) `t-coordinate`, all float64, plus root attributes (strings and numbers, e.g. the
 * generator's name and seed). PDEBench's loaders (`h5py.File(path)['tensor']`) read it as they read the
 * PDEBench sets; {@link readPdeBench} reads it back. Encoded in h5wasm's in-memory file system, then written
 * with `@noether/files`' atomic writer.
 * @throws DatasetsError `INVALID_ARGUMENT` when the shape and the arrays disagree; `IO` when the file
 *   cannot be written.
 * @example await writePdeBench('burgers.h5', batch, { pde: 'burgers', seed: 0 });
 * @see M. Takamoto et al., "PDEBench: An Extensive Benchmark for Scientific Machine Learning", NeurIPS 2022.
 */
export async function writePdeBench(
  path: string,
  data: PdeBenchInput,
  attributes: Readonly<Record<string, string | number>> = {},
): Promise<void> {
  const fn = 'writePdeBench';
  const s = data.shape;
  const n = s.reduce((a, b) => a * b, 1);
  const bad = (what: string) => new DatasetsError('INVALID_ARGUMENT', `${fn}(): ${what}`);
  if (s.length !== 3 && s.length !== 4)
    throw bad(`argument 'shape' must be [samples, nt, nx(, ny)], got [${s.join(', ')}]`);
  if (data.tensor.length !== n)
    throw bad(
      `argument 'tensor' must hold ${n} values for shape [${s.join(', ')}], got ${data.tensor.length}`,
    );
  if (data.t.length !== s[1]) throw bad(`argument 't' must hold ${s[1]} values (nt), got ${data.t.length}`);
  if (data.x.length !== s[2]) throw bad(`argument 'x' must hold ${s[2]} values (nx), got ${data.x.length}`);
  if (s.length === 4 && data.y?.length !== s[3])
    throw bad(`argument 'y' must hold ${s[3]} values (ny), got ${data.y?.length ?? 'none'}`);
  const h5wasm = await loadH5();
  const fs = h5wasm.FS as unknown as {
    readFile(p: string): Uint8Array;
    unlink(p: string): void;
  };
  const memPath = `/noether-out-${process.pid}-${++memfsCounter}.h5`;
  let bytes: Uint8Array;
  try {
    const file = new h5wasm.File(memPath, 'w');
    try {
      file.create_dataset({ name: 'tensor', data: data.tensor, shape: [...s], dtype: '<d' });
      file.create_dataset({ name: 'x-coordinate', data: data.x, dtype: '<d' });
      if (data.y) file.create_dataset({ name: 'y-coordinate', data: data.y, dtype: '<d' });
      file.create_dataset({ name: 't-coordinate', data: data.t, dtype: '<d' });
      for (const [k, v] of Object.entries(attributes)) file.create_attribute(k, v);
    } finally {
      file.close();
    }
    bytes = fs.readFile(memPath);
  } catch (error) {
    throw new DatasetsError('FORMAT', `${fn}(): cannot encode '${path}': ${hdf5Reason(error)}`, {
      cause: error,
    });
  } finally {
    try {
      fs.unlink(memPath);
    } catch {
      // the memory file may not exist when File() failed
    }
  }
  try {
    writeFileAtomic(path, bytes);
  } catch (error) {
    throw new DatasetsError('IO', `${fn}(): cannot write '${path}': ${(error as Error).message}`, {
      cause: error,
    });
  }
}
