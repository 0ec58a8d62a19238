import * as tf from '@tensorflow/tfjs';
import { gradient, realOps, type ScalarFunction, type ScalarOps, type System } from '@noether/integrators';
import type { Rng } from '@noether/autodiff';

/**
 * A conserved quantity as a first-class object: a name, a float64 function, a tensor function and, when it
 * is quadratic or linear, its matrix form C(x) = x^T A x / 2 + b^T x (x = (q, p), q first).
 */
export interface ConservedQuantity {
  readonly name: string;
  /** The quantity written once against `ScalarOps` (numbers, dual numbers, tensors). */
  readonly fn: ScalarFunction;
  /** Float64 value at one state `[dim]`. */
  readonly f64: (x: ArrayLike<number>) => number;
  /** Float64 gradient at one state (exact, forward-mode dual numbers). */
  readonly grad: (x: ArrayLike<number>) => Float64Array;
  /** Tensor value: `[batch, dim] -> [batch]` float32; input borrowed, output owned by the caller. */
  readonly tensor: (x: tf.Tensor) => tf.Tensor;
  /** `quadratic` / `linear` (A and b given) or `other`. */
  readonly kind: 'quadratic' | 'linear' | 'other';
  /** Symmetric matrix A `[dim, dim]` row-major (quadratic and linear kinds; zero for linear). */
  readonly A?: Float64Array;
  /** Vector b `[dim]` (quadratic and linear kinds). */
  readonly b?: Float64Array;
}

/** Options of the initial-condition samplers (Noether's Razor convention, see `razorSplits`). */
export interface SamplerOptions {
  /** Standard deviation of q (normal); default 1. */
  qScale?: number;
  /** Standard deviation of p (normal), the momentum scale; default 0.5. */
  pScale?: number;
  /** Added to every q coordinate (the "moved" test split); default 0. */
  qShift?: number;
  /** Added to every p coordinate; default 0. */
  pShift?: number;
}

/**
 * A Hamiltonian system in phase space x = (q, p), all q first, dx/dt = J grad H(x), J = [[0, I], [-I, 0]],
 * with its float64 H and gradH, tensor H, conserved quantities and (for quadratic/linear ones) symmetry
 * generators.
 */
export interface PhysicalSystem {
  readonly name: string;
  /** Degrees of freedom (length of q). */
  readonly dof: number;
  /** Phase-space dimension 2 dof. */
  readonly dim: number;
  /** Whether H = T(p) + V(q). */
  readonly separable: boolean;
  /** Parameters (masses, G, softening, ...). */
  readonly params: Readonly<Record<string, unknown>>;
  /** H written once against `ScalarOps`. */
  readonly Hs: ScalarFunction;
  /** Float64 Hamiltonian of one state `[dim]`. */
  H(x: ArrayLike<number>): number;
  /** Float64 gradient [dH/dq, dH/dp] (hand-derived), written into `out` when given. */
  gradH(x: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Tensor Hamiltonian `[batch, dim] -> [batch]` (float32, differentiable); input borrowed. */
  Htensor(x: tf.Tensor): tf.Tensor;
  /** Known conserved quantities; the energy first. */
  readonly conserved: readonly ConservedQuantity[];
  /** The same dynamics as an `@noether/integrators` system (separable when possible). */
  readonly integratorSystem: System<Float64Array>;
  /** Exact flow x(t) from x(0), when a closed form exists. */
  readonly flow?: (x0: ArrayLike<number>, t: number) => Float64Array;
  /** Default initial-condition sampler. */
  sample(rng: Rng, options?: SamplerOptions): Float64Array;
}

/** {@link ScalarOps} over tensors (element-wise; used to evaluate ScalarFunctions on batch columns). */
const tensorScalarOps: ScalarOps<tf.Tensor> = Object.freeze({
  constant: (c: number) => tf.scalar(c),
  value: (x: tf.Tensor) => (x.dataSync() as Float32Array)[0]!,
  add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
  sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
  mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
  div: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
  neg: (a: tf.Tensor) => tf.neg(a),
  scale: (a: tf.Tensor, c: number) => tf.mul(a, c),
  sqrt: (a: tf.Tensor) => tf.sqrt(a),
  exp: (a: tf.Tensor) => tf.exp(a),
  log: (a: tf.Tensor) => tf.log(a),
  sin: (a: tf.Tensor) => tf.sin(a),
  cos: (a: tf.Tensor) => tf.cos(a),
  pow: (a: tf.Tensor, k: number) => (k === 2 ? tf.square(a) : tf.pow(a, k)),
});

/** Evaluates a ScalarFunction on the columns of a `[batch, dim]` tensor, returning `[batch]`. */
export function tensorFunction(fn: ScalarFunction): (x: tf.Tensor) => tf.Tensor {
  return (x) =>
    tf.tidy(() => {
      const cols = tf.unstack(x, 1);
      const out = fn(cols, tensorScalarOps);
      return out.rank === 0 ? tf.broadcastTo(out, [x.shape[0]!]) : out;
    });
}

/**
 * Builds a {@link ConservedQuantity} from its ScalarFunction and, for quadratic/linear ones, its matrix form
 * (`A` symmetric `[dim, dim]`, `b` `[dim]`).
 */
export function defineConserved(
  name: string,
  fn: ScalarFunction,
  form?: { A?: Float64Array; b?: Float64Array; dim: number },
): ConservedQuantity {
  const base = {
    name,
    fn,
    f64: (x: ArrayLike<number>) => fn(x, realOps),
    grad: (x: ArrayLike<number>) => Float64Array.from(gradient(fn, x, realOps)),
    tensor: tensorFunction(fn),
  };
  if (!form) return Object.freeze({ ...base, kind: 'other' as const });
  const A = form.A ?? new Float64Array(form.dim * form.dim);
  const b = form.b ?? new Float64Array(form.dim);
  const kind = A.some((v) => v !== 0) ? ('quadratic' as const) : ('linear' as const);
  return Object.freeze({ ...base, kind, A, b });
}

/** Standard normal phase-space sample with the {@link SamplerOptions} scales and shifts. */
export function sampleNormal(rng: Rng, dof: number, options: SamplerOptions = {}): Float64Array {
  const { qScale = 1, pScale = 0.5, qShift = 0, pShift = 0 } = options;
  const x = new Float64Array(2 * dof);
  for (let i = 0; i < dof; i++) x[i] = qShift + qScale * rng.normal();
  for (let i = 0; i < dof; i++) x[dof + i] = pShift + pScale * rng.normal();
  return x;
}

/**
 * The initial-condition splits of Noether's Razor: train (q ~ N(0, 1), p ~ N(0, 0.5^2)), test (p scale 0.2),
 * testWider (q scale 3) and testMoved (q shifted by 1).
 * @see T. van der Ouderaa, M. van der Wilk, P. de Haan, "Noether's Razor: Learning Conserved Quantities",
 *   NeurIPS 2024 (reference code: main.py test splits).
 */
export const razorSplits: Readonly<
  Record<'train' | 'test' | 'testWider' | 'testMoved', Readonly<SamplerOptions>>
> = Object.freeze({
  train: Object.freeze({ qScale: 1, pScale: 0.5 }),
  test: Object.freeze({ qScale: 1, pScale: 0.2 }),
  testWider: Object.freeze({ qScale: 3, pScale: 0.2 }),
  testMoved: Object.freeze({ qScale: 1, pScale: 0.2, qShift: 1 }),
});

/** Symplectic matrix J = [[0, I], [-I, 0]] of size dim, row-major. */
export function symplecticMatrix(dim: number): Float64Array {
  const n = dim / 2;
  const J = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    J[i * dim + n + i] = 1;
    J[(n + i) * dim + i] = -1;
  }
  return J;
}

