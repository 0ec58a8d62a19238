/** A progress bar on stderr: redrawn in place on a terminal, one line every 10% otherwise (logs, CI). */
export interface Progress {
  /** Advance by `n` (default 1) and optionally show a short status such as the current loss. */
  tick(n?: number, info?: string): void;
  /** Finish the bar and print the elapsed time. */
  done(info?: string): void;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
}

/**
 * Creates a progress bar for `total` units of work labelled `label`.
 * @example const bar = createProgress('generate', 100); for (...) bar.tick(); bar.done();
 */
export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const start = performance.now();
  const tty = Boolean(stream.isTTY);
  let count = 0;
  let lastDecile = -1;
  let lastDraw = 0;
  const line = (info?: string) => {
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const elapsed = (performance.now() - start) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : Infinity;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    return `${label} [${bar}] ${count}/${total} ${(frac * 100).toFixed(0)}% ${formatSeconds(elapsed)} eta ${formatSeconds(eta)}${info ? '  ' + info : ''}`;
  };
  return {
    tick(n = 1, info) {
      count += n;
      const now = performance.now();
      if (tty) {
        if (now - lastDraw > 100 || count >= total) {
          stream.write(`\r\x1b[2K${line(info)}`);
          lastDraw = now;
        }
      } else {
        const decile = Math.floor((10 * count) / Math.max(1, total));
        if (decile > lastDecile) {
          lastDecile = decile;
          stream.write(line(info) + '\n');
        }
      }
    },
    done(info) {
      const elapsed = (performance.now() - start) / 1000;
      stream.write(
        `${tty ? '\r\x1b[2K' : ''}${label}: done in ${formatSeconds(elapsed)}${info ? '  ' + info : ''}\n`,
      );
    },
  };
}
