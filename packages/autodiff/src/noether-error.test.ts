import { describe, expect, it } from 'vitest';
import { AutodiffError } from './errors';
import { NoetherError } from './noether-error';

describe('NoetherError', () => {
  it('carries code, cause and the function name (given, or read from the message)', () => {
    const cause = new RangeError('inner');
    const e = new NoetherError('IO', 'saveNpz(): cannot write out.npz', { cause });
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.fn, e.cause]).toEqual(['NoetherError', 'IO', 'saveNpz', cause]);
    expect(new NoetherError('FORMAT', 'Trainer.restore(): bad').fn).toBe('Trainer.restore');
    expect(new NoetherError('FORMAT', 'file x.npz is truncated').fn).toBeUndefined();
    expect(new NoetherError('FORMAT', 'decodeNpy(): x', { fn: 'loadNpy' }).fn).toBe('loadNpy');
  });

  it('is the base of the package error classes', () => {
    const e = new AutodiffError('NOT_SCALAR', "grad(): argument 'f' must return a scalar, got shape [2]");
    expect(e).toBeInstanceOf(NoetherError);
    expect([e.name, e.code, e.fn]).toEqual(['AutodiffError', 'NOT_SCALAR', 'grad']);
  });
});
