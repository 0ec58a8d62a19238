import { IntegratorError, describe } from './errors';

/** One sub-flow of a splitting scheme: `drift` advances q by `c h dT/dp(p)`, `kick` advances p by `-c h dV/dq(q)`. */
export interface SplittingFlow {
  readonly op: 'drift' | 'kick';
  readonly c: number;
}

/** What {@link defineSplittingScheme} takes: alternating drift/kick coefficients, the order and a source. */
export interface SplittingSchemeSpec {
  /** Method name, e.g. `'forestRuth'`. */
  name: string;
  /** Claimed order of accuracy; verified exactly against the free-algebra order conditions. */
  order: number;
  /** Drift coefficients a_1, a_2, ... (sum to 1). */
  a: readonly number[];
  /** Kick coefficients b_1, b_2, ... (sum to 1). */
  b: readonly number[];
  /** Which flow comes first: `'drift'` (a_1 D, b_1 K, a_2 D, ...) or `'kick'` (b_1 K, a_1 D, ...). Default `'drift'`. */
  first?: 'drift' | 'kick';
  /** Citation of the coefficients. */
  source: string;
}

/**
 * A validated, frozen splitting method for separable H = T(p) + V(q):
 * one step is the composition `prod_i exp(a_i h D) exp(b_i h K)` of exact drift and kick flows.
 */
export interface SplittingScheme {
  readonly type: 'splitting';
  readonly name: string;
  readonly order: number;
  readonly source: string;
  /** Flows in execution order, adjacent flows of the same kind merged, zero coefficients dropped. */
  readonly sequence: readonly SplittingFlow[];
  /** Derived: the sequence is a palindrome (the method is symmetric, hence time-reversible, even order). */
  readonly symmetric: boolean;
  /** Derived: the step ends and starts with a kick, so the last force of a step is reused by the next (FSAL). */
  readonly fsal: boolean;
  /** Derived: force (dV/dq) evaluations per step, counting FSAL reuse. */
  readonly forceEvaluations: number;
  /** Always true: compositions of exact flows of Hamiltonian sub-problems are symplectic. */
  readonly symplectic: true;
}

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));

/**
 * Verifies the order of a splitting sequence exactly: expands the product of exponentials
 * `prod exp(c_i h X_i)` in the free associative algebra on two letters up to degree `maxDegree` and
 * compares every word with `exp(h (A + B))`, whose coefficient of a word of length k is 1/k!.
 * Returns the largest degree p such that all words of length <= p match (the order).
 *
 * @see E. Hairer, C. Lubich, G. Wanner, Geometric Numerical Integration, 2nd ed., Springer 2006, §III.3.
 */
export function splittingOrder(sequence: readonly SplittingFlow[], maxDegree: number): number {
  const L = maxDegree;
  const size = 1 << (L + 1);
  let S = new Float64Array(size);
  let Sabs = new Float64Array(size);
  S[1] = 1;
  Sabs[1] = 1;
  for (const { op, c } of sequence) {
    const letter = op === 'drift' ? 0 : 1;
    const S2 = S.slice();
    const A2 = Sabs.slice();
    for (let m = 0; m < L; m++) {
      for (let bits = 0; bits < 1 << m; bits++) {
        const w = (1 << m) + bits;
        if (S[w] === 0 && Sabs[w] === 0) continue;
        let ck = 1;
        let ak = 1;
        for (let k = 1; m + k <= L; k++) {
          ck *= c / k;
          ak *= Math.abs(c) / k;
          const nb = (bits << k) | (letter ? (1 << k) - 1 : 0);
          const idx = (1 << (m + k)) + nb;
          S2[idx] += S[w] * ck;
          A2[idx] += Sabs[w] * ak;
        }
      }
    }
    S = S2;
    Sabs = A2;
  }
  for (let m = 1; m <= L; m++) {
    const target = 1 / factorial(m);
    for (let bits = 0; bits < 1 << m; bits++) {
      const w = (1 << m) + bits;
      if (Math.abs(S[w] - target) > 1e-12 * Math.max(Sabs[w], target) + 1e-15) return m - 1;
    }
  }
  return L;
}

