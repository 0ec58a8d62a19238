import { solvePinnProjPreset } from '@noether/datasets';
import { conservationError64, integrals64, project64 } from '@noether/pinn-proj';
import { describe, expect, it } from 'vitest';

// datasets -> pinn-proj: the float64 references and the projection share grid and weights, so a reference
// satisfies its own constraint and the projection of a perturbed reference lands back on the targets.
describe('PINN-Proj projections on the float64 reference solutions', () => {
  it('the advection reference conserves the integral of u to 1e-12 over its 100 levels, as measured by the metric', () => {
    const ref = solvePinnProjPreset('advection');
    const c1 = ref.conserved.mass[0];
    const { total } = conservationError64(ref.u, ref.weights, { constraint: { type: 'linear', c1 } });
    expect(total).toBeLessThan(1e-12);
    expect(integrals64(ref.u, ref.weights).I1[99]).toBeCloseTo(c1, 12);
  });

  it('projecting a perturbed reaction-diffusion reference onto c(t) restores the target at every level', () => {
    const ref = solvePinnProjPreset('reactionDiffusion');
    const m0 = ref.conserved.mass[0];
    const perturbed = ref.u.map((u: number, i: number) => u * (1 + 0.05 * Math.sin(i)) + 0.01);
    const constraint = { type: 'linear' as const, c1: (t: number) => m0 * Math.exp(0.5 * t) };
    const before = conservationError64(perturbed, ref.weights, { constraint, times: ref.t }).total;
    const projected = project64(perturbed, ref.weights, { constraint, times: ref.t });
    const after = conservationError64(projected.values, ref.weights, { constraint, times: ref.t }).total;
    expect(before).toBeGreaterThan(1e-2);
    expect(after).toBeLessThan(1e-11);
    // the reference itself follows c0 e^{0.5 t} (reaction-diffusion with zero-flux walls)
    const own = conservationError64(ref.u, ref.weights, { constraint, times: ref.t }).total;
    expect(own).toBeLessThan(1e-8);
  });

  it('the joint projection of the wave reference keeps both integrals at their t = 0 values', () => {
    const ref = solvePinnProjPreset('wave');
    const constraint = { type: 'joint' as const, c1: ref.conserved.mass[0], c2: ref.conserved.l2[0] };
    const raw = conservationError64(ref.u, ref.weights, { constraint }).total;
    const projected = project64(ref.u, ref.weights, { constraint });
    expect(projected.status).toBe('ok');
    expect(raw).toBeGreaterThan(1e-2); // the integral of u^2 is not a wave invariant (drifts ~3%)
    expect(conservationError64(projected.values, ref.weights, { constraint }).total).toBeLessThan(1e-11);
  });
});
