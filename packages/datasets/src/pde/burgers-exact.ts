import { DatasetsError, checkNumber } from '../errors';
import { cellCentres, defaultTimes, integrals, type PdeSolution } from './pde-solution';

/** Options of {@link solveBurgersSine}. */
export interface BurgersSineOptions {
  /** Viscosity nu in u_t + u u_x = nu u_xx; default 0.01 / pi. */
  viscosity?: number;
  /** Output cells on [0, 2] (cell centres (j + 1/2) dx); default 256. */
  points?: number;
  /** Output times; default 0, 0.01, ..., 0.99. */
  times?: ArrayLike<number>;
  /** Quadrature nodes per unit of the Gaussian variable z (trapezoid on [-12, 12]); default 100. */
  density?: number;
}

/**
 * Exact solution of viscous Burgers u_t + u u_x = nu u_xx with u(x, 0) = sin(pi x) (2-periodic; the same as
 * the Dirichlet problem u(0) = u(2) = 0, i.e. Raissi et al.'s -sin(pi x) on [-1, 1] shifted by 1), by the
 * Cole–Hopf transform:
 *   u(x, t) = int (x - y)/t G dy / int G dy,  G = exp(-(x - y)^2 / (4 nu t) - (1 - cos(pi y)) / (2 pi nu)),
 * evaluated with y = x - 2 sqrt(nu t) z by the trapezoid rule in z on [-12, 12] (spectrally accurate for
 * this smooth, rapidly decaying integrand), with the exponent shifted by its maximum (no overflow).
 * The integral of u over [0, 2] is 0 at all times; the integral of u^2 decays (not conserved).
 * @throws DatasetsError `INVALID_ARGUMENT` for bad options.
 * @example solveBurgersSine({ times: [0, 0.5] }).u;
 * @see E. Hopf (1950); J. D. Cole (1951); C. Basdevant et al., Computers & Fluids 14 (1986).
 */
export function solveBurgersSine(options: BurgersSineOptions = {}): PdeSolution {
  const fn = 'solveBurgersSine';
  const nu = checkNumber({ fn, name: 'viscosity' }, options.viscosity ?? 0.01 / Math.PI, { positive: true });
  const n = checkNumber({ fn, name: 'points' }, options.points ?? 256, { integer: true, min: 4 });
  const density = checkNumber({ fn, name: 'density' }, options.density ?? 50, { positive: true });
  const times = Float64Array.from(options.times ?? defaultTimes());
  if (times.some((t) => !(t >= 0) || !Number.isFinite(t)))
    throw new DatasetsError('INVALID_ARGUMENT', `${fn}(): argument 'times' must hold finite times >= 0`);
  const x = cellCentres([0, 2], n);
  const nt = times.length;
  const u = new Float64Array(nt * n);
  const m = Math.ceil(24 * density);
  const dz = 24 / m;
  const expo = new Float64Array(m + 1);
  for (let k = 0; k < nt; k++) {
    const t = times[k];
    for (let j = 0; j < n; j++) {
      if (t === 0) {
        u[k * n + j] = Math.sin(Math.PI * x[j]);
        continue;
      }
      const s = 2 * Math.sqrt(nu * t);
      let top = -Infinity;
      for (let i = 0; i <= m; i++) {
        const z = -12 + i * dz;
        const y = x[j] - s * z;
        expo[i] = -z * z - (1 - Math.cos(Math.PI * y)) / (2 * Math.PI * nu);
        if (expo[i] > top) top = expo[i];
      }
      let num = 0;
      let den = 0;
      for (let i = 0; i <= m; i++) {
        const z = -12 + i * dz;
        const g = Math.exp(expo[i] - top) * (i === 0 || i === m ? 0.5 : 1);
        num += ((s * z) / t) * g;
        den += g;
      }
      u[k * n + j] = num / den;
    }
  }
  const weights = new Float64Array(n).fill(2 / n);
  const mass = new Float64Array(nt);
  const l2 = new Float64Array(nt);
  for (let k = 0; k < nt; k++) [mass[k], l2[k]] = integrals(u, k, weights);
  return {
    name: 'burgersSine',
    scheme: `Burgers u0 = sin(pi x): exact (Cole–Hopf), trapezoid quadrature with ${m + 1} nodes`,
    x,
    t: times,
    u,
    shape: [nt, n],
    weights,
    conserved: { mass, l2 },
    fields: {},
    steps: 0,
    status: 'ok',
  };
}
