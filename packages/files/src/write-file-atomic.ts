import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { describeValue } from '@noether/autodiff';
import { FilesError } from './files-error';

/** The `node:fs` calls the writer makes; {@link WriteFileAtomicOptions.fs} replaces some for fault injection. */
export type WriterFs = Pick<
  typeof nodeFs,
  | 'openSync'
  | 'writeSync'
  | 'fsyncSync'
  | 'closeSync'
  | 'renameSync'
  | 'unlinkSync'
  | 'lstatSync'
  | 'readdirSync'
>;

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Permission bits of a new file (before the umask). Default `0o644`. */
  mode?: number;
  /**
   * Remove temporary files left by earlier writers of the same target whose process no longer runs (a
   * `kill -9` inside a write). Default `true`; the removed names are returned either way.
   */
  removeStale?: boolean;
  /** Replacement `node:fs` functions, for fault injection in tests (a short write, `ENOSPC`). */
  fs?: Partial<WriterFs>;
}

/** What {@link writeFileAtomic} did. */
export interface WriteFileAtomicResult {
  /** The target path as given. */
  path: string;
  /** Bytes written (all of them: a short write is an error). */
  bytes: number;
  /** `true` when an existing regular file was replaced. */
  replaced: boolean;
  /** Temporary files of earlier, dead writers of this target that were removed (or found, with `removeStale: false`). */
  staleTempFiles: string[];
}

const TEMP_SUFFIX = /^\.(.*)\.(\d+)\.([0-9a-f]{16})\.tmp$/;

/** The temp-file prefix for a target name, shortened so the temp name stays below NAME_MAX (255). */
const tempStem = (name: string) => (name.length > 200 ? name.slice(0, 200) : name);

function kindOf(stat: nodeFs.Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `data` to `path` so that readers see either the previous file or the complete new one, never a
 * partial file, and so that nothing outside the target's folder is touched:
 *
 * 1. refuses when `path` exists and is not a regular file (a symbolic link, a directory, a device);
 * 2. creates a temporary file with an unpredictable name (`.<name>.<pid>.<64 random bits>.tmp`) in the same
 *    folder, exclusively and without following symbolic links (`O_CREAT | O_EXCL | O_NOFOLLOW`);
 * 3. writes in a loop until every byte is written (a write that makes no progress is an error), then
 *    `fsync`s the file, renames it over `path` and `fsync`s the folder;
 * 4. on every failure path closes and removes its temporary file and throws; the previous file stays intact.
 *
 * Temporary files of earlier writers of the same target whose process is gone are removed (and listed in the
 * result). Synchronous: one call is one atomic replacement.
 *
 * @param path - the target file; its folder must exist.
 * @param data - bytes, or text (written as UTF-8).
 * @throws {FilesError} `INVALID_ARGUMENT` for a bad path or data; `IO` naming the file and the reason (not a
 *   regular file, permission denied, no space left, short write).
 * @example
 * const { replaced } = writeFileAtomic('out/data.npz', bytes);
 * if (replaced) console.log('replaced out/data.npz');
 * @see https://lwn.net/Articles/457667/ (ensuring data reaches disk)
 */
export function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteFileAtomicOptions = {},
): WriteFileAtomicResult {
  const fn = 'writeFileAtomic';
  if (typeof path !== 'string' || path === '' || path.includes('\0'))
    throw new FilesError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'path' must be a non-empty file path, got ${describeValue(path)}`,
      { fn },
    );
  if (typeof data !== 'string' && !(data instanceof Uint8Array))
    throw new FilesError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'data' must be a Uint8Array or a string, got ${describeValue(data)}`,
      { fn },
    );
  const fs: WriterFs = { ...nodeFs, ...options.fs };
  const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data;
  const absolute = resolve(path);
  const dir = dirname(absolute);
  const name = basename(absolute);
  const fail = (reason: string, cause?: unknown): never => {
    throw new FilesError('IO', `${fn}(): cannot write '${path}': ${reason}`, { fn, cause });
  };

  const targetStat = (): nodeFs.Stats | undefined => {
    try {
      return fs.lstatSync(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return fail((error as Error).message, error);
    }
  };
  const before = targetStat();
  if (before && !before.isFile()) fail(`it is ${kindOf(before)}, not a regular file; refusing to replace it`);

  const staleTempFiles = findStale(fs, dir, name);
  if (options.removeStale !== false)
    for (const stale of staleTempFiles) {
      try {
        fs.unlinkSync(`${dir}/${stale}`);
      } catch {
        // another writer may have removed it first
      }
    }

  const tmp = `${dir}/.${tempStem(name)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = nodeFs.constants;
  let fd: number | undefined;
  let created = false;
  try {
    try {
      fd = fs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, options.mode ?? 0o644);
    } catch (error) {
      return fail(`cannot create a temporary file in '${dir}': ${(error as Error).message}`, error);
    }
    created = true;
    let written = 0;
    while (written < bytes.length) {
      let n: number;
      try {
        n = fs.writeSync(fd, bytes, written, bytes.length - written, written);
      } catch (error) {
        return fail(`${(error as Error).message} after ${written} of ${bytes.length} bytes`, error);
      }
      if (!(n > 0))
        fail(`short write: the system accepted ${written} of ${bytes.length} bytes and then none`);
      written += n;
    }
    try {
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
    } catch (error) {
      return fail((error as Error).message, error);
    }
    // The target may have been swapped for a link or a folder while we wrote: check again before the rename.
    const now = targetStat();
    if (now && !now.isFile()) fail(`it is ${kindOf(now)}, not a regular file; refusing to replace it`);
    try {
      fs.renameSync(tmp, absolute);
    } catch (error) {
      return fail((error as Error).message, error);
    }
    created = false;
    syncFolder(fs, dir);
    return { path, bytes: bytes.length, replaced: now !== undefined, staleTempFiles };
  } finally {
    if (fd !== undefined)
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is reported
      }
    if (created)
      try {
        fs.unlinkSync(tmp);
      } catch {
        // already failing; the original error is reported
      }
  }
}

/** Temporary files of `name` in `dir` left by writers whose process is gone. */
function findStale(fs: WriterFs, dir: string, name: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return []; // the folder is missing or unreadable: the open below reports it
  }
  const stem = tempStem(name);
  return entries.filter((entry) => {
    const m = TEMP_SUFFIX.exec(entry);
    return m !== null && m[1] === stem && !processIsAlive(Number(m[2]));
  });
}

/** fsync of the folder, so the rename itself survives a power loss (best effort where unsupported). */
function syncFolder(fs: WriterFs, dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, nodeFs.constants.O_RDONLY);
    fs.fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder; the rename has happened either way
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