function buildSequence(spec: SplittingSchemeSpec): SplittingFlow[] {
  const first = spec.first ?? 'drift';
  const second = first === 'drift' ? 'kick' : 'drift';
  const c1 = first === 'drift' ? spec.a : spec.b;
  const c2 = first === 'drift' ? spec.b : spec.a;
  const raw: SplittingFlow[] = [];
  for (let i = 0; i < Math.max(c1.length, c2.length); i++) {
    if (i < c1.length) raw.push({ op: first, c: c1[i] });
    if (i < c2.length) raw.push({ op: second, c: c2[i] });
  }
  return mergeFlows(raw);
}

/** Merges adjacent flows of the same kind and drops zero coefficients. */
export function mergeFlows(raw: readonly SplittingFlow[]): SplittingFlow[] {
  const seq: SplittingFlow[] = [];
  for (const f of raw) {
    if (f.c === 0) continue;
    const last = seq[seq.length - 1];
    if (last && last.op === f.op) seq[seq.length - 1] = { op: f.op, c: last.c + f.c };
    else seq.push({ op: f.op, c: f.c });
  }
  return seq;
}

/**
 * Validates and freezes a splitting method. Checks: coefficients finite; the two sets each sum to 1
 * (consistency); the claimed order is exactly the order given by the free-algebra conditions
 * ({@link splittingOrder}); derives `symmetric`, `fsal` and the force-evaluation count.
 *
 * @throws IntegratorError `INVALID_METHOD` when any check fails (the message gives the measured order).
 * @example
 * ```ts
 * const verlet = defineSplittingScheme({ name: 'leapfrogKDK', order: 2, first: 'kick', b: [0.5, 0.5], a: [1], source: 'Verlet 1967' });
 * ```
 */
export function defineSplittingScheme(spec: SplittingSchemeSpec): SplittingScheme {
  const fn = 'defineSplittingScheme';
  const bad = (msg: string) => new IntegratorError('INVALID_METHOD', `${fn}(): scheme '${spec.name}' ${msg}`);
  for (const [k, arr] of [
    ['a', spec.a],
    ['b', spec.b],
  ] as const) {
    if (!Array.isArray(arr) || arr.length === 0 || !arr.every(Number.isFinite)) {
      throw bad(`argument '${k}' must be a non-empty array of finite numbers, got ${describe(arr)}`);
    }
  }
  const first = spec.first ?? 'drift';
  const nFirst = first === 'drift' ? spec.a.length : spec.b.length;
  const nSecond = first === 'drift' ? spec.b.length : spec.a.length;
  if (nFirst !== nSecond && nFirst !== nSecond + 1) {
    throw bad(
      `needs the first coefficient list to be as long as the second or one longer (${nFirst} vs ${nSecond})`,
    );
  }
  const sum = (x: readonly number[]) => x.reduce((s, v) => s + v, 0);
  if (Math.abs(sum(spec.a) - 1) > 1e-12 || Math.abs(sum(spec.b) - 1) > 1e-12) {
    throw bad(
      `is inconsistent: drift coefficients sum to ${sum(spec.a)}, kick coefficients to ${sum(spec.b)} (both must be 1)`,
    );
  }
  const sequence = buildSequence(spec);
  return finishScheme(spec, sequence);
}

