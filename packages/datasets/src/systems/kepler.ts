import { separable, type ScalarFunction } from '@noether/integrators';
import { checkNumber, DatasetsError } from '../errors';
import {
  defineConserved,
  tensorFunction,
  type PhysicalSystem,
  type SamplerOptions,
  defineSystem,
} from './physical-system';
import type { Rng } from '@noether/autodiff';

/**
 * Planar Kepler problem H = |p|^2 / 2 - mu / |q| (x = (q_x, q_y, p_x, p_y)). Conserved: energy, angular
 * momentum L = q_x p_y - q_y p_x (quadratic) and the Laplace–Runge–Lenz vector
 * A = (p_y L - mu q_x / r, -p_x L - mu q_y / r). The sampler draws bound orbits: r ~ qScale U(0.5, 1.5), a
 * random angle, q shifted by `qShift` in both coordinates (positions the shift brings within 0.25 qScale of the
 * centre are redrawn), then a tangential speed for the actual position between 1 -/+ 0.2 pScale / 0.5 times
 * circular. So `testWider` (qScale 3) has 3x wider orbits and `testMoved` (qShift 1) moved ones, each still
 * bound and integrable (the Noether's Razor splits).
 * @throws DatasetsError `INVALID_ARGUMENT` for non-positive mu.
 * @example kepler().conserved.map((c) => c.name); // ['energy', 'angularMomentum', 'lrlX', 'lrlY']
 */
export function kepler(options: { mu?: number } = {}): PhysicalSystem {
  const mu = checkNumber({ fn: 'kepler', name: 'mu' }, options.mu ?? 1, { positive: true });
  const T: ScalarFunction = (p, s) => s.scale(s.add(s.mul(p[0]!, p[0]!), s.mul(p[1]!, p[1]!)), 0.5);
  const V: ScalarFunction = (q, s) =>
    s.scale(s.pow(s.add(s.mul(q[0]!, q[0]!), s.mul(q[1]!, q[1]!)), -0.5), -mu);
  const Hs: ScalarFunction = (x, s) => s.add(T([x[2]!, x[3]!], s), V([x[0]!, x[1]!], s));
  const Ls: ScalarFunction = (x, s) => s.sub(s.mul(x[0]!, x[3]!), s.mul(x[1]!, x[2]!));
  const lrl =
    (axis: 0 | 1): ScalarFunction =>
    (x, s) => {
      const L = Ls(x, s);
      const rinv = s.pow(s.add(s.mul(x[0]!, x[0]!), s.mul(x[1]!, x[1]!)), -0.5);
      return axis === 0
        ? s.sub(s.mul(x[3]!, L), s.scale(s.mul(x[0]!, rinv), mu))
        : s.sub(s.neg(s.mul(x[2]!, L)), s.scale(s.mul(x[1]!, rinv), mu));
    };
  const A = new Float64Array(16);
  A[0 * 4 + 3] = 1;
  A[3 * 4 + 0] = 1;
  A[1 * 4 + 2] = -1;
  A[2 * 4 + 1] = -1;
  const dVdq = (q: ArrayLike<number>, out: Float64Array = new Float64Array(2)) => {
    const r3 = Math.hypot(q[0]!, q[1]!) ** 3;
    out[0] = (mu * q[0]!) / r3;
    out[1] = (mu * q[1]!) / r3;
    return out;
  };
  return defineSystem({
    name: 'kepler',
    dof: 2,
    dim: 4,
    separable: true,
    params: Object.freeze({ mu }),
    Hs,
    H: (x: ArrayLike<number>) => 0.5 * (x[2]! ** 2 + x[3]! ** 2) - mu / Math.hypot(x[0]!, x[1]!),
    gradH: (x: ArrayLike<number>, out: Float64Array = new Float64Array(4)) => {
      const r3 = Math.hypot(x[0]!, x[1]!) ** 3;
      out[0] = (mu * x[0]!) / r3;
      out[1] = (mu * x[1]!) / r3;
      out[2] = x[2]!;
      out[3] = x[3]!;
      return out;
    },
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze([
      defineConserved('energy', Hs),
      defineConserved('angularMomentum', Ls, { A, dim: 4 }),
      defineConserved('lrlX', lrl(0)),
      defineConserved('lrlY', lrl(1)),
    ]),
    integratorSystem: separable({
      dTdp: (p, out: Float64Array = new Float64Array(2)) => ((out[0] = p[0]!), (out[1] = p[1]!), out),
      dVdq,
      T,
      V,
    }),
    sample(rng: Rng, o: SamplerOptions = {}) {
      const qScale = checkNumber({ fn: 'kepler.sample', name: 'qScale' }, o.qScale ?? 1, { positive: true });
      const shift = o.qShift ?? 0;
      // Redraw positions that the shift brings within 0.25 qScale of the centre (nearly singular orbits).
      let qx: number;
      let qy: number;
      do {
        const r0 = qScale * rng.uniformIn(0.5, 1.5);
        const th = rng.uniformIn(0, 2 * Math.PI);
        qx = r0 * Math.cos(th) + shift;
        qy = r0 * Math.sin(th) + shift;
      } while (Math.hypot(qx, qy) < 0.25 * qScale);
      // Tangential velocity for the actual (scaled, shifted) position: a bound orbit around the centre.
      const r = Math.hypot(qx, qy);
      const v = Math.sqrt(mu / r) * (1 + ((o.pScale ?? 0.5) / 0.5) * rng.uniformIn(-0.2, 0.2));
      return Float64Array.of(qx, qy, (-v * qy) / r, (v * qx) / r);
    },
  });
}

