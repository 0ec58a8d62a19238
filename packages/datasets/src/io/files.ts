import { basename } from 'node:path';
import { FilesError, readFileLimited, writeFileAtomic, type WriteFileAtomicResult } from '@noether/files';
import { DatasetsError } from '../errors';
import { decodeNpy, encodeNpy, type NpyArray } from './npy';
import { readZip, writeZip } from './zip';

/** Limits of the readers ({@link loadNpy}, {@link loadNpz}, `readPdeBench`). */
export interface ReadOptions {
  /**
   * Largest file, and largest total of decoded bytes (uncompressed members, HDF5 datasets as float64), in
   * bytes. Default 1 GiB. Files beyond it are refused before anything is allocated.
   */
  maxBytes?: number;
}

/** Re-raises a `FilesError` from `@noether/files` as this package's error (same code and message). */
function asDatasetsError(error: unknown): never {
  if (error instanceof FilesError) throw new DatasetsError(error.code, error.message, { cause: error });
  throw error;
}

/**
 * Writes `bytes` to `path` atomically with `@noether/files`' hardened writer (exclusive temporary file,
 * every byte written, fsync, rename; a symbolic link or other non-regular file at `path` is refused).
 * @returns whether an existing file was replaced.
 * @throws DatasetsError `IO` naming the file and the reason.
 */
function writeAtomic(path: string, bytes: Uint8Array): WriteFileAtomicResult {
  try {
    return writeFileAtomic(path, bytes);
  } catch (error) {
    return asDatasetsError(error);
  }
}

/** Reads a whole file through `@noether/files`' bounded reader, as a DatasetsError on failure. */
export function readBytesLimited(fn: string, path: string, options: ReadOptions): Uint8Array {
  try {
    return readFileLimited(path, {
      fn,
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    });
  } catch (error) {
    return asDatasetsError(error);
  }
}

/**
 * Saves one array as a .npy file (atomically). `numpy.load(path)` opens it.
 * @example saveNpy('u.npy', { data: sol.u, shape: sol.shape });
 */
export function saveNpy(path: string, array: NpyArray): WriteFileAtomicResult {
  return writeAtomic(path, encodeNpy(array));
}

/**
 * Loads a .npy file.
 * @throws DatasetsError naming the file: `IO` when it is missing or not a regular file, `LIMIT_EXCEEDED`
 *   beyond `options.maxBytes`, `FORMAT` when it is corrupt or truncated.
 */
export function loadNpy(path: string, options: ReadOptions = {}): NpyArray {
  return decodeNpy(readBytesLimited('loadNpy', path, options), path);
}

/** Contents of a dataset archive: named arrays and JSON metadata. */
export interface NpzContents {
  readonly arrays: Readonly<Record<string, NpyArray>>;
  /** Parsed `metadata.json` member, or {} when absent. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * Saves named arrays (and optional JSON metadata as the member `metadata.json`) as an uncompressed .npz
 * archive, atomically and byte-reproducibly. `numpy.load(path)` opens it: `f['u']` is an array and
 * `json.loads(f['metadata.json'])` the metadata.
 * @returns what the writer did (`replaced` says whether an existing file was replaced).
 * @throws DatasetsError `invalid-argument` for a bad array name or shape; `IO` when writing fails (a full
 *   disk, a symbolic link at `path`, a missing or read-only folder).
 * @example saveNpz('kdv.npz', { x: { data: sol.x, shape: [256] } }, { pde: 'kdv' });
 */
export function saveNpz(
  path: string,
  arrays: Record<string, NpyArray>,
  metadata?: Record<string, unknown>,
): WriteFileAtomicResult {
  const entries = Object.entries(arrays).map(([name, a]) => {
    if (!/^[A-Za-z_][\w.-]*$/.test(name))
      throw new DatasetsError(
        'INVALID_ARGUMENT',
        `saveNpz(): array name '${name}' must be a plain identifier`,
      );
    return { name: `${name}.npy`, data: encodeNpy(a) };
  });
  if (metadata !== undefined)
    entries.push({
      name: 'metadata.json',
      data: new TextEncoder().encode(JSON.stringify(metadata, null, 2)),
    });
  return writeAtomic(path, writeZip(entries));
}

/**
 * Loads a .npz archive written by {@link saveNpz} or by numpy (savez / savez_compressed). Every member must be
 * a `.npy` array or `metadata.json`, and there must be at least one array: another zip is not an npz.
 * @throws DatasetsError `IO` (missing, unreadable, not a regular file), `LIMIT_EXCEEDED` (file or decoded
 *   members beyond `options.maxBytes`), `FORMAT` (bad zip, CRC, truncated or overlapping member, malformed
 *   .npy or metadata, a zip that is not an npz), each naming the file and the member.
 */
export function loadNpz(path: string, options: ReadOptions = {}): NpzContents {
  const entries = readZip(readBytesLimited('loadNpz', path, options), path, options);
  const arrays: Record<string, NpyArray> = Object.create(null) as Record<string, NpyArray>;
  let metadata: Record<string, unknown> = {};
  const other = entries.filter((e) => !e.name.endsWith('.npy') && basename(e.name) !== 'metadata.json');
  if (other.length > 0 || !entries.some((e) => e.name.endsWith('.npy')))
    throw new DatasetsError(
      'FORMAT',
      `loadNpz(): file '${path}' is a zip archive but not an npz: ${other.length > 0 ? `members ${other.map((e) => `'${e.name}'`).join(', ')} are not .npy arrays` : 'it holds no .npy arrays'}`,
    );
  for (const e of entries) {
    if (e.name.endsWith('.npy')) arrays[e.name.slice(0, -4)] = decodeNpy(e.data, `${path}:${e.name}`);
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(e.data));
      } catch (error) {
        throw new DatasetsError(
          'FORMAT',
          `loadNpz(): file '${path}' has invalid JSON in 'metadata.json': ${(error as Error).message}`,
        );
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new DatasetsError('FORMAT', `loadNpz(): file '${path}': 'metadata.json' is not a JSON object`);
      metadata = parsed as Record<string, unknown>;
    }
  }
  return { arrays, metadata };
}

/**
 * Checks that an archive holds the named arrays with the expected ranks (and optional exact shapes).
 * @throws DatasetsError `FILE_MISMATCH` naming the file, the array and the expected versus found shape.
 */
export function expectArrays(
  path: string,
  contents: NpzContents,
  expected: Record<string, { rank?: number; shape?: readonly (number | null)[] }>,
): void {
  for (const [name, spec] of Object.entries(expected)) {
    const a = contents.arrays[name];
    if (!a)
      throw new DatasetsError(
        'FILE_MISMATCH',
        `file '${path}' has no array '${name}' (found: ${Object.keys(contents.arrays).join(', ') || 'none'})`,
      );
    const rank = spec.rank ?? spec.shape?.length;
    const shapeOk = !spec.shape || spec.shape.every((d, i) => d === null || a.shape[i] === d);
    if ((rank !== undefined && a.shape.length !== rank) || !shapeOk)
      throw new DatasetsError(
        'FILE_MISMATCH',
        `file '${path}': array '${name}' has shape [${a.shape.join(', ')}], expected ${spec.shape ? `[${spec.shape.map((d) => d ?? '*').join(', ')}]` : `rank ${rank}`}`,
      );
  }
}
