import { describe, expect, it } from 'vitest';
import { allCaseNames, getCase, referenceOf, targetsOf } from './cases';

/**
 * Relative L2 distance between the reference and its joint projection (float64, the closed form of
 * methods/pinn-proj.md) onto the case's targets: the floor of PINN-Proj's error with an exact network.
 */
function projectionFloor(name: (typeof allCaseNames)[number]): number {
  const c = getCase(name);
  const ref = referenceOf(c);
  const { c1, c2 } = targetsOf(c, ref);
  const w = ref.weights;
  const n = w.length;
  let num = 0;
  let den = 0;
  for (let k = 0; k < ref.t.length; k++) {
    const u = ref.u.subarray(k * n, (k + 1) * n);
    let W = 0;
    let I1 = 0;
    for (let j = 0; j < n; j++) [W, I1] = [W + w[j], I1 + w[j] * u[j]];
    const m = I1 / W;
    let S = 0;
    for (let j = 0; j < n; j++) S += w[j] * (u[j] - m) ** 2;
    const scale = Math.sqrt(Math.max(c2[k] - c1[k] ** 2 / W, 0) / S);
    for (let j = 0; j < n; j++) {
      num += (c1[k] / W + (u[j] - m) * scale - u[j]) ** 2;
      den += u[j] ** 2;
    }
  }
  return Math.sqrt(num / den);
}

describe('PINN-Proj targets of the reproduction cases', () => {
  it.each(allCaseNames)(
    '%s: the reference projected onto its targets is itself (no floor on the error)',
    (name) => {
      expect(projectionFloor(name)).toBeLessThan(1e-8);
    },
  );
});
