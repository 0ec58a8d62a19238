import { hamiltonian, separable, type ScalarFunction, type ScalarOps } from '@noether/integrators';
import { checkNumber, DatasetsError } from '../errors';
import {
  defineConserved,
  sampleNormal,
  tensorFunction,
  type ConservedQuantity,
  type PhysicalSystem,
  defineSystem,
} from './physical-system';

const sum = <N>(s: ScalarOps<N>, terms: N[]): N => terms.reduce((a, b) => s.add(a, b), s.constant(0));

/** Kinetic energy sum p_i^2 / (2 m) of the p block, as ScalarFunctions over the p vector. */
const kinetic =
  (mass: number): ScalarFunction =>
  (p, s) =>
    s.scale(
      sum(
        s,
        Array.from(p, (v) => s.mul(v, v)),
      ),
      0.5 / mass,
    );

/**
 * One harmonic oscillator H = p^2 / (2 m) + k q^2 / 2 (defaults m = k = 1), with its exact flow
 * (a rotation at omega = sqrt(k / m)) and its one conserved quantity, the energy (quadratic,
 * A = diag(k, 1/m)); the generator J A is the SO(2) rotation of phase space.
 * @throws DatasetsError `INVALID_ARGUMENT` for non-positive mass or stiffness.
 * @example const ho = harmonicOscillator(); ho.flow!(Float64Array.of(1, 0), Math.PI / 2); // ~ (0, -1)
 */
export function harmonicOscillator(options: { mass?: number; stiffness?: number } = {}): PhysicalSystem {
  const fn = 'harmonicOscillator';
  const m = checkNumber({ fn, name: 'mass' }, options.mass ?? 1, { positive: true });
  const k = checkNumber({ fn, name: 'stiffness' }, options.stiffness ?? 1, { positive: true });
  const w = Math.sqrt(k / m);
  const Hs: ScalarFunction = (x, s) =>
    s.add(s.scale(s.mul(x[1]!, x[1]!), 0.5 / m), s.scale(s.mul(x[0]!, x[0]!), 0.5 * k));
  const gradH = (x: ArrayLike<number>, out: Float64Array = new Float64Array(2)) => {
    out[0] = k * x[0]!;
    out[1] = x[1]! / m;
    return out;
  };
  return defineSystem({
    name: 'harmonicOscillator',
    dof: 1,
    dim: 2,
    separable: true,
    params: Object.freeze({ mass: m, stiffness: k }),
    Hs,
    H: (x: ArrayLike<number>) => (0.5 * x[1]! ** 2) / m + 0.5 * k * x[0]! ** 2,
    gradH,
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze([defineConserved('energy', Hs, { A: Float64Array.of(k, 0, 0, 1 / m), dim: 2 })]),
    integratorSystem: separable({
      dTdp: (p, out: Float64Array = new Float64Array(1)) => ((out[0] = p[0]! / m), out),
      dVdq: (q, out: Float64Array = new Float64Array(1)) => ((out[0] = k * q[0]!), out),
      T: kinetic(m),
      V: (q, s) => s.scale(s.mul(q[0]!, q[0]!), 0.5 * k),
    }),
    flow: (x0: ArrayLike<number>, t: number) => {
      const c = Math.cos(w * t);
      const sn = Math.sin(w * t);
      return Float64Array.of(x0[0]! * c + (x0[1]! / (m * w)) * sn, -m * w * x0[0]! * sn + x0[1]! * c);
    },
    sample: (rng, o) => sampleNormal(rng, 1, o),
  });
}

/**
 * n uncoupled unit oscillators H = sum_i (q_i^2 + p_i^2) / 2, exact flow (a rotation of every (q_i, p_i)
 * plane by angle t), and the n^2 quadratic conserved quantities spanning the Lie algebra u(n):
 * I_i = (q_i^2 + p_i^2)/2, L_ij = q_i p_j - q_j p_i and K_ij = q_i q_j + p_i p_j (i < j). `conserved[0]` is
 * the energy (= sum of the I_i), followed by the n^2 generators.
 * @throws DatasetsError `INVALID_ARGUMENT` unless n is an integer >= 1.
 * @example nHarmonicOscillators(3).conserved.length === 1 + 9;
 * @see van der Ouderaa et al., "Noether's Razor" (2024), n-HO experiment.
 */
