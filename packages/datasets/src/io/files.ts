import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { DatasetsError } from '../errors';
import { decodeNpy, encodeNpy, type NpyArray } from './npy';
import { readZip, writeZip } from './zip';

let tempCounter = 0;

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, then rename over the
 * target, so readers see either the old file or the complete new one.
 * @throws DatasetsError `IO` naming the file when writing or renaming fails.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}-${++tempCounter}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may not exist
    }
    throw new DatasetsError('IO', `writeFileAtomic(): cannot write '${path}': ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function readBytes(fn: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new DatasetsError('IO', `${fn}(): cannot read '${path}': ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Saves one array as a .npy file (atomically). `numpy.load(path)` opens it.
 * @example saveNpy('u.npy', { data: sol.u, shape: sol.shape });
 */
export function saveNpy(path: string, array: NpyArray): void {
  writeFileAtomic(path, encodeNpy(array));
}

/** Loads a .npy file. @throws DatasetsError naming the file when it is missing, corrupt or truncated. */
export function loadNpy(path: string): NpyArray {
  return decodeNpy(readBytes('loadNpy', path), path);
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
 * @throws DatasetsError `INVALID_ARGUMENT` for a bad array name or shape; `IO` when writing fails.
 * @example saveNpz('kdv.npz', { x: { data: sol.x, shape: [256] } }, { pde: 'kdv' });
 */
export function saveNpz(
  path: string,
  arrays: Record<string, NpyArray>,
  metadata?: Record<string, unknown>,
): void {
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
  writeFileAtomic(path, writeZip(entries));
}

/**
 * Loads a .npz archive written by {@link saveNpz} or by numpy (savez / savez_compressed).
 * @throws DatasetsError `IO` (missing/unreadable), `FORMAT` (bad zip, CRC, truncated member,
 *   malformed .npy or metadata), each naming the file and the member.
 */
export function loadNpz(path: string): NpzContents {
  const entries = readZip(readBytes('loadNpz', path), path);
  const arrays: Record<string, NpyArray> = {};
  let metadata: Record<string, unknown> = {};
  for (const e of entries) {
    if (e.name.endsWith('.npy')) arrays[e.name.slice(0, -4)] = decodeNpy(e.data, `${path}:${e.name}`);
    else if (basename(e.name) === 'metadata.json') {
      try {
        metadata = JSON.parse(new TextDecoder().decode(e.data)) as Record<string, unknown>;
      } catch (error) {
        throw new DatasetsError(
          'FORMAT',
          `loadNpz(): file '${path}' has invalid JSON in 'metadata.json': ${(error as Error).message}`,
        );
      }
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
