import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describeValue } from '@noether/autodiff';
import { FilesError } from './files-error';

/**
 * Creates `dir` (and its parents) when missing and proves that files can be created in it, by creating and
 * removing an exclusive probe file. Call it before long work whose results go there, so a read-only or
 * missing output folder fails in the first second, not after an hour of training.
 *
 * @throws {FilesError} `IO` naming the folder and the reason (read-only file system, permission denied, a
 *   file in the way); `INVALID_ARGUMENT` for a bad path.
 * @example checkWritableFolder('out/pinn/runs');
 */
export function checkWritableFolder(dir: string): void {
  const fn = 'checkWritableFolder';
  if (typeof dir !== 'string' || dir === '' || dir.includes('\0'))
    throw new FilesError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'dir' must be a non-empty folder path, got ${describeValue(dir)}`,
      { fn },
    );
  const probe = join(dir, `.noether-probe.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    nodeFs.mkdirSync(dir, { recursive: true });
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = nodeFs.constants;
    nodeFs.closeSync(nodeFs.openSync(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600));
    nodeFs.unlinkSync(probe);
  } catch (error) {
    throw new FilesError('IO', `${fn}(): folder '${dir}' is not writable: ${(error as Error).message}`, {
      fn,
      cause: error,
    });
  }
}