export function nHarmonicOscillators(n: number): PhysicalSystem {
  checkNumber({ fn: 'nHarmonicOscillators', name: 'n' }, n, { integer: true, min: 1 });
  const dim = 2 * n;
  const Hs: ScalarFunction = (x, s) =>
    s.scale(
      sum(
        s,
        Array.from(x, (v) => s.mul(v, v)),
      ),
      0.5,
    );
  const quad = (entries: [number, number, number][]) => {
    const A = new Float64Array(dim * dim);
    for (const [i, j, v] of entries) {
      A[i * dim + j]! += v;
      if (i !== j) A[j * dim + i]! += v;
    }
    return { A, dim };
  };
  const identity: [number, number, number][] = Array.from({ length: dim }, (_, i) => [i, i, 1]);
  const conserved: ConservedQuantity[] = [defineConserved('energy', Hs, quad(identity))];
  for (let i = 0; i < n; i++) {
    conserved.push(
      defineConserved(
        `I_${i}`,
        (x, s) => s.scale(s.add(s.mul(x[i]!, x[i]!), s.mul(x[n + i]!, x[n + i]!)), 0.5),
        quad([
          [i, i, 1],
          [n + i, n + i, 1],
        ]),
      ),
    );
  }
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      conserved.push(
        defineConserved(
          `L_${i}${j}`,
          (x, s) => s.sub(s.mul(x[i]!, x[n + j]!), s.mul(x[j]!, x[n + i]!)),
          quad([
            [i, n + j, 1],
            [j, n + i, -1],
          ]),
        ),
        defineConserved(
          `K_${i}${j}`,
          (x, s) => s.add(s.mul(x[i]!, x[j]!), s.mul(x[n + i]!, x[n + j]!)),
          quad([
            [i, j, 1],
            [n + i, n + j, 1],
          ]),
        ),
      );
    }
  return defineSystem({
    name: `nHarmonicOscillators(${n})`,
    dof: n,
    dim,
    separable: true,
    params: Object.freeze({ n }),
    Hs,
    H: (x: ArrayLike<number>) => 0.5 * Array.from(x).reduce((a, v) => a + v * v, 0),
    gradH: (x: ArrayLike<number>, out: Float64Array = new Float64Array(dim)) => (out.set(Array.from(x)), out),
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze(conserved),
    integratorSystem: separable({
      dTdp: (p, out: Float64Array = new Float64Array(n)) => (out.set(p), out),
      dVdq: (q, out: Float64Array = new Float64Array(n)) => (out.set(q), out),
      T: kinetic(1),
      V: kinetic(1),
    }),
    flow: (x0: ArrayLike<number>, t: number) => {
      const c = Math.cos(t);
      const sn = Math.sin(t);
      const x = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        x[i] = x0[i]! * c + x0[n + i]! * sn;
        x[n + i] = -x0[i]! * sn + x0[n + i]! * c;
      }
      return x;
    },
    sample: (rng, o) => sampleNormal(rng, n, o),
  });
}

/**
 * A chain of n equal masses m joined by springs k: H = sum p_i^2 / (2m) + sum k (q_{i+1} - q_i)^2 / 2 with
 * `ends: 'fixed'` (walls: q_{-1} = q_n = 0) or `'free'`. The energy is quadratic (A = the stiffness and
 * inverse-mass blocks); with free ends the total momentum sum p_i is conserved too (linear).
 * @throws DatasetsError `INVALID_ARGUMENT` for bad n, mass or stiffness.
 * @example massSpringChain(4, { ends: 'free' }).conserved.map((c) => c.name); // ['energy', 'momentum']
 */
