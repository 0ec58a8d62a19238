import { separable, type ScalarFunction, type ScalarOps } from '@noether/integrators';
import { checkNumber, DatasetsError } from '../errors';
import {
  defineConserved,
  sampleNormal,
  tensorFunction,
  type ConservedQuantity,
  type PhysicalSystem,
  defineSystem,
} from './physical-system';

/** Options of {@link nBody}. */
export interface NBodyOptions {
  /** Masses m_i; default all 1. */
  masses?: readonly number[];
  /** Gravitational constant; default 1. */
  G?: number;
  /** Softening s in 1 / sqrt(r^2 + s^2); default 0 (> 0 keeps close encounters smooth). */
  softening?: number;
}

const sum = <N>(s: ScalarOps<N>, terms: N[]): N => terms.reduce((a, b) => s.add(a, b), s.constant(0));

/**
 * n gravitating bodies in `dim` dimensions: H = sum_i |p_i|^2 / (2 m_i) - sum_{i<j} G m_i m_j / sqrt(|q_i - q_j|^2 + s^2).
 * Layout: q = (q_0, ..., q_{n-1}) with q_i = (q_i1..q_idim), then p likewise (all q first).
 *
 * Conserved (energy first, then the linear/quadratic ones with their matrix forms):
 * total momenta P_a (linear), angular momenta about the origin L_ab = sum_i q_ia p_ib - q_ib p_ia, angular
 * momenta about the centre of mass L_ab - (Q_a P_b - Q_b P_a) with Q = sum m_i q_i / M, and the products
 * P_a P_b (a <= b). For the planar three-body preset ({@link planarThreeBody}) these are the 7 independent
 * quadratic/linear conserved quantities of Noether's Razor.
 * @throws DatasetsError `INVALID_ARGUMENT` for bad n, dim, masses, G or softening.
 * @example const sys = nBody(3, 2, { softening: 1 }); sys.dim === 12;
 * @see van der Ouderaa et al., "Noether's Razor" (2024), n-body experiment.
 */
