import { describe, expect, it } from 'vitest';
import { defined } from '@noether/test-utils';
import { pinnProjPresets, solvePinnProjPreset } from './presets';

describe('PINN-Proj presets', () => {
  it('use 256 cell centres (i + 1/2)/128 with weight 1/128 and 100 levels 0..0.99', () => {
    const s = solvePinnProjPreset('reactionDiffusion');
    expect(s.shape).toEqual([100, 256]);
    expect(s.x[0]).toBe(0.5 / 128);
    expect(s.x[255]).toBe(255.5 / 128);
    expect(s.weights[7]).toBe(1 / 128);
    expect(s.t[99]).toBeCloseTo(0.99, 15);
    const m = s.conserved.mass;
    expect(Math.abs(m[99] / m[0] - Math.exp(0.5 * 0.99))).toBeLessThan(1e-10);
  });

  it('advection and wave keep the integral of u to 1e-12; the wave integral of u^2 drifts a few percent', () => {
    const a = solvePinnProjPreset('advection');
    const w = solvePinnProjPreset('wave');
    for (const s of [a, w]) {
      const m = s.conserved.fineMass ?? s.conserved.mass;
      expect(Math.abs(m[99] - m[0]) / m[0]).toBeLessThan(1e-12);
    }
    const l2 = w.conserved.l2;
    expect(1 - l2[99] / l2[0]).toBeGreaterThan(0.02);
    // advection is the exact translate to 5e-6 (the profile stays away from the walls)
    const k = 99;
    const err = Math.max(
      ...Array.from(a.x, (x, i) =>
        Math.abs(a.u[k * 256 + i] - pinnProjPresets.advection.initial(x - 0.25 * 0.99)),
      ),
    );
    expect(err).toBeLessThan(5e-6);
  });

  it('mark a preset conserved exactly when its reference keeps both box integrals (u and u^2) constant', () => {
    for (const name of Object.keys(pinnProjPresets) as Array<keyof typeof pinnProjPresets>) {
      const s = solvePinnProjPreset(name);
      const { mass, l2 } = s.conserved;
      const scale = Math.max(Math.abs(mass[0]), l2[0]);
      const drift = (v: Float64Array) => Math.max(...Array.from(v, (x) => Math.abs(x - v[0]))) / scale;
      const kept = drift(mass) <= 1e-6 && drift(l2) <= 1e-6;
      expect({ name, conserved: pinnProjPresets[name].conserved }).toEqual({ name, conserved: kept });
    }
  });

  it('the 2D advection preset has 32 x 32 cells and follows the translate away from the inflow walls', () => {
    const s = solvePinnProjPreset('advection2d');
    expect(s.shape).toEqual([100, 32, 32]);
    expect(s.weights[0]).toBe(1 / 256);
    const i = 20;
    const j = 20;
    const exact = pinnProjPresets.advection2d.initial(s.x[i] - 0.2475, defined(s.y)[j] - 0.2475);
    expect(Math.abs(s.u[(99 * 32 + i) * 32 + j] - exact)).toBeLessThan(2e-3);
  });

  it('offers the exact translate for the advection presets, matching the FD reference away from the walls', () => {
    const ex = solvePinnProjPreset('advection', { solver: 'exact' });
    const fd = solvePinnProjPreset('advection');
    let e = 0;
    for (let i = 0; i < ex.u.length; i++) e = Math.max(e, Math.abs(ex.u[i] - fd.u[i]));
    expect(e).toBeLessThan(5e-6);
    const ex2 = solvePinnProjPreset('advection2d', { solver: 'exact' });
    expect(ex2.shape).toEqual([100, 32, 32]);
    expect(() => solvePinnProjPreset('kdv', { solver: 'exact' })).toThrow(/only for the advection presets/);
  });
});