/**
 * The symmetry generator of a quadratic/linear conserved quantity on homogeneous coordinates (x, 1):
 * G = [[J A, J b], [0, 0]], `[(dim + 1), (dim + 1)]` row-major; its flow expm(tau G) is the symmetry that
 * C generates (Noether).
 * @throws Error when the quantity has no matrix form.
 * @example const G = symmetryGenerator(nHarmonicOscillators(2).conserved[1]!);
 * @see van der Ouderaa et al. (2024), section 4.
 */
export function symmetryGenerator(c: ConservedQuantity): Float64Array {
  if (!c.A || !c.b)
    throw new TypeError(`symmetryGenerator(): conserved quantity '${c.name}' is not quadratic or linear`);
  const dim = c.b.length;
  const m = dim + 1;
  const n = dim / 2;
  const G = new Float64Array(m * m);
  // (J M)_{ij}: rows i < n take row n+i of M; rows i >= n take minus row i-n.
  for (let i = 0; i < dim; i++) {
    const src = i < n ? n + i : i - n;
    const sign = i < n ? 1 : -1;
    for (let j = 0; j < dim; j++) G[i * m + j] = sign * c.A[src * dim + j]! || 0;
    G[i * m + dim] = sign * c.b[src]! || 0;
  }
  return G;
}

/**
 * Numerical rank of a set of vectors (rows), by Gaussian elimination with complete pivoting; entries below
 * `tol` times the largest pivot count as zero.
 * @example matrixRank([Float64Array.of(1, 0), Float64Array.of(2, 0)]) === 1;
 */
export function matrixRank(rows: readonly ArrayLike<number>[], tol = 1e-10): number {
  if (rows.length === 0) return 0;
  const m = rows.length;
  const n = rows[0]!.length;
  const a = rows.map((r) => Float64Array.from(r));
  let rank = 0;
  let scale = 0;
  const used = new Uint8Array(n);
  const usedRow = new Uint8Array(m);
  for (;;) {
    let best = 0;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < m; i++) {
      if (usedRow[i]) continue;
      for (let j = 0; j < n; j++) {
        if (used[j]) continue;
        const v = Math.abs(a[i]![j]!);
        if (v > best) [best, bi, bj] = [v, i, j];
      }
    }
    if (rank === 0) scale = best;
    if (bi < 0 || best <= tol * scale || best === 0) return rank;
    usedRow[bi] = 1;
    used[bj] = 1;
    rank++;
    const piv = a[bi]!;
    for (let i = 0; i < m; i++) {
      if (usedRow[i]) continue;
      const f = a[i]![bj]! / piv[bj]!;
      if (f !== 0) for (let j = 0; j < n; j++) a[i]![j]! -= f * piv[j]!;
    }
  }
}

/** Poisson bracket {C, H}(x) = grad C^T J grad H. */
export function poissonBracket(c: ConservedQuantity, system: PhysicalSystem, x: ArrayLike<number>): number {
  const gc = c.grad(x);
  const gh = system.gradH(x);
  const n = system.dof;
  let s = 0;
  for (let i = 0; i < n; i++) s += gc[i]! * gh[n + i]! - gc[n + i]! * gh[i]!;
  return s;
}

/** Freezes a system literal (contextually typed, so its callbacks need no annotations). */
export function defineSystem(system: PhysicalSystem): PhysicalSystem {
  return Object.freeze(system);
}