/** A closed-form Kepler orbit: its pericentre state and the exact state at any time. */
export interface KeplerOrbit {
  /** Eccentricity in [0, 1). */
  readonly eccentricity: number;
  /** State at pericentre, t = 0: q = (1 - e, 0), p = (0, sqrt((1 + e) / (1 - e))). */
  readonly x0: Float64Array;
  /** Energy of the orbit, -1/2 (semi-major axis 1, mu = 1). */
  readonly energy: number;
  /** Exact state at time t (period 2 pi), from Kepler's equation E - e sin E = t solved by Newton's method. */
  at(t: number): Float64Array;
}

/**
 * The bound Kepler orbit (mu = 1) with semi-major axis 1 and eccentricity `e`, starting at pericentre, with
 * its exact solution: the float64 reference for integrator accuracy and energy-error reports.
 * @throws DatasetsError `INVALID_ARGUMENT` unless 0 <= e < 1.
 * @example keplerOrbit(0.6).at(2 * Math.PI); // back at x0 (one period)
 * @see H. Goldstein, Classical Mechanics, section 3.8 (Kepler's equation).
 */
export function keplerOrbit(e: number): KeplerOrbit {
  if (typeof e !== 'number' || !(e >= 0 && e < 1)) {
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `keplerOrbit(): argument 'e' must be a number in [0, 1) (a bound orbit), got ${String(e)}`,
    );
  }
  const b = Math.sqrt(1 - e * e);
  return Object.freeze({
    eccentricity: e,
    x0: Float64Array.of(1 - e, 0, 0, Math.sqrt((1 + e) / (1 - e))),
    energy: -0.5,
    at(t: number): Float64Array {
      let E = t + e * Math.sin(t);
      for (let i = 0; i < 50; i++) {
        const dE = (E - e * Math.sin(E) - t) / (1 - e * Math.cos(E));
        E -= dE;
        if (Math.abs(dE) < 1e-16) break;
      }
      const Edot = 1 / (1 - e * Math.cos(E));
      return Float64Array.of(Math.cos(E) - e, b * Math.sin(E), -Math.sin(E) * Edot, b * Math.cos(E) * Edot);
    },
  });
}
