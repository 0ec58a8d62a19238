/**
 * Progress on stderr that fits the job: on a terminal a bar redrawn in place; otherwise (logs, CI) one line
 * every {@link ProgressOptions.interval} seconds with the elapsed time and an ETA. Nothing at all for a job
 * that finishes within {@link ProgressOptions.quiet} seconds.
 */
export interface Progress {
  /** Advance by `n` (default 1) and optionally show a short status such as the current loss. */
  tick(n?: number, info?: string): void;
  /** Finish: prints the elapsed time (unless the job was quicker than `quiet`). */
  done(info?: string): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Where to write. Default `process.stderr`. */
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** Seconds between lines when the stream is not a terminal. Default 10. */
  interval?: number;
  /** Jobs shorter than this (seconds) print nothing. Default 1. */
  quiet?: number;
  /** The clock in milliseconds. Default `performance.now`. */
  now?: () => number;
}

/** `12.3s`, `4m05s`, `2h03m`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m}m${String(Math.floor(s - 60 * m)).padStart(2, '0')}s`;
  }
  const h = Math.floor(s / 3600);
  return `${h}h${String(Math.floor((s - 3600 * h) / 60)).padStart(2, '0')}m`;
}

/**
 * Creates a progress reporter for `total` units of work labelled `label`.
 * @example const bar = createProgress('generate', 100); for (...) bar.tick(); bar.done();
 */
export function createProgress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interval = 1000 * (options.interval ?? 10);
  const quiet = 1000 * (options.quiet ?? 1);
  const start = now();
  const tty = Boolean(stream.isTTY);
  let count = 0;
  let lastDraw = start;
  let drawn = false;
  const line = (info?: string) => {
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const elapsed = (now() - start) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : Infinity;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = tty ? ` [${'#'.repeat(filled) + '-'.repeat(width - filled)}]` : '';
    return `${label}${bar} ${count}/${total} ${(frac * 100).toFixed(0)}% ${formatSeconds(elapsed)} eta ${formatSeconds(eta)}${info ? '  ' + info : ''}`;
  };
  return {
    tick(n = 1, info) {
      count += n;
      const t = now();
      if (t - start < quiet) return;
      if (tty ? t - lastDraw > 100 || count >= total : t - lastDraw >= interval) {
        stream.write(tty ? `\r\x1b[2K${line(info)}` : `${line(info)}\n`);
        lastDraw = t;
        drawn = true;
      }
    },
    done(info) {
      const elapsed = now() - start;
      if (elapsed < quiet && !drawn) return;
      stream.write(
        `${tty ? '\r\x1b[2K' : ''}${label}: done in ${formatSeconds(elapsed / 1000)}${info ? '  ' + info : ''}\n`,
      );
    },
  };
}
