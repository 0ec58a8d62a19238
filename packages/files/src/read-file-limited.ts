import * as nodeFs from 'node:fs';
import { describeValue } from '@noether/autodiff';
import { FilesError } from './files-error';

/** Default cap of {@link readFileLimited} and of the `@noether/datasets` readers: 1 GiB. */
export const DEFAULT_MAX_READ_BYTES = 2 ** 30;

/** Options of {@link readFileLimited} and {@link statRegularFile}. */
export interface ReadLimitOptions {
  /** Largest file accepted, in bytes. Default {@link DEFAULT_MAX_READ_BYTES} (1 GiB). */
  maxBytes?: number;
  /** The public function to name in error messages. Default `'readFileLimited'`. */
  fn?: string;
}

function kindOf(stat: nodeFs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function checkMaxBytes(fn: string, maxBytes: unknown): number {
  if (maxBytes === undefined) return DEFAULT_MAX_READ_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new FilesError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'options.maxBytes' must be an integer >= 0, got ${describeValue(maxBytes)}`,
      { fn },
    );
  return maxBytes;
}

function checkStat(where: { fn: string; path: string }, stat: nodeFs.Stats, maxBytes: number): void {
  const { fn, path } = where;
  if (!stat.isFile())
    throw new FilesError('IO', `${fn}(): cannot read '${path}': it is ${kindOf(stat)}, not a regular file`, {
      fn,
    });
  if (stat.size > maxBytes)
    throw new FilesError(
      'LIMIT_EXCEEDED',
      `${fn}(): file '${path}' has ${stat.size} bytes, more than the limit of ${maxBytes} (option maxBytes)`,
      { fn },
    );
}

/**
 * Checks that `path` is a regular file (after following symbolic links) no larger than `maxBytes`, and returns
 * its size. For readers that hand the path to another library.
 *
 * @throws {FilesError} `IO` when the file is missing, unreadable or not a regular file (`/dev/zero`, a FIFO, a
 *   folder); `LIMIT_EXCEEDED` when it is larger than `maxBytes`.
 * @example const size = statRegularFile('data.h5', { maxBytes: 2 ** 32, fn: 'readPdeBench' });
 */
export function statRegularFile(path: string, options: ReadLimitOptions = {}): number {
  const fn = options.fn ?? 'statRegularFile';
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  let stat: nodeFs.Stats;
  try {
    stat = nodeFs.statSync(path);
  } catch (error) {
    throw new FilesError('IO', `${fn}(): cannot read '${path}': ${(error as Error).message}`, {
      fn,
      cause: error,
    });
  }
  checkStat({ fn, path }, stat, maxBytes);
  return stat.size;
}

/**
 * Reads a whole file, refusing before any allocation when it is not a regular file or is larger than
 * `maxBytes`. The file is opened non-blocking (a FIFO cannot hang the open) and checked with `fstat` on the
 * open descriptor, so a symbolic link swapped between the check and the read changes nothing.
 *
 * @throws {FilesError} `IO` (missing, unreadable, not a regular file, changed size while read);
 *   `LIMIT_EXCEEDED` (larger than `maxBytes`); `INVALID_ARGUMENT` (bad path or limit).
 * @example const bytes = readFileLimited('u.npy', { maxBytes: 64 * 2 ** 20 });
 */
export function readFileLimited(path: string, options: ReadLimitOptions = {}): Uint8Array {
  const fn = options.fn ?? 'readFileLimited';
  if (typeof path !== 'string' || path === '' || path.includes('\0'))
    throw new FilesError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'path' must be a non-empty file path, got ${describeValue(path)}`,
      { fn },
    );
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  let fd: number;
  try {
    fd = nodeFs.openSync(path, nodeFs.constants.O_RDONLY | nodeFs.constants.O_NONBLOCK);
  } catch (error) {
    throw new FilesError('IO', `${fn}(): cannot read '${path}': ${(error as Error).message}`, {
      fn,
      cause: error,
    });
  }
  try {
    const stat = nodeFs.fstatSync(fd);
    checkStat({ fn, path }, stat, maxBytes);
    const out = new Uint8Array(stat.size);
    let done = 0;
    while (done < out.length) {
      const n = nodeFs.readSync(fd, out, done, out.length - done, done);
      if (n === 0)
        throw new FilesError(
          'IO',
          `${fn}(): file '${path}' shrank while being read (${done} of ${out.length} bytes)`,
          { fn },
        );
      done += n;
    }
    return out;
  } catch (error) {
    if (error instanceof FilesError) throw error;
    throw new FilesError('IO', `${fn}(): cannot read '${path}': ${(error as Error).message}`, {
      fn,
      cause: error,
    });
  } finally {
    nodeFs.closeSync(fd);
  }
}
