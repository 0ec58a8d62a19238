import * as tf from '@tensorflow/tfjs';

/** Switches tfjs to `backend` (loading the wasm backend on demand). */
export async function useBackend(backend: string): Promise<void> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  // tfjs-node (from `pnpm setup:tfjs-node`) is optional and not a dependency of this package.
  if (backend === 'tensorflow') await import('@tensorflow/tfjs-node' as string);
  if (!(await tf.setBackend(backend))) throw new Error(`bench: backend '${backend}' unavailable`);
  await tf.ready();
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds taken by `fn` (synchronous tfjs work, forced to finish by a data read inside `fn`). */
export function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Reads `--name value` from argv. */
export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** A markdown table. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
