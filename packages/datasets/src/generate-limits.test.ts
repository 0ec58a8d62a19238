import { describe, expect, it } from 'vitest';
import { buildDataset } from './catalog';
import { DatasetsError } from './errors';
import { generateTrajectories } from './generate-trajectories';
import { harmonicOscillator } from './systems/harmonic';
import { planarThreeBody } from './systems/n-body';

const errorOf = (f: () => unknown): DatasetsError => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetsError);
    return error as DatasetsError;
  }
  throw new Error('expected a DatasetsError');
};

describe('generateTrajectories: up-front limits and finite results', () => {
  it('refuses --count 1e8 in the first millisecond (it used to run silently for minutes)', () => {
    const start = performance.now();
    const e = errorOf(() => buildDataset('three-body', { count: 1e8 }));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(
      /^generateTrajectories\(\): 100000000 trajectories of 51 states of 'nBody\(3, 2\)' \(dim 12\) need 9\.79e\+11 bytes, more than maxMemoryBytes = 1073741824/,
    );
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('refuses --sample-dt 1e6 for an integrated system (1e8 substeps per saved step) before integrating', () => {
    const e = errorOf(() =>
      generateTrajectories(planarThreeBody(), { count: 1, samples: 5, sampleDt: 1e6, seed: 0 }),
    );
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(
      /^generateTrajectories\(\): 1 x 4 intervals of sampleDt = 1000000 of 'nBody\(3, 2\)' are about 4\.80e\+9 state updates, more than maxWork = 1\.00e\+8/,
    );
  });

  it('never returns non-finite closed-form states (sampleDt = 1e308 overflows t)', () => {
    const e = errorOf(() =>
      generateTrajectories(harmonicOscillator(), { count: 1, samples: 5, sampleDt: 1e308, seed: 0 }),
    );
    expect(e.code).toBe('NON_FINITE');
    expect(e.message).toMatch(/trajectory 0 of '.*' has non-finite states \(closed form, dt = 1e\+308\)/);
  });

  it('validates seeds as integers in [0, 2^53)', () => {
    const ho = harmonicOscillator();
    for (const seed of [-1, 2 ** 53, 0.5])
      expect(
        errorOf(() => generateTrajectories(ho, { count: 1, samples: 2, sampleDt: 0.1, seed })).message,
      ).toMatch(/argument 'seed'/);
  });
});

describe('PDE batches: up-front memory limit', () => {
  it('refuses a batch whose tensor would exceed maxMemoryBytes before solving anything', () => {
    const e = errorOf(() => buildDataset('kdv', { count: 1e6 }));
    expect(e.code).toBe('LIMIT_EXCEEDED');
    expect(e.message).toMatch(
      /^buildDataset\(\): 'kdv' with count 1000000, samples 101, points 256 needs about/,
    );
  });
});
