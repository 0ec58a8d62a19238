import { checkCheckpoint } from './checkpoint';
import type { Checkpoint, CheckpointStore } from './checkpoint';
import { OptimError, invalid } from './errors';

/** Options of {@link fileCheckpointStore}. */
export interface FileCheckpointStoreOptions {
  /** Largest checkpoint file `load` accepts, in bytes. Default 1 GiB. */
  maxBytes?: number;
}

/** Re-raises a `FilesError` (from `@noether/files`) or an OS error as an {@link OptimError}. */
function asOptimError(error: unknown, what: string): never {
  const e = error as { name?: string; code?: string; message?: string };
  const code = e?.name === 'FilesError' && e.code === 'LIMIT_EXCEEDED' ? 'LIMIT_EXCEEDED' : 'IO';
  const message =
    e?.name === 'FilesError'
      ? String(e.message)
      : `fileCheckpointStore(): ${what}: ${String(e?.message ?? error)}`;
  throw new OptimError(code, message, { cause: error });
}

/**
 * A {@link CheckpointStore} backed by one JSON file (Node.js). Saves go through `@noether/files`'
 * `writeFileAtomic`: an exclusive temporary file in the same folder, every byte written, fsync, rename, so an
 * interrupted or failed save (a full disk, `kill -9`) leaves the previous checkpoint intact, and a symbolic
 * link planted at the path is refused. Loads refuse non-regular files and files beyond `maxBytes`.
 * `@noether/files` and `node:fs` are imported lazily, so browsers can bundle this package.
 *
 * @param path - checkpoint file path; its directory is created when missing.
 * @throws {OptimError} `FORMAT` (from `load`) when the file exists but is not a valid checkpoint; `IO` when
 *   reading or writing fails; `LIMIT_EXCEEDED` when the file is larger than `maxBytes`.
 * @example
 * await train(trainer, { steps: 5000, checkpoint: { store: fileCheckpointStore('out/kdv.ckpt.json'), every: 100 } });
 */
export function fileCheckpointStore(path: string, options: FileCheckpointStoreOptions = {}): CheckpointStore {
  if (typeof path !== 'string' || path === '')
    invalid(['fileCheckpointStore', 'path'], 'a non-empty file path', path);
  return {
    async load(): Promise<Checkpoint | null> {
      const { readFileLimited } = await import('@noether/files');
      let text: string;
      try {
        const bytes = readFileLimited(path, {
          fn: 'fileCheckpointStore',
          ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        });
        text = new TextDecoder().decode(bytes);
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code === 'ENOENT') return null;
        return asOptimError(error, `cannot read '${path}'`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new OptimError(
          'FORMAT',
          `fileCheckpointStore(): ${path} is not valid JSON: ${(error as Error).message}`,
        );
      }
      return checkCheckpoint(parsed, path);
    },
    async save(checkpoint: Checkpoint): Promise<void> {
      const [{ writeFileAtomic }, fs, { dirname }] = await Promise.all([
        import('@noether/files'),
        import('node:fs'),
        import('node:path'),
      ]);
      try {
        fs.mkdirSync(dirname(path), { recursive: true });
        writeFileAtomic(path, JSON.stringify(checkpoint));
      } catch (error) {
        asOptimError(error, `cannot write '${path}'`);
      }
    },
  };
}