/** Validates the order of a ready sequence and freezes the scheme (shared by define and compose). */
export function finishScheme(
  meta: { name: string; order: number; source: string },
  sequence: readonly SplittingFlow[],
): SplittingScheme {
  const { name, order, source } = meta;
  if (!Number.isInteger(order) || order < 1 || order > 12) {
    throw new IntegratorError(
      'INVALID_METHOD',
      `defineSplittingScheme(): scheme '${name}' has order ${order}; expected an integer in 1..12`,
    );
  }
  const total = (op: string) => sequence.filter((f) => f.op === op).reduce((acc, f) => acc + f.c, 0);
  if (Math.abs(total('drift') - 1) > 1e-12 || Math.abs(total('kick') - 1) > 1e-12) {
    throw new IntegratorError(
      'INVALID_METHOD',
      `defineSplittingScheme(): scheme '${name}' is inconsistent: drift coefficients sum to ${total('drift')}, kick coefficients to ${total('kick')} (both must be 1)`,
    );
  }
  const measured = splittingOrder(sequence, order + 1);
  const n = sequence.length;
  const symmetric = sequence.every(
    (f, i) => f.op === sequence[n - 1 - i].op && Math.abs(f.c - sequence[n - 1 - i].c) < 1e-13,
  );
  // A symmetric method has even order, so an apparent extra odd order is rounding in the degree order+1 test.
  const exact = measured === order || (symmetric && order % 2 === 0 && measured === order + 1);
  if (!exact) {
    throw new IntegratorError(
      'INVALID_METHOD',
      `defineSplittingScheme(): scheme '${name}' claims order ${order} but its coefficients satisfy the order conditions to order ${measured}`,
    );
  }
  const kicks = sequence.filter((f) => f.op === 'kick').length;
  const fsal = n > 1 && sequence[0].op === 'kick' && sequence[n - 1].op === 'kick';
  return Object.freeze({
    type: 'splitting' as const,
    name,
    order,
    source,
    sequence: Object.freeze(sequence.map((f) => Object.freeze({ ...f }))),
    symmetric,
    fsal,
    forceEvaluations: fsal ? kicks - 1 : kicks,
    symplectic: true as const,
  });
}

/**
 * A composition method `Phi_h = base_{g_s h} o ... o base_{g_1 h}` of a splitting scheme with weights
 * `g_i` (summing to 1), as a new validated splitting scheme with merged flows.
 *
 * @example
 * ```ts
 * const fr = composeWeights(leapfrog, [g, 1 - 2 * g, g], { name: 'forestRuth', order: 4, source: '...' });
 * ```
 * @see Hairer, Lubich, Wanner, Geometric Numerical Integration, §V.3.
 */
export function composeWeights(
  base: SplittingScheme,
  weights: readonly number[],
  meta: { name: string; order: number; source: string },
): SplittingScheme {
  const s = weights.reduce((a, v) => a + v, 0);
  if (!weights.every(Number.isFinite) || Math.abs(s - 1) > 1e-12) {
    throw new IntegratorError(
      'INVALID_METHOD',
      `composeWeights(): weights of '${meta.name}' must be finite and sum to 1, got sum ${s}`,
    );
  }
  const raw: SplittingFlow[] = [];
  for (const w of weights) for (const f of base.sequence) raw.push({ op: f.op, c: f.c * w });
  return finishScheme(meta, mergeFlows(raw));
}

/**
 * Raises a symmetric scheme of even order 2k to any even `order` by Yoshida's triple jump, applied
 * recursively: `g1 = 1 / (2 - 2^(1/(2k+1)))`, `g2 = 1 - 2 g1`, weights `[g1, g2, g1]`.
 *
 * @throws IntegratorError `INVALID_METHOD` if `base` is not symmetric or `order` is not an even number >= base order.
 * @example
 * ```ts
 * const sixth = compose(leapfrog, 6); // 9 leapfrog sub-steps, order 6
 * ```
 * @see H. Yoshida, Construction of higher order symplectic integrators, Phys. Lett. A 150 (1990) 262-268.
 */
export function compose(base: SplittingScheme, order: number): SplittingScheme {
  if (!base.symmetric) {
    throw new IntegratorError(
      'INVALID_METHOD',
      `compose(): argument 'base' must be a symmetric scheme, got '${base.name}'`,
    );
  }
  if (!Number.isInteger(order) || order % 2 !== 0 || order < base.order || order > 10) {
    throw new IntegratorError(
      'INVALID_ARGUMENT',
      `compose(): argument 'order' must be an even integer in ${base.order}..10, got ${describe(order)}`,
    );
  }
  let scheme = base;
  while (scheme.order < order) {
    const k = scheme.order;
    const g1 = 1 / (2 - 2 ** (1 / (k + 1)));
    scheme = composeWeights(scheme, [g1, 1 - 2 * g1, g1], {
      name: `compose(${base.name},${k + 2})`,
      order: k + 2,
      source: 'Yoshida 1990, Phys. Lett. A 150:262 (triple jump)',
    });
  }
  return scheme;
}
