import { separable, type ScalarFunction } from '@noether/integrators';
import { checkNumber } from '../errors';
import { hamiltonianSystem } from './harmonic';
import {
  defineConserved,
  sampleNormal,
  tensorFunction,
  type PhysicalSystem,
  defineSystem,
} from './physical-system';

/**
 * Simple pendulum H = p^2 / (2 m l^2) + m g l (1 - cos q) (defaults m = l = g = 1). Conserved: the energy
 * (not polynomial). No elementary closed form: trajectories are integrated.
 * @throws DatasetsError `INVALID_ARGUMENT` for non-positive parameters.
 * @example pendulum().H(Float64Array.of(Math.PI, 0)) === 2;
 */
export function pendulum(options: { mass?: number; length?: number; gravity?: number } = {}): PhysicalSystem {
  const fn = 'pendulum';
  const m = checkNumber({ fn, name: 'mass' }, options.mass ?? 1, { positive: true });
  const l = checkNumber({ fn, name: 'length' }, options.length ?? 1, { positive: true });
  const g = checkNumber({ fn, name: 'gravity' }, options.gravity ?? 1, { positive: true });
  const I = m * l * l;
  const mgl = m * g * l;
  const T: ScalarFunction = (p, s) => s.scale(s.mul(p[0]!, p[0]!), 0.5 / I);
  const V: ScalarFunction = (q, s) => s.scale(s.sub(s.constant(1), s.cos(q[0]!)), mgl);
  const Hs: ScalarFunction = (x, s) => s.add(T([x[1]!], s), V([x[0]!], s));
  return defineSystem({
    name: 'pendulum',
    dof: 1,
    dim: 2,
    separable: true,
    params: Object.freeze({ mass: m, length: l, gravity: g }),
    Hs,
    H: (x: ArrayLike<number>) => (0.5 * x[1]! ** 2) / I + mgl * (1 - Math.cos(x[0]!)),
    gradH: (x: ArrayLike<number>, out: Float64Array = new Float64Array(2)) => {
      out[0] = mgl * Math.sin(x[0]!);
      out[1] = x[1]! / I;
      return out;
    },
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze([defineConserved('energy', Hs)]),
    integratorSystem: separable({
      dTdp: (p, out: Float64Array = new Float64Array(1)) => ((out[0] = p[0]! / I), out),
      dVdq: (q, out: Float64Array = new Float64Array(1)) => ((out[0] = mgl * Math.sin(q[0]!)), out),
      T,
      V,
    }),
    sample: (rng, o) => sampleNormal(rng, 1, o),
  });
}

/**
 * Double pendulum in canonical coordinates (angles q1, q2 from the vertical, conjugate momenta p1, p2), a
 * non-separable Hamiltonian: with d = q1 - q2,
 *   H = [m2 l2^2 p1^2 + (m1 + m2) l1^2 p2^2 - 2 m2 l1 l2 p1 p2 cos d] / [2 m2 l1^2 l2^2 (m1 + m2 sin^2 d)]
 *       - (m1 + m2) g l1 cos q1 - m2 g l2 cos q2.
 * Conserved: the energy only (chaotic). Integrated with an implicit Gauss–Legendre method.
 * @throws DatasetsError `INVALID_ARGUMENT` for non-positive parameters.
 * @example doublePendulum().separable === false;
 * @see e.g. L. N. Hand, J. D. Finch, "Analytical Mechanics" (1998), ch. 5.
 */
export function doublePendulum(
  options: { m1?: number; m2?: number; l1?: number; l2?: number; gravity?: number } = {},
): PhysicalSystem {
  const fn = 'doublePendulum';
  const m1 = checkNumber({ fn, name: 'm1' }, options.m1 ?? 1, { positive: true });
  const m2 = checkNumber({ fn, name: 'm2' }, options.m2 ?? 1, { positive: true });
  const l1 = checkNumber({ fn, name: 'l1' }, options.l1 ?? 1, { positive: true });
  const l2 = checkNumber({ fn, name: 'l2' }, options.l2 ?? 1, { positive: true });
  const g = checkNumber({ fn, name: 'gravity' }, options.gravity ?? 1, { positive: true });
  const M = m1 + m2;
  const c0 = 2 * m2 * l1 * l1 * l2 * l2;
  const Hs: ScalarFunction = (x, s) => {
    const [q1, q2, p1, p2] = [x[0]!, x[1]!, x[2]!, x[3]!];
    const d = s.sub(q1, q2);
    const sd = s.sin(d);
    const num = s.sub(
      s.add(s.scale(s.mul(p1, p1), m2 * l2 * l2), s.scale(s.mul(p2, p2), M * l1 * l1)),
      s.scale(s.mul(s.mul(p1, p2), s.cos(d)), 2 * m2 * l1 * l2),
    );
    const den = s.scale(s.add(s.constant(m1), s.scale(s.mul(sd, sd), m2)), c0);
    return s.sub(s.div(num, den), s.add(s.scale(s.cos(q1), M * g * l1), s.scale(s.cos(q2), m2 * g * l2)));
  };
  const H = (x: ArrayLike<number>) => {
    const d = x[0]! - x[1]!;
    const num =
      m2 * l2 * l2 * x[2]! ** 2 + M * l1 * l1 * x[3]! ** 2 - 2 * m2 * l1 * l2 * x[2]! * x[3]! * Math.cos(d);
    return (
      num / (c0 * (m1 + m2 * Math.sin(d) ** 2)) - M * g * l1 * Math.cos(x[0]!) - m2 * g * l2 * Math.cos(x[1]!)
    );
  };
  const gradH = (x: ArrayLike<number>, out: Float64Array = new Float64Array(4)) => {
    const [q1, q2, p1, p2] = [x[0]!, x[1]!, x[2]!, x[3]!];
    const d = q1 - q2;
    const cd = Math.cos(d);
    const sd = Math.sin(d);
    const D = m1 + m2 * sd * sd;
    const num = m2 * l2 * l2 * p1 * p1 + M * l1 * l1 * p2 * p2 - 2 * m2 * l1 * l2 * p1 * p2 * cd;
    const dTdd = (2 * m2 * l1 * l2 * p1 * p2 * sd) / (c0 * D) - (num * 2 * m2 * sd * cd) / (c0 * D * D);
    out[0] = dTdd + M * g * l1 * Math.sin(q1);
    out[1] = -dTdd + m2 * g * l2 * Math.sin(q2);
    out[2] = (2 * m2 * l2 * l2 * p1 - 2 * m2 * l1 * l2 * p2 * cd) / (c0 * D);
    out[3] = (2 * M * l1 * l1 * p2 - 2 * m2 * l1 * l2 * p1 * cd) / (c0 * D);
    return out;
  };
  return defineSystem({
    name: 'doublePendulum',
    dof: 2,
    dim: 4,
    separable: false,
    params: Object.freeze({ m1, m2, l1, l2, gravity: g }),
    Hs,
    H,
    gradH,
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze([defineConserved('energy', Hs)]),
    integratorSystem: hamiltonianSystem(Hs, gradH),
    sample: (rng, o) => sampleNormal(rng, 2, o),
  });
}
