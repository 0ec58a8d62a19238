import { IntegratorError } from './errors';

/**
 * Arithmetic over a scalar type `N`, so one energy function can run on plain numbers and on dual numbers.
 * Energies that the float64 path differentiates itself (`T`, `V`, `H` without a user gradient) are written
 * against it: `(x, s) => s.add(s.mul(x[0], x[0]), ...)`.
 *
 * @example
 * ```ts
 * const V = <N>(q: ArrayLike<N>, s: ScalarOps<N>) => s.neg(s.div(s.constant(1), s.sqrt(s.add(s.mul(q[0], q[0]), s.mul(q[1], q[1])))));
 * ```
 */
export interface ScalarOps<N> {
  constant(c: number): N;
  /** The float64 value of `x` (drops any derivative part). */
  value(x: N): number;
  add(a: N, b: N): N;
  sub(a: N, b: N): N;
  mul(a: N, b: N): N;
  div(a: N, b: N): N;
  neg(a: N): N;
  /** `a * c` for a plain number `c`. */
  scale(a: N, c: number): N;
  sqrt(a: N): N;
  exp(a: N): N;
  log(a: N): N;
  sin(a: N): N;
  cos(a: N): N;
  /** `a ** k` for a plain number exponent `k`. */
  pow(a: N, k: number): N;
}

/** A function of a vector of scalars written against {@link ScalarOps} (an energy `T`, `V` or `H`). */
export type ScalarFunction = <N>(x: ArrayLike<N>, s: ScalarOps<N>) => N;

/** {@link ScalarOps} on plain float64 numbers. */
export const realOps: ScalarOps<number> = Object.freeze({
  constant: (c: number) => c,
  value: (x: number) => x,
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  neg: (a: number) => -a,
  scale: (a: number, c: number) => a * c,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  pow: (a: number, k: number) => a ** k,
});

/** A forward-mode dual number over base scalars `B`: a value and `n` tangents (directional derivatives). */
export interface Dual<B> {
  readonly v: B;
  readonly d: readonly B[];
}

/**
 * Forward-mode dual arithmetic with `n` tangent directions over the base arithmetic `base`. Nesting
 * (`dualOps(dualOps(realOps, m), n)`) gives exact higher derivatives. Derivatives are exact to rounding:
 * no finite differences anywhere.
 *
 * Math: `(a, a')(b, b') = (ab, a b' + a' b)`; `f(a, a') = (f(a), f'(a) a')`.
 *
 * @example
 * ```ts
 * const D = dualOps(realOps, 1);
 * D.mul(D.variable(3, 0), D.variable(3, 0)).d[0]; // 6
 * ```
 * @see Griewank & Walther, Evaluating Derivatives, 2nd ed., SIAM 2008, ch. 3.
 */
export function dualOps<B>(
  base: ScalarOps<B>,
  n: number,
): ScalarOps<Dual<B>> & {
  /** The dual with value `x` and unit tangent in direction `i` (or no tangent when `i < 0`). */
  variable(x: B, i: number): Dual<B>;
} {
  const zero = base.constant(0);
  const zeros = (): B[] => new Array<B>(n).fill(zero);
  const mk = (v: B, d: B[]): Dual<B> => ({ v, d });
  const chain = (a: Dual<B>, v: B, dv: B): Dual<B> =>
    mk(
      v,
      a.d.map((t) => base.mul(dv, t)),
    );
  const ops = {
    constant: (c: number) => mk(base.constant(c), zeros()),
    value: (x: Dual<B>) => base.value(x.v),
    variable: (x: B, i: number) => {
      const d = zeros();
      if (i >= 0) d[i] = base.constant(1);
      return mk(x, d);
    },
    add: (a: Dual<B>, b: Dual<B>) =>
      mk(
        base.add(a.v, b.v),
        a.d.map((t, i) => base.add(t, b.d[i])),
      ),
    sub: (a: Dual<B>, b: Dual<B>) =>
      mk(
        base.sub(a.v, b.v),
        a.d.map((t, i) => base.sub(t, b.d[i])),
      ),
    mul: (a: Dual<B>, b: Dual<B>) =>
      mk(
        base.mul(a.v, b.v),
        a.d.map((t, i) => base.add(base.mul(t, b.v), base.mul(a.v, b.d[i]))),
      ),
    div: (a: Dual<B>, b: Dual<B>) => {
      const q = base.div(a.v, b.v);
      return mk(
        q,
        a.d.map((t, i) => base.div(base.sub(t, base.mul(q, b.d[i])), b.v)),
      );
    },
    neg: (a: Dual<B>) =>
      mk(
        base.neg(a.v),
        a.d.map((t) => base.neg(t)),
      ),
    scale: (a: Dual<B>, c: number) =>
      mk(
        base.scale(a.v, c),
        a.d.map((t) => base.scale(t, c)),
      ),
    sqrt: (a: Dual<B>) => {
      const r = base.sqrt(a.v);
      return chain(a, r, base.div(base.constant(0.5), r));
    },
    exp: (a: Dual<B>) => {
      const e = base.exp(a.v);
      return chain(a, e, e);
    },
    log: (a: Dual<B>) => chain(a, base.log(a.v), base.div(base.constant(1), a.v)),
    sin: (a: Dual<B>) => chain(a, base.sin(a.v), base.cos(a.v)),
    cos: (a: Dual<B>) => chain(a, base.cos(a.v), base.neg(base.sin(a.v))),
    pow: (a: Dual<B>, k: number) => chain(a, base.pow(a.v, k), base.scale(base.pow(a.v, k - 1), k)),
  };
  return Object.freeze(ops);
}

/**
 * The gradient of a {@link ScalarFunction} at `x` by forward-mode dual numbers (one pass with `x.length`
 * tangents), over any base arithmetic (so it nests). Returns a new array.
 *
 * @throws IntegratorError `UNSUPPORTED` when `f` does not return a dual (it was written with plain numbers).
 * @example
 * ```ts
 * gradient((x, s) => s.mul(x[0], x[1]), [2, 5], realOps); // [5, 2]
 * ```
 */
export function gradient<N>(f: ScalarFunction, x: ArrayLike<N>, s: ScalarOps<N>): N[] {
  const n = x.length;
  const D = dualOps(s, n);
  const xd = Array.from({ length: n }, (_, i) => D.variable(x[i], i));
  const y = f(xd, D) as Dual<N> | number;
  if (typeof y !== 'object' || y === null || !Array.isArray(y.d)) {
    throw new IntegratorError(
      'UNSUPPORTED',
      `gradient(): the function must be written with ScalarOps, \`(x, s) => s.add(...)\`, to be differentiated by dual numbers (it returned ${typeof y}); give its gradient (dTdp, dVdq or dH) instead`,
    );
  }
  return y.d.slice();
}
