import { AutodiffError, NoetherError, createRng, grad } from '@noether/autodiff';
import { DatasetsError, generateTrajectories, harmonicOscillator } from '@noether/datasets';
import { IntegratorError, integrate, separable } from '@noether/integrators';
import { OptimError, minimize64 } from '@noether/optim';
import { PinnProjError, latinHypercube } from '@noether/pinn-proj';
import { describe, expect, it } from 'vitest';

// CONTRIBUTING.md "Outcome vocabulary": every package's error is a NoetherError with an UPPER_SNAKE code and
// the function that raised it; numerical failure is a value unless throwOnFailure; progress stops on false.
const raise = (f: () => unknown): NoetherError<string> => {
  try {
    f();
  } catch (e) {
    return e as NoetherError<string>;
  }
  throw new Error('nothing thrown');
};

describe('one vocabulary across the packages', () => {
  it('every package throws a NoetherError subclass with an UPPER_SNAKE code and the function name', () => {
    const cases: Array<[abstract new (...args: never[]) => unknown, NoetherError<string>, string]> = [
      [AutodiffError, raise(() => grad(42 as never)), 'grad'],
      [AutodiffError, raise(() => createRng(1.5)), 'createRng'],
      [
        IntegratorError,
        raise(() => integrate('leapfrog', 1 as never, { x0: new Float64Array(2), dt: NaN })),
        'integrate',
      ],
      [
        DatasetsError,
        raise(() =>
          generateTrajectories(harmonicOscillator(), { count: 0, samples: 2, sampleDt: 0.1, seed: 0 }),
        ),
        'generateTrajectories',
      ],
      [
        OptimError,
        raise(() => minimize64(() => ({ loss: 0, grad: new Float64Array(1) }), [] as never)),
        'minimize64',
      ],
      [PinnProjError, raise(() => latinHypercube(0, [[0, 1]], { seed: 1 })), 'latinHypercube'],
    ];
    for (const [cls, e, fn] of cases) {
      expect(e).toBeInstanceOf(cls);
      expect(e).toBeInstanceOf(NoetherError);
      expect(e.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.fn).toBe(fn);
    }
  });

  it('returns numerical failure as a status by default and throws it only when asked', () => {
    const blowUp = separable({
      dTdp: (p) => Float64Array.of(p[0]),
      dVdq: (q) => Float64Array.of(-q[0] * q[0] * q[0]),
    });
    const opts = { x0: Float64Array.of(10, 10), dt: 1, steps: 50 };
    const r = integrate('leapfrog', blowUp, opts);
    expect(r.status).toBe('non-finite');
    expect(raise(() => integrate('leapfrog', blowUp, { ...opts, throwOnFailure: true })).code).toBe(
      'NON_FINITE',
    );
    const nan = () => ({ loss: NaN, grad: Float64Array.of(NaN) });
    expect(minimize64(nan, Float64Array.of(0)).status).toBe('non-finite');
    expect(raise(() => minimize64(nan, Float64Array.of(0), { throwOnFailure: true })).code).toBe(
      'NON_FINITE',
    );
  });
});
