import type { VectorOps } from './vector-ops';

/** A loss and its gradient at a point. The gradient is owned by the caller of the function that returned it. */
export interface LossAndGradValue<V> {
  /** f(x). */
  loss: number;
  /** grad f(x), same size as x. */
  grad: V;
}

/** Evaluates f and grad f at `x` (borrowed); returns a new gradient owned by the caller. */
export type LossAndGrad<V> = (x: V) => LossAndGradValue<V>;

/** Options of the strong-Wolfe line search. */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant c1 of `f(x + t d) <= f(x) + c1 t g.d`. Default 1e-4. */
  c1?: number;
  /** Curvature constant c2 of `|g(x + t d).d| <= c2 |g.d|`. Default 0.9. */
  c2?: number;
  /** Most loss evaluations per line search. Default 25. */
  maxEvaluations?: number;
  /** Stop zooming when the bracket, times max|d|, is below this. Default 1e-9. */
  tolerance?: number;
}

/** What {@link strongWolfe} found. `grad` is owned by the caller (unless `t === 0`, then it is undefined). */
export interface StrongWolfeResult<V> {
  /** Accepted step length (0 when no trial point met the sufficient-decrease condition). */
  t: number;
  /** Loss at the accepted point. */
  loss: number;
  /** Gradient at the accepted point (new, owned by the caller); undefined when `t === 0`. */
  grad: V | undefined;
  /** Loss evaluations spent. */
  evaluations: number;
  /** True when the strong Wolfe conditions hold at `t`. */
  wolfe: boolean;
  /** True when some trial point had a non-finite loss or gradient. */
  sawNonFinite: boolean;
}

interface Trial<V> {
  t: number;
  f: number;
  g: V | undefined;
  gtd: number;
}

/**
 * Minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]
 * (Nocedal & Wright eq. 3.59); the midpoint of the bounds when the cubic has no real minimiser.
 */
