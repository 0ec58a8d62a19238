import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds } from './progress';

/** A fake stream and clock: the test moves time by hand. */
function fake(isTTY: boolean) {
  const lines: string[] = [];
  let t = 0;
  return {
    lines,
    advance: (ms: number) => (t += ms),
    options: { stream: { isTTY, write: (s: string) => lines.push(s) > 0 }, now: () => t },
  };
}

describe('progress', () => {
  it('prints nothing for a job that finishes within a second', () => {
    const f = fake(false);
    const bar = createProgress('job', 100, f.options);
    for (let i = 0; i < 100; i++) {
      f.advance(5);
      bar.tick();
    }
    bar.done('ok');
    expect(f.lines).toEqual([]);
  });

  it('off a terminal, prints one line every 10 s with an ETA, then the elapsed time', () => {
    const f = fake(false);
    const bar = createProgress('train', 100, f.options);
    for (let i = 0; i < 100; i++) {
      f.advance(1000); // 1 s per unit: 100 s in all
      bar.tick(1, `loss ${i}`);
    }
    bar.done();
    // Lines at 10 s, 20 s, ..., 100 s, then the done line.
    expect(f.lines).toHaveLength(11);
    expect(f.lines[0]).toBe('train 10/100 10% 10.0s eta 1m30s  loss 9\n');
    expect(f.lines[4]).toMatch(/^train 50\/100 50% 50.0s eta 50.0s/);
    expect(f.lines[10]).toBe('train: done in 1m40s\n');
  });

  it('formats long durations in hours', () => {
    expect(formatSeconds(169 * 60)).toBe('2h49m');
    expect(formatSeconds(Infinity)).toBe('?');
  });
});