export function nBody(n: number, dim: number, options: NBodyOptions = {}): PhysicalSystem {
  const fn = 'nBody';
  checkNumber({ fn, name: 'n' }, n, { integer: true, min: 2 });
  checkNumber({ fn, name: 'dim' }, dim, { integer: true, min: 1 });
  const masses = Float64Array.from(options.masses ?? new Array<number>(n).fill(1));
  if (masses.length !== n || masses.some((m) => !(m > 0) || !Number.isFinite(m)))
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'masses' must hold ${n} positive masses, got [${Array.from(masses).join(', ')}]`,
    );
  const G = checkNumber({ fn, name: 'G' }, options.G ?? 1, { min: 0 });
  const soft = checkNumber({ fn, name: 'softening' }, options.softening ?? 0, { min: 0 });
  const s2 = soft * soft;
  const N = n * dim;
  const D = 2 * N;
  const qi = (i: number, a: number) => i * dim + a;
  const pi = (i: number, a: number) => N + i * dim + a;
  const Mtot = masses.reduce((a, b) => a + b, 0);

  const T: ScalarFunction = (p, s) =>
    sum(
      s,
      Array.from({ length: N }, (_, u) => s.scale(s.mul(p[u]!, p[u]!), 0.5 / masses[Math.floor(u / dim)]!)),
    );
  const V: ScalarFunction = (q, s) => {
    const terms = [];
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let r2 = s.constant(s2);
        for (let a = 0; a < dim; a++) {
          const d = s.sub(q[qi(i, a)]!, q[qi(j, a)]!);
          r2 = s.add(r2, s.mul(d, d));
        }
        terms.push(s.scale(s.pow(r2, -0.5), -G * masses[i]! * masses[j]!));
      }
    return sum(s, terms);
  };
  const Hs: ScalarFunction = (x, s) =>
    s.add(T(Array.prototype.slice.call(x, N), s), V(Array.prototype.slice.call(x, 0, N), s));
  const dVdq = (q: ArrayLike<number>, out: Float64Array = new Float64Array(N)) => {
    out.fill(0);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let r2 = s2;
        for (let a = 0; a < dim; a++) r2 += (q[qi(i, a)]! - q[qi(j, a)]!) ** 2;
        const f = (G * masses[i]! * masses[j]!) / (r2 * Math.sqrt(r2));
        for (let a = 0; a < dim; a++) {
          const d = f * (q[qi(i, a)]! - q[qi(j, a)]!);
          out[qi(i, a)]! += d;
          out[qi(j, a)]! -= d;
        }
      }
    return out;
  };
  const dTdp = (p: ArrayLike<number>, out: Float64Array = new Float64Array(N)) => {
    for (let u = 0; u < N; u++) out[u] = p[u]! / masses[Math.floor(u / dim)]!;
    return out;
  };
  const H = (x: ArrayLike<number>) => {
    let e = 0;
    for (let u = 0; u < N; u++) e += (0.5 * x[N + u]! ** 2) / masses[Math.floor(u / dim)]!;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        let r2 = s2;
        for (let a = 0; a < dim; a++) r2 += (x[qi(i, a)]! - x[qi(j, a)]!) ** 2;
        e -= (G * masses[i]! * masses[j]!) / Math.sqrt(r2);
      }
    return e;
  };

  // Matrix forms: C = sum c x_u x_v (+ b^T x) -> symmetric A with x^T A x / 2 = C.
  const bilinear = (terms: [number, number, number][]) => {
    const A = new Float64Array(D * D);
    for (const [u, v, c] of terms) {
      if (u === v) A[u * D + u]! += 2 * c;
      else {
        A[u * D + v]! += c;
        A[v * D + u]! += c;
      }
    }
    return { A, dim: D };
  };
  const P = <Nn>(x: ArrayLike<Nn>, s: ScalarOps<Nn>, a: number) =>
    sum(
      s,
      Array.from({ length: n }, (_, i) => x[pi(i, a)]!),
    );
  const Q = <Nn>(x: ArrayLike<Nn>, s: ScalarOps<Nn>, a: number) =>
    s.scale(
      sum(
        s,
        Array.from({ length: n }, (_, i) => s.scale(x[qi(i, a)]!, masses[i]!)),
      ),
      1 / Mtot,
    );
  const L = <Nn>(x: ArrayLike<Nn>, s: ScalarOps<Nn>, [a, b]: [number, number]) =>
    sum(
      s,
      Array.from({ length: n }, (_, i) =>
        s.sub(s.mul(x[qi(i, a)]!, x[pi(i, b)]!), s.mul(x[qi(i, b)]!, x[pi(i, a)]!)),
      ),
    );
  const Lterms = (a: number, b: number): [number, number, number][] =>
    Array.from({ length: n }, (_, i) => [
      [qi(i, a), pi(i, b), 1] as [number, number, number],
      [qi(i, b), pi(i, a), -1] as [number, number, number],
    ]).flat();

  const conserved: ConservedQuantity[] = [defineConserved('energy', Hs)];
  for (let a = 0; a < dim; a++) {
    const b = new Float64Array(D);
    for (let i = 0; i < n; i++) b[pi(i, a)] = 1;
    conserved.push(defineConserved(`momentum_${a}`, (x, s) => P(x, s, a), { b, dim: D }));
  }
  for (let a = 0; a < dim; a++)
    for (let b = a + 1; b < dim; b++)
      conserved.push(
        defineConserved(`angularMomentum_${a}${b}`, (x, s) => L(x, s, [a, b]), bilinear(Lterms(a, b))),
      );
  for (let a = 0; a < dim; a++)
    for (let b = a + 1; b < dim; b++) {
      const terms = Lterms(a, b);
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) {
          terms.push([qi(j, a), pi(k, b), -masses[j]! / Mtot], [qi(j, b), pi(k, a), masses[j]! / Mtot]);
        }
      conserved.push(
        defineConserved(
          `angularMomentumCom_${a}${b}`,
          (x, s) =>
            s.sub(L(x, s, [a, b]), s.sub(s.mul(Q(x, s, a), P(x, s, b)), s.mul(Q(x, s, b), P(x, s, a)))),
          bilinear(terms),
        ),
      );
    }
  for (let a = 0; a < dim; a++)
    for (let b = a; b < dim; b++) {
      const terms: [number, number, number][] = [];
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) terms.push([pi(j, a), pi(k, b), 1]);
      conserved.push(
        defineConserved(`momentumProduct_${a}${b}`, (x, s) => s.mul(P(x, s, a), P(x, s, b)), bilinear(terms)),
      );
    }

  return defineSystem({
    name: `nBody(${n}, ${dim})`,
    dof: N,
    dim: D,
    separable: true,
    params: Object.freeze({ n, dim, masses: Array.from(masses), G, softening: soft }),
    Hs,
    H,
    gradH: (x: ArrayLike<number>, out: Float64Array = new Float64Array(D)) => {
      out.set(dVdq(Array.prototype.slice.call(x, 0, N)));
      for (let u = 0; u < N; u++) out[N + u] = x[N + u]! / masses[Math.floor(u / dim)]!;
      return out;
    },
    Htensor: tensorFunction(Hs),
    conserved: Object.freeze(conserved),
    integratorSystem: separable({ dTdp, dVdq, T, V }),
    sample: (rng, o) => sampleNormal(rng, N, o),
  });
}

/**
 * The planar three-body preset of Noether's Razor: unit masses, G = 1, softening 1 (phase-space dimension
 * 12; 7 independent linear/quadratic conserved quantities).
 * @example planarThreeBody().conserved.filter((c) => c.A).length === 7;
 */
export function planarThreeBody(): PhysicalSystem {
  return nBody(3, 2, { masses: [1, 1, 1], G: 1, softening: 1 });
}