export function cubicMinimizer(
  p1: [number, number, number],
  p2: [number, number, number],
  bounds: [number, number],
): number {
  const [x1, f1, g1] = p1;
  const [x2, f2, g2] = p2;
  const [lo, hi] = bounds[0] <= bounds[1] ? bounds : [bounds[1], bounds[0]];
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0 && Number.isFinite(d2sq)) {
    const d2 = Math.sqrt(d2sq);
    const t =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    if (Number.isFinite(t)) return Math.min(Math.max(t, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * Strong-Wolfe line search along `d` from `x` (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithms 3.5
 * bracketing and 3.6 zoom, with cubic interpolation). Near round-off the sufficient-decrease test also accepts
 * Hager & Zhang's approximate Wolfe condition (f within 100 eps |f0|, slope reduced). Non-finite trial values count as +Infinity, so the search
 * backs off from a blow-up instead of accepting it.
 *
 * Ownership: `x`, `d`, `g0` borrowed; the returned `grad` is new. Every other trial gradient is released.
 *
 * @param options - `f0` (f(x)), `gtd0` (g0.d, must be < 0), `t0` initial step, plus {@link StrongWolfeOptions}.
 * @see Nocedal & Wright, Numerical Optimization (2006), section 3.5.
 * @see Hager & Zhang, A new conjugate gradient method with guaranteed descent and an efficient line search,
 *   SIAM J. Optim. 16 (2005) (approximate Wolfe conditions).
 */
export function strongWolfe<V>(
  ops: VectorOps<V>,
  lossAndGrad: LossAndGrad<V>,
  options: StrongWolfeOptions & { x: V; d: V; f0: number; gtd0: number; t0: number },
): StrongWolfeResult<V> {
  const { x, d, f0, gtd0 } = options;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEvals = options.maxEvaluations ?? 25;
  const tol = options.tolerance ?? 1e-9;
  const dMax = ops.normInf(d);
  const trials: Trial<V>[] = [];
  let sawNonFinite = false;
  const evaluate = (t: number): Trial<V> => {
    const xt = ops.axpy(t, d, x);
    let out: LossAndGradValue<V>;
    try {
      out = lossAndGrad(xt);
    } finally {
      ops.dispose(xt);
    }
    let gtd = ops.dot(out.grad, d);
    let f = out.loss;
    if (!Number.isFinite(f) || !Number.isFinite(gtd)) {
      sawNonFinite = true;
      f = Infinity;
      gtd = Infinity;
    }
    const trial = { t, f, g: out.grad, gtd };
    trials.push(trial);
    return trial;
  };
  const finish = (best: Trial<V>, wolfe: boolean): StrongWolfeResult<V> => {
    for (const tr of trials) if (tr !== best && tr.g !== undefined) ops.dispose(tr.g);
    const accepted = best.t > 0 && Number.isFinite(best.f) && armijo(best);
    if (!accepted && best.g !== undefined) ops.dispose(best.g);
    return accepted
      ? { t: best.t, loss: best.f, grad: best.g, evaluations: trials.length, wolfe, sawNonFinite }
      : { t: 0, loss: f0, grad: undefined, evaluations: trials.length, wolfe: false, sawNonFinite };
  };
  const origin: Trial<V> = { t: 0, f: f0, g: undefined, gtd: gtd0 };
  // Sufficient decrease, or Hager–Zhang's approximate form when f is at round-off level: f within
  // 100 eps |f0| of f0 and the slope g.d bounded by (2 c1 - 1) g0.d (so the step still reduces the gradient).
  const fSlack = 100 * ops.epsilon * Math.abs(f0);
  const armijo = (tr: Trial<V>) =>
    tr.f <= f0 + c1 * tr.t * gtd0 || (tr.f <= f0 + fSlack && tr.gtd <= (2 * c1 - 1) * gtd0);
  const curvature = (tr: Trial<V>) => Math.abs(tr.gtd) <= -c2 * gtd0;

  // Algorithm 3.6: zoom inside the bracket [lo, hi]; lo always satisfies sufficient decrease with f(lo) <= f(hi).
  const zoom = (loIn: Trial<V>, hiIn: Trial<V>): StrongWolfeResult<V> => {
    let lo = loIn;
    let hi = hiIn;
    while (trials.length < maxEvals) {
      if (Math.abs(hi.t - lo.t) * dMax < tol) break;
      const a = Math.min(lo.t, hi.t);
      const b = Math.max(lo.t, hi.t);
      let t = Number.isFinite(hi.f)
        ? cubicMinimizer([lo.t, lo.f, lo.gtd], [hi.t, hi.f, hi.gtd], [a, b])
        : (a + b) / 2;
      // Safeguard: stay at least 10% of the bracket away from its ends.
      const margin = 0.1 * (b - a);
      t = Math.min(Math.max(t, a + margin), b - margin);
      const tr = evaluate(t);
      if (!armijo(tr) || tr.f >= lo.f) {
        hi = tr;
      } else {
        if (curvature(tr)) return finish(tr, true);
        if (tr.gtd * (hi.t - lo.t) >= 0) hi = lo;
        lo = tr;
      }
    }
    return finish(lo, false);
  };

  // Algorithm 3.5: expand the step until the minimiser is bracketed.
  let prev = origin;
  let t = options.t0;
  while (trials.length < maxEvals) {
    const cur = evaluate(t);
    if (!armijo(cur) || (prev !== origin && cur.f >= prev.f)) return zoom(prev, cur);
    if (curvature(cur)) return finish(cur, true);
    if (cur.gtd >= 0) return zoom(cur, prev);
    const next = cubicMinimizer(
      [prev.t, prev.f, prev.gtd],
      [cur.t, cur.f, cur.gtd],
      [cur.t + 0.01 * (cur.t - prev.t), cur.t * 10],
    );
    prev = cur;
    t = next;
  }
  // Out of evaluations: return the best sufficient-decrease point seen.
  let best = origin;
  for (const tr of trials) if (armijo(tr) && tr.f < best.f) best = tr;
  return finish(best, false);
}
