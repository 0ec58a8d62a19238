import { createRng } from '@noether/autodiff';
import { kepler, nHarmonicOscillators, planarThreeBody } from '@noether/datasets';
import { integrate } from '@noether/integrators';
import { describe, expect, it } from 'vitest';

// datasets -> integrators: the systems' integrator view, driven by the generic integrate(), keeps every
// conserved quantity the dataset lists, and agrees with the closed-form flow where one exists.
describe('datasets systems through @noether/integrators', () => {
  it('yoshida6 on 3 harmonic oscillators matches the closed-form flow to 1e-10 after 10 time units', () => {
    const system = nHarmonicOscillators(3);
    const x0 = system.sample(createRng(7));
    const r = integrate('yoshida6', system.integratorSystem, { x0, dt: 0.01, steps: 1000, saveEvery: 1000 });
    expect(r.status).toBe('ok');
    const exact = system.flow!(x0, 10);
    for (let i = 0; i < system.dim; i++) expect(Math.abs(r.final[i] - exact[i])).toBeLessThan(1e-10);
    // all n^2 = 9 U(3) invariants are kept by the symplectic map to the same accuracy
    expect(system.conserved.length).toBeGreaterThanOrEqual(9);
    for (const c of system.conserved) expect(Math.abs(c.f64(r.final) - c.f64(x0))).toBeLessThan(1e-9);
  });

  it('gaussLegendre6 keeps the planar 3-body conserved quantities to 1e-11 over 2000 steps', () => {
    const system = planarThreeBody();
    const x0 = system.sample(createRng(11));
    const r = integrate('gaussLegendre6', system.integratorSystem, {
      x0,
      dt: 0.01,
      steps: 2000,
      saveEvery: 2000,
    });
    expect(r.status).toBe('ok');
    for (const c of system.conserved) {
      const scale = Math.max(1, Math.abs(c.f64(x0)));
      expect(Math.abs(c.f64(r.final) - c.f64(x0)) / scale, c.name).toBeLessThan(1e-11);
    }
  });

  it('leapfrog keeps Kepler angular momentum exactly (a quadratic invariant) while its energy error stays bounded', () => {
    const system = kepler();
    const x0 = Float64Array.of(0.4, 0, 0, 2); // e = 0.6
    const r = integrate('leapfrog', system.integratorSystem, { x0, dt: 1e-3, steps: 20_000, saveEvery: 100 });
    expect(r.status).toBe('ok');
    const [energy, ...others] = system.conserved;
    const L = others.find((c) => /angular/i.test(c.name))!;
    expect(L).toBeDefined();
    const rows = r.x.shape[0];
    let maxEnergyError = 0;
    for (let k = 0; k < rows; k++) {
      const x = Float64Array.from({ length: 4 }, (_, i) => r.x.get(k, i));
      maxEnergyError = Math.max(maxEnergyError, Math.abs(energy.f64(x) - energy.f64(x0)));
      expect(Math.abs(L.f64(x) - L.f64(x0))).toBeLessThan(1e-12);
    }
    expect(maxEnergyError).toBeGreaterThan(0);
    expect(maxEnergyError).toBeLessThan(1e-3);
  });
});
