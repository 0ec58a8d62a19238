import { separable, type SeparableSystem } from '@noether/integrators';

/** Kepler problem H = |p|^2/2 - 1/|q| in float64, with energies (written with ScalarOps) for diagnostics. */
export const kepler: SeparableSystem<Float64Array> = separable({
  dTdp: (p, out = new Float64Array(2)) => {
    out[0] = p[0];
    out[1] = p[1];
    return out;
  },
  dVdq: (q, out = new Float64Array(2)) => {
    const r2 = q[0] * q[0] + q[1] * q[1];
    const r3 = r2 * Math.sqrt(r2);
    out[0] = q[0] / r3;
    out[1] = q[1] / r3;
    return out;
  },
  T: (p, s) => s.scale(s.add(s.mul(p[0], p[0]), s.mul(p[1], p[1])), 0.5),
  V: (q, s) => s.neg(s.pow(s.add(s.mul(q[0], q[0]), s.mul(q[1], q[1])), -0.5)),
});

/** Pericentre state of the orbit with semi-major axis 1 and eccentricity e (period 2 pi, energy -1/2). */
export const keplerX0 = (e: number): Float64Array =>
  Float64Array.of(1 - e, 0, 0, Math.sqrt((1 + e) / (1 - e)));

/** Exact state at time t on the orbit of {@link keplerX0} (Kepler's equation by Newton's method). */
export function keplerExact(t: number, e: number): Float64Array {
  let E = t + e * Math.sin(t);
  for (let i = 0; i < 50; i++) {
    const dE = (E - e * Math.sin(E) - t) / (1 - e * Math.cos(E));
    E -= dE;
    if (Math.abs(dE) < 1e-16) break;
  }
  const b = Math.sqrt(1 - e * e);
  const Edot = 1 / (1 - e * Math.cos(E));
  return Float64Array.of(Math.cos(E) - e, b * Math.sin(E), -Math.sin(E) * Edot, b * Math.cos(E) * Edot);
}
