import { describe, expect, it } from 'vitest';
import { pairedRatios } from './seed-stats';
import { defaultSettings } from './train';
import type { RunResult, RunSettings, Variant } from './train';

const run = (
  variant: Variant,
  seed: number,
  relL2: number,
  constraint: RunSettings['constraint'] = 'joint',
) =>
  ({
    relL2,
    settings: {
      ...defaultSettings,
      case: 'kdv',
      variant,
      seed,
      constraint: variant === 'pinn' ? 'linear' : constraint,
    },
  }) as RunResult;

describe('PINN-Proj against PINN seed by seed', () => {
  it('pairs runs of the same seed and gives the median, range and how many seeds PINN-Proj wins', () => {
    const r = pairedRatios(
      [
        run('pinn', 2, 0.1),
        run('proj', 0, 0.3),
        run('pinn', 0, 0.1),
        run('proj', 1, 0.05), // no PINN run for seed 1: left out
        run('proj', 2, 0.05),
        run('pinn', 3, 0.2),
        run('proj', 3, 0.3),
        run('proj', 3, 0.01, 'linear'), // another constraint
        run('penalty', 3, 0.01),
      ],
      'kdv',
      'joint',
    );
    expect(r.seeds).toEqual([0, 2, 3]);
    expect(r.ratios.map((v) => Number(v.toFixed(12)))).toEqual([3, 0.5, 1.5]);
    expect(r.median).toBeCloseTo(1.5, 12);
    expect([r.min, r.max]).toEqual([r.ratios[1], r.ratios[0]]);
    expect(r.lower).toBe(1);
    const even = pairedRatios(
      [run('pinn', 0, 1), run('proj', 0, 1), run('pinn', 1, 1), run('proj', 1, 2)],
      'kdv',
      'joint',
    );
    expect(even.median).toBe(1.5);
    expect(pairedRatios([], 'kdv', 'joint').median).toBeNaN();
  });
});
