import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Folders created by {@link makeOutputDir} in this process, outermost first per call. */
const created: string[] = [];

/**
 * Creates an output folder (and its missing parents) and remembers which folders it created, so that a
 * failed command can remove the ones it left empty ({@link removeEmptyOutputDirs}).
 * @returns the folder, as given.
 */
export function makeOutputDir(dir: string): string {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  mkdirSync(dir, { recursive: true });
  created.push(...missing);
  return dir;
}

/**
 * Removes every folder {@link makeOutputDir} created that is empty now (deepest first), so a failed command
 * leaves no empty output folder behind. Folders holding files are kept. Returns the removed folders.
 */
export function removeEmptyOutputDirs(): string[] {
  const removed: string[] = [];
  const deepestFirst = [...new Set(created)].sort((a, b) => b.length - a.length);
  for (const d of deepestFirst) {
    try {
      if (existsSync(d) && readdirSync(d).length === 0) {
        rmdirSync(d);
        removed.push(d);
      }
    } catch {
      // Not ours to force: leave it.
    }
  }
  created.length = 0;
  return removed;
}

/** Forgets the folders created so far (after a command succeeded). */
export function keepOutputDirs(): void {
  created.length = 0;
}