export function massSpringChain(
  n: number,
  options: { mass?: number; stiffness?: number; ends?: 'fixed' | 'free' } = {},
): PhysicalSystem {
  const fn = 'massSpringChain';
  checkNumber({ fn, name: 'n' }, n, { integer: true, min: 2 });
  const m = checkNumber({ fn, name: 'mass' }, options.mass ?? 1, { positive: true });
  const k = checkNumber({ fn, name: 'stiffness' }, options.stiffness ?? 1, { positive: true });
  const ends = options.ends ?? 'fixed';
  if (ends !== 'fixed' && ends !== 'free')
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'ends' must be 'fixed' or 'free', got ${String(ends)}`,
    );
  const dim = 2 * n;
  // Stiffness matrix K (n x n): V = q^T K q / 2.
  const K = new Float64Array(n * n);
  const spring = (i: number, j: number) => {
    // spring between i and j (j = -1 means a wall)
    K[i * n + i]! += k;
    if (j >= 0) {
      K[j * n + j]! += k;
      K[i * n + j]! -= k;
      K[j * n + i]! -= k;
    }
  };
  for (let i = 0; i + 1 < n; i++) spring(i, i + 1);
  if (ends === 'fixed') {
    spring(0, -1);
    spring(n - 1, -1);
  }
  const V: ScalarFunction = (q, s) => {
    const terms = [];
    for (let i = 0; i + 1 < n; i++) {
      const d = s.sub(q[i + 1]!, q[i]!);
      terms.push(s.mul(d, d));
    }
    if (ends === 'fixed') terms.push(s.mul(q[0]!, q[0]!), s.mul(q[n - 1]!, q[n - 1]!));
    return s.scale(sum(s, terms), 0.5 * k);
  };
  const T = kinetic(m);
  const Hs: ScalarFunction = (x, s) =>
    s.add(T(Array.prototype.slice.call(x, n), s), V(Array.prototype.slice.call(x, 0, n), s));
  const A = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) A[i * dim + j] = K[i * n + j]!;
    A[(n + i) * dim + n + i] = 1 / m;
  }
  const dVdq = (q: ArrayLike<number>, out: Float64Array = new Float64Array(n)) => {
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < n; j++) f += K[i * n + j]! * q[j]!;
      out[i] = f;
    }
    return out;
  };
  const conserved = [defineConserved('energy', Hs, { A, dim })];
  if (ends === 'free') {
    const b = new Float64Array(dim);
    for (let i = 0; i < n; i++) b[n + i] = 1;
    conserved.push(
      defineConserved(
        'momentum',
        (x, s) =>
          sum(
            s,
            Array.from({ length: n }, (_, i) => x[n + i]!),
          ),
        { b, dim },
      ),
    );
  }
  return defineSystem({
    name: `massSpringChain(${n}, ${ends})`,
    dof: n,
    dim,
    separable: true,
    params: Object.freeze({ n, mass: m, stiffness: k, ends }),
    Hs,
    H: (x: ArrayLike<number>) => {
      const f = dVdq(Array.prototype.slice.call(x, 0, n));
      let e = 0;
      for (let i = 0; i < n; i++) e += 0.5 * x[i]! * f[i]! + (0.5 * x[n + i]! ** 2) / m;
      return e;
    },
    gradH: (x: ArrayLike<number>, out: Float64Array = new Float64Array(dim)) => {
      out.set(dVdq(Array.prototype.slice.call(x, 0, n)));
      for (let i = 0; i < n; i++) out[n + i] = x[n + i]! / m;
      return out;
    },
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze(conserved),
    integratorSystem: separable({
      dTdp: (p, out: Float64Array = new Float64Array(n)) => {
        for (let i = 0; i < n; i++) out[i] = p[i]! / m;
        return out;
      },
      dVdq,
      T,
      V,
    }),
    sample: (rng, o) => sampleNormal(rng, n, o),
  });
}

/** Shared by the non-separable systems: an integrator system from H and gradH. */
export function hamiltonianSystem(
  Hs: ScalarFunction,
  gradH: (x: Float64Array, out?: Float64Array) => Float64Array,
) {
  return hamiltonian({ H: Hs, dH: gradH });
}
