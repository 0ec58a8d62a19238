import { kepler as keplerSystem, keplerOrbit } from '@noether/datasets';

/** Kepler problem H = |p|^2/2 - 1/|q| in float64 (from @noether/datasets), with energies for diagnostics. */
export const kepler = keplerSystem().integratorSystem;

/** Pericentre state of the orbit with semi-major axis 1 and eccentricity e (period 2 pi, energy -1/2). */
export const keplerX0 = (e: number): Float64Array => keplerOrbit(e).x0;

/** Exact state at time t on the orbit of {@link keplerX0}. */
export const keplerExact = (t: number, e: number): Float64Array => keplerOrbit(e).at(t);
