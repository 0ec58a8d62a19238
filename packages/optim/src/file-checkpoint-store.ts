import { checkCheckpoint } from './checkpoint';
import type { Checkpoint, CheckpointStore } from './checkpoint';
import { OptimError, invalid } from './errors';

/**
 * A {@link CheckpointStore} backed by one JSON file (Node.js). Saves are atomic: the checkpoint is written to
 * a temporary file in the same directory and renamed over the target, so an interrupted save leaves the
 * previous checkpoint intact. `node:fs` is imported lazily, so browsers can bundle this package.
 *
 * @param path - checkpoint file path; its directory is created when missing.
 * @throws {OptimError} `FORMAT` (from `load`) when the file exists but is not a valid checkpoint.
 * @example
 * await train(trainer, { steps: 5000, checkpoint: { store: fileCheckpointStore('out/kdv.ckpt.json'), every: 100 } });
 */
export function fileCheckpointStore(path: string): CheckpointStore {
  if (typeof path !== 'string' || path === '')
    invalid(['fileCheckpointStore', 'path'], 'a non-empty file path', path);
  return {
    async load(): Promise<Checkpoint | null> {
      const fs = await import('node:fs/promises');
      let text: string;
      try {
        text = await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return null;
        throw error;
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
      const fs = await import('node:fs/promises');
      const { dirname } = await import('node:path');
      await fs.mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${typeof process !== 'undefined' ? process.pid : 0}-${Date.now()}`;
      await fs.writeFile(tmp, JSON.stringify(checkpoint));
      await fs.rename(tmp, path);
    },
  };
}
