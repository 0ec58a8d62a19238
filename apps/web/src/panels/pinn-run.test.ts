import '@noether/autodiff';
import { expectNoLeak } from '@noether/test-utils';
import { describe, expect, it } from 'vitest';
import { advectionReference, createPinnRun, defaultPinnSettings, levelIntegrals } from './pinn-run';

describe('the PINN-Proj panel run', () => {
  const ref = advectionReference();
  const settings = { ...defaultPinnSettings, optimizer: 'adam' as const, levels: 5, pointsPerLevel: 8 };

  it('levelIntegrals matches the reference solver’s own float64 integrals', () => {
    const { I1, I2 } = levelIntegrals(ref.u, ref.weights);
    for (let k = 0; k < ref.t.length; k++) {
      expect(Math.abs(I1[k] - ref.conserved.mass[k])).toBeLessThan(1e-12);
      expect(Math.abs(I2[k] - ref.conserved.l2[k])).toBeLessThan(1e-12);
    }
  });

  it('the projected network conserves both integrals at every level to 1e-5, the plain one does not', () => {
    const proj = createPinnRun('proj', ref, settings);
    const pinn = createPinnRun('pinn', ref, settings);
    try {
      for (let i = 0; i < 3; i++) {
        expect(Number.isFinite(proj.step())).toBe(true);
        expect(Number.isFinite(pinn.step())).toBe(true);
      }
      const p = proj.evaluate();
      const q = pinn.evaluate();
      // Independent check of the reported error: recompute the integrals from the returned field.
      const { I1, I2 } = levelIntegrals(p.u, ref.weights);
      const worst = Math.max(
        ...Array.from(
          I1,
          (v, k) => Math.abs(v - ref.conserved.mass[0]) + Math.abs(I2[k] - ref.conserved.l2[0]),
        ),
      );
      expect(worst).toBeCloseTo(p.maxLevelError, 12);
      expect(p.maxLevelError).toBeLessThan(1e-5);
      expect(q.maxLevelError).toBeGreaterThan(1e-3);
    } finally {
      proj.dispose();
      pinn.dispose();
    }
  });

  it.each(['adam', 'lbfgs'] as const)(
    'leaks no tensors with %s: create, step, evaluate and dispose leave the tensor count unchanged',
    (optimizer) => {
      expectNoLeak(() => {
        const run = createPinnRun('proj', ref, { ...settings, optimizer });
        run.step();
        run.step();
        run.evaluate();
        run.dispose();
      }, optimizer);
    },
  );
});
