import { kepler as keplerSystem } from '@noether/datasets';

/** Kepler problem H = |p|^2/2 - 1/|q| in float64 (from @noether/datasets), with energies for diagnostics. */
export const kepler = keplerSystem().integratorSystem;

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
