import { NoetherError } from '@noether/autodiff';

/** Machine-readable reason codes of {@link FilesError} (the shared meanings of CONTRIBUTING.md). */
export type FilesErrorCode = 'INVALID_ARGUMENT' | 'IO' | 'FORMAT' | 'LIMIT_EXCEEDED';

/**
 * The one error class of `@noether/files`. `IO`: the operating system refused (permissions, full disk, a path
 * that is not a regular file); `LIMIT_EXCEEDED`: a file is larger than the reader's cap; `INVALID_ARGUMENT`:
 * a bad path or option. Messages name the function and the file.
 *
 * @example
 * try { writeFileAtomic('out/a.npz', bytes); }
 * catch (e) { if (e instanceof FilesError && e.code === 'IO') console.error(e.message); }
 */
export class FilesError extends NoetherError<FilesErrorCode> {
  constructor(code: FilesErrorCode, message: string, options?: { fn?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'FilesError';
  }
}
