import type { CheckStatus, RunStatus } from '@noether/autodiff';
import {
  checkWeights64,
  copyWeights64,
  type DenseChain,
  type DenseLayer,
  type Weights64,
} from './dense-chain';
import { ParamSymmetryError, checkNumber, invalid } from './errors';
import { predict64 } from './mlp64';
import { homogeneityDegree, isOdd, type ChargeSet } from './noether-charges';
import { seededNormals } from './rng';

/** Which hidden layer an action applies to: its name or its index in the chain. */
export type LayerRef = string | number;

function hiddenLayer(
  fn: string,
  chain: DenseChain,
  ref: LayerRef,
): { index: number; a: DenseLayer; b: DenseLayer } {
  const index = typeof ref === 'number' ? ref : chain.layers.findIndex((l) => l.name === ref);
  if (!Number.isInteger(index) || index < 0 || index >= chain.layers.length - 1)
    invalid([fn, 'layer'], `a hidden layer (name or index 0..${chain.layers.length - 2})`, ref);
  return { index, a: chain.layers[index], b: chain.layers[index + 1] };
}

/**
 * Positive rescaling of the neurons of a hidden layer with a positively `alpha`-homogeneous activation
 * (linear, ReLU, leaky ReLU, `homogeneous`): `w_in,i -> c_i w_in,i`, `b_i -> c_i b_i`,
 * `w_out,i -> c_i^-alpha w_out,i`. The network function is unchanged. Returns new arrays.
 *
 * @throws ParamSymmetryError `UNSUPPORTED` for other activations; `INVALID_ARGUMENT` for non-positive factors.
 * @example
 * ```ts
 * const w2 = rescaleNeurons(chain, w, { layer: 0, factors: Float64Array.of(2, 0.5, 1) });
 * ```
 */
export function rescaleNeurons(
  chain: DenseChain,
  weights: Weights64,
  options: { layer: LayerRef; factors: ArrayLike<number> },
): Float64Array[] {
  const fn = 'rescaleNeurons';
  checkWeights64(fn, chain, weights);
  const { a, b } = hiddenLayer(fn, chain, options?.layer);
  const alpha = homogeneityDegree(a);
  if (alpha === undefined)
    throw new ParamSymmetryError(
      'UNSUPPORTED',
      `${fn}(): layer '${a.name}' (${a.activation.kind}) is not positively homogeneous`,
      { fn },
    );
  const c = options.factors;
  if (!c || c.length !== a.units) invalid([fn, 'factors'], `${a.units} positive numbers`, c);
  for (let i = 0; i < a.units; i++)
    if (!(c[i] > 0 && Number.isFinite(c[i])))
      invalid([fn, `factors[${i}]`], 'a finite positive number', c[i]);
  const out = copyWeights64(weights);
  applyRescale(out, { a, b, alpha }, c);
  return out;
}

function applyRescale(
  w: Float64Array[],
  l: { a: DenseLayer; b: DenseLayer; alpha: number },
  c: ArrayLike<number>,
): void {
  const { a, b, alpha } = l;
  const h = a.units;
  const K1 = w[a.kernel];
  for (let r = 0; r < a.inputDim; r++) for (let i = 0; i < h; i++) K1[r * h + i] *= c[i];
  if (a.bias >= 0) for (let i = 0; i < h; i++) w[a.bias][i] *= c[i];
  const K2 = w[b.kernel];
  for (let i = 0; i < h; i++) {
    const s = c[i] ** -alpha;
    for (let k = 0; k < b.units; k++) K2[i * b.units + k] *= s;
  }
}

/** Inverse of a small square matrix (row-major) by Gauss–Jordan with partial pivoting; undefined when singular. */
function invertMatrix(A: ArrayLike<number>, n: number): Float64Array | undefined {
  const M = Float64Array.from(A);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(M[i]));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r * n + col]) > Math.abs(M[piv * n + col])) piv = r;
    if (!(Math.abs(M[piv * n + col]) > 1e-14 * scale)) return undefined;
    if (piv !== col)
      for (let k = 0; k < n; k++) {
        [M[col * n + k], M[piv * n + k]] = [M[piv * n + k], M[col * n + k]];
        [inv[col * n + k], inv[piv * n + k]] = [inv[piv * n + k], inv[col * n + k]];
      }
    const p = M[col * n + col];
    for (let k = 0; k < n; k++) {
      M[col * n + k] /= p;
      inv[col * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = M[r * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        M[r * n + k] -= f * M[col * n + k];
        inv[r * n + k] -= f * inv[col * n + k];
      }
    }
  }
  return inv;
}

/** Applies `A` (h x h) of GL(h) between a linear hidden layer and the next: `K1 -> K1 A^T`, `b -> A b`, `K2 -> A^-T K2`. */
export function applyGL(
  w: Float64Array[],
  l: { a: DenseLayer; b: DenseLayer },
  m: { A: Float64Array; Ainv: Float64Array },
): void {
  const { a, b } = l;
  const { A, Ainv } = m;
  const h = a.units;
  const K1 = w[a.kernel];
  const row = new Float64Array(h);
  for (let r = 0; r < a.inputDim; r++) {
    for (let i = 0; i < h; i++) {
      let s = 0;
      for (let j = 0; j < h; j++) s += K1[r * h + j] * A[i * h + j];
      row[i] = s;
    }
    K1.set(row, r * h);
  }
  if (a.bias >= 0) {
    const bv = w[a.bias];
    for (let i = 0; i < h; i++) {
      let s = 0;
      for (let j = 0; j < h; j++) s += A[i * h + j] * bv[j];
      row[i] = s;
    }
    bv.set(row);
  }
  const o = b.units;
  const K2 = w[b.kernel];
  const out = new Float64Array(h * o);
  for (let i = 0; i < h; i++)
    for (let k = 0; k < o; k++) {
      let s = 0;
      for (let j = 0; j < h; j++) s += Ainv[j * h + i] * K2[j * o + k];
      out[i * o + k] = s;
    }
  K2.set(out);
}

/**
 * GL(h) action between a linear hidden layer and the next layer: `W1 -> A W1`, `b1 -> A b1`,
 * `W2 -> W2 A^-1` (`W = K^T`). The network function is unchanged. Returns new arrays.
 *
 * @throws ParamSymmetryError `UNSUPPORTED` when the layer is not linear; `INVALID_ARGUMENT` for a singular `matrix`.
 * @example
 * ```ts
 * const w2 = transformLinear(chain, w, { layer: 0, matrix: Float64Array.of(1, 2, 0, 1) });
 * ```
 */
export function transformLinear(
  chain: DenseChain,
  weights: Weights64,
  options: { layer: LayerRef; matrix: ArrayLike<number> },
): Float64Array[] {
  const fn = 'transformLinear';
  checkWeights64(fn, chain, weights);
  const { a, b } = hiddenLayer(fn, chain, options?.layer);
  if (a.activation.kind !== 'linear')
    throw new ParamSymmetryError(
      'UNSUPPORTED',
      `${fn}(): layer '${a.name}' (${a.activation.kind}) is not linear`,
      { fn },
    );
  const h = a.units;
  if (!options.matrix || options.matrix.length !== h * h)
    invalid([fn, 'matrix'], `an ${h}x${h} matrix (row-major, length ${h * h})`, options.matrix);
  const A = Float64Array.from(options.matrix);
  const Ainv = invertMatrix(A, h);
  if (!Ainv) invalid([fn, 'matrix'], 'an invertible matrix', 'a singular matrix');
  const out = copyWeights64(weights);
  applyGL(out, { a, b }, { A, Ainv });
  return out;
}

function applyPermutation(
  w: Float64Array[],
  l: { a: DenseLayer; b: DenseLayer },
  m: { perm: ArrayLike<number>; signs?: ArrayLike<number> },
): void {
  const { a, b } = l;
  const { perm, signs } = m;
  const h = a.units;
  const K1 = w[a.kernel];
  const old1 = K1.slice();
  for (let r = 0; r < a.inputDim; r++)
    for (let i = 0; i < h; i++) K1[r * h + i] = (signs ? signs[i] : 1) * old1[r * h + perm[i]];
  if (a.bias >= 0) {
    const old = w[a.bias].slice();
    for (let i = 0; i < h; i++) w[a.bias][i] = (signs ? signs[i] : 1) * old[perm[i]];
  }
  const o = b.units;
  const K2 = w[b.kernel];
  const old2 = K2.slice();
  for (let i = 0; i < h; i++)
    for (let k = 0; k < o; k++) K2[i * o + k] = (signs ? signs[i] : 1) * old2[perm[i] * o + k];
}

export { applyPermutation as permuteInPlace, applyRescale as rescaleInPlace };

function checkPermutation(fn: string, perm: unknown, h: number): ArrayLike<number> {
  const p = perm as ArrayLike<number>;
  if (!p || p.length !== h) invalid([fn, 'permutation'], `a permutation of 0..${h - 1}`, perm);
  const seen = new Uint8Array(h);
  for (let i = 0; i < h; i++) {
    if (!Number.isInteger(p[i]) || p[i] < 0 || p[i] >= h || seen[p[i]])
      invalid([fn, 'permutation'], `a permutation of 0..${h - 1}`, perm);
    seen[p[i]] = 1;
  }
  return p;
}

/**
 * Permutes the neurons of a hidden layer: new neuron `i` is old neuron `permutation[i]` (its incoming
 * weights, bias and outgoing weights move together). A symmetry for every elementwise activation.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` when `permutation` is not a permutation of `0..h-1`.
 * @example
 * ```ts
 * const w2 = permuteNeurons(chain, w, { layer: 0, permutation: [2, 0, 1] });
 * ```
 */
export function permuteNeurons(
  chain: DenseChain,
  weights: Weights64,
  options: { layer: LayerRef; permutation: ArrayLike<number> },
): Float64Array[] {
  const fn = 'permuteNeurons';
  checkWeights64(fn, chain, weights);
  const { a, b } = hiddenLayer(fn, chain, options?.layer);
  const perm = checkPermutation(fn, options.permutation, a.units);
  const out = copyWeights64(weights);
  applyPermutation(out, { a, b }, { perm });
  return out;
}

/**
 * Flips the sign of neurons of a hidden layer with an odd activation (tanh, sin, linear): incoming weights,
 * bias and outgoing weights of neuron `i` are multiplied by `signs[i]` (±1).
 *
 * @throws ParamSymmetryError `UNSUPPORTED` for a non-odd activation; `INVALID_ARGUMENT` for entries other than ±1.
 * @example
 * ```ts
 * const w2 = flipSigns(chain, w, { layer: 0, signs: [1, -1, 1] });
 * ```
 */
export function flipSigns(
  chain: DenseChain,
  weights: Weights64,
  options: { layer: LayerRef; signs: ArrayLike<number> },
): Float64Array[] {
  const fn = 'flipSigns';
  checkWeights64(fn, chain, weights);
  const { a, b } = hiddenLayer(fn, chain, options?.layer);
  if (!isOdd(a))
    throw new ParamSymmetryError(
      'UNSUPPORTED',
      `${fn}(): layer '${a.name}' (${a.activation.kind}) is not odd`,
      { fn },
    );
  const s = options.signs;
  if (!s || s.length !== a.units) invalid([fn, 'signs'], `${a.units} entries of +1 or -1`, s);
  for (let i = 0; i < a.units; i++)
    if (s[i] !== 1 && s[i] !== -1) invalid([fn, `signs[${i}]`], '+1 or -1', s[i]);
  const out = copyWeights64(weights);
  applyPermutation(out, { a, b }, { perm: Array.from({ length: a.units }, (_, i) => i), signs: s });
  return out;
}

/** Result of {@link checkInvariance}. */
export interface InvarianceCheck {
  status: CheckStatus;
  /** Largest `|f_after - f_before|` over the inputs, relative to `max(1, max |f_before|)`. */
  maxDifference: number;
  tol: number;
}

/**
 * Checks that two weight lists define the same function on the inputs `x` `[n, inputDim]` (float64
 * forward passes): the invariance check of every symmetry action.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs.
 * @example
 * ```ts
 * checkInvariance(chain, w, rescaleNeurons(chain, w, { layer: 0, factors }), { x, n }).status; // 'pass'
 * ```
 */
export function checkInvariance(
  chain: DenseChain,
  pair: { before: Weights64; after: Weights64 },
  input: { x: Float64Array; n: number; tol?: number },
): InvarianceCheck {
  const tol = checkNumber(['checkInvariance', 'tol'], input?.tol ?? 1e-10, { min: 0 });
  const f0 = predict64(chain, pair.before, input);
  const f1 = predict64(chain, pair.after, input);
  let scale = 1;
  for (const v of f0) scale = Math.max(scale, Math.abs(v));
  let diff = 0;
  for (let i = 0; i < f0.length; i++) diff = Math.max(diff, Math.abs(f1[i] - f0[i]) / scale);
  return { status: diff <= tol ? 'pass' : 'fail', maxDifference: diff, tol };
}

/** Options of {@link balance} and {@link initWeights64}'s charge setting. */
export interface BalanceOptions {
  /** Stop when every rescaling charge is within `tol * mass` of its target. Default 1e-12. */
  tol?: number;
  /** Sweep cap. Default 1000. */
  maxIterations?: number;
}

/** Result of {@link balance}. */
export interface BalanceResult {
  weights: Float64Array[];
  status: Extract<RunStatus, 'ok' | 'max-iterations'>;
  /** Sweeps over the layers. */
  iterations: number;
  /** Largest `|q_i - target| / mass_i` at the end. */
  residual: number;
}

function setCharges(
  chain: DenseChain,
  weights: Weights64,
  opts: BalanceOptions & { target: number; fn: string },
): BalanceResult {
  const fn = opts.fn;
  const tol = checkNumber([fn, 'tol'], opts.tol ?? 1e-12, { min: 0 });
  const maxIterations = checkNumber([fn, 'maxIterations'], opts.maxIterations ?? 1000, {
    min: 1,
    inclusive: true,
    integer: true,
  });
  const w = copyWeights64(weights);
  const hidden = chain.layers
    .slice(0, -1)
    .map((a, i) => ({ a, b: chain.layers[i + 1], alpha: homogeneityDegree(a) }))
    .filter(
      (l): l is { a: DenseLayer; b: DenseLayer; alpha: number } =>
        l.alpha !== undefined && l.a.normalization === 'none',
    );
  let residual = 0;
  for (let it = 1; it <= maxIterations; it++) {
    residual = 0;
    for (const l of hidden) {
      const { a, b, alpha } = l;
      const h = a.units;
      const c = new Float64Array(h);
      for (let i = 0; i < h; i++) {
        let A = 0;
        for (let r = 0; r < a.inputDim; r++) A += w[a.kernel][r * h + i] ** 2;
        if (a.bias >= 0) A += w[a.bias][i] ** 2;
        let B = 0;
        for (let k = 0; k < b.units; k++) B += w[b.kernel][i * b.units + k] ** 2;
        residual = Math.max(
          residual,
          Math.abs(A - alpha * B - opts.target) / Math.max(A + alpha * B, 1e-300),
        );
        c[i] = solveScale(A, alpha * B, { alpha, target: opts.target });
      }
      applyRescale(w, l, c);
    }
    if (residual <= tol) return { weights: w, status: 'ok', iterations: it, residual };
  }
  return { weights: w, status: 'max-iterations', iterations: maxIterations, residual };
}

/** The factor c > 0 with `c^2 A - c^(-2 alpha) B = target` (1 when A and B vanish). */
function solveScale(A: number, B: number, o: { alpha: number; target: number }): number {
  if (A <= 0 && B <= 0) return 1;
  if (o.alpha === 1) {
    // u = c^2: A u^2 - target u - B = 0.
    if (A <= 0) return 1;
    const disc = Math.sqrt(o.target * o.target + 4 * A * B);
    const u = o.target >= 0 ? (o.target + disc) / (2 * A) : (2 * B) / (disc - o.target);
    return u > 0 ? Math.sqrt(u) : 1;
  }
  // Bisection in log c on the increasing function c^2 A - c^(-2 alpha) B.
  let lo = -50;
  let hi = 50;
  for (let k = 0; k < 200; k++) {
    const m = (lo + hi) / 2;
    const v = Math.exp(2 * m) * A - Math.exp(-2 * o.alpha * m) * B - o.target;
    if (v > 0) hi = m;
    else lo = m;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Moves the weights along the rescaling orbit (same function) to the balanced point: every
 * positive-rescaling charge `q_i = 0` (for linear layers the diagonal of the GL charge). Sweeps the hidden
 * layers until the largest relative charge is below `tol`; the balanced point of an orbit is unique (it
 * minimises the weight norm over the orbit).
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for bad options or weights.
 * @example
 * ```ts
 * const { weights, residual } = balance(set, w);
 * ```
 * @see S. S. Du, W. Hu, J. D. Lee, "Algorithmic regularization in learning deep homogeneous models", NeurIPS 2018.
 */
export function balance(set: ChargeSet, weights: Weights64, options: BalanceOptions = {}): BalanceResult {
  checkWeights64('balance', set.chain, weights);
  return setCharges(set.chain, weights, { ...options, target: 0, fn: 'balance' });
}

/** Options of {@link initWeights64}. */
export interface InitOptions extends BalanceOptions {
  /** Seed of the normal draws. */
  seed: number;
  /** Kernel standard deviation is `gain / sqrt(inputDim)`. Default sqrt(2) for ReLU-like, 1 otherwise. */
  gain?: number;
  /** Bias standard deviation. Default 0.1. */
  biasScale?: number;
  /**
   * Set every rescaling charge `q_i` of the homogeneous hidden layers to this value by rescaling along
   * the orbit (0 = balanced). Default: leave the random charges.
   */
  charge?: number;
}

/**
 * Seeded float64 initial weights for a chain (normal kernels `N(0, gain^2 / inputDim)`, normal biases),
 * optionally moved along the symmetry orbit so every rescaling charge equals `charge` (balanced when 0, or a
 * given imbalance). The network function is that of the random draw.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for a bad seed or options.
 * @example
 * ```ts
 * const w = initWeights64(chain, { seed: 1, charge: 0 });
 * ```
 */
export function initWeights64(chain: DenseChain, options: InitOptions): Float64Array[] {
  const fn = 'initWeights64';
  checkNumber([fn, 'seed'], options?.seed, { min: 0, inclusive: true, integer: true });
  const biasScale = checkNumber([fn, 'biasScale'], options.biasScale ?? 0.1, { min: 0, inclusive: true });
  const draws = seededNormals(chain.size, options.seed);
  let o = 0;
  const w = chain.shapes.map((s) => {
    const n = s.reduce((a, d) => a * d, 1);
    const arr = draws.slice(o, o + n);
    o += n;
    return arr;
  });
  for (const l of chain.layers) {
    const reluLike = ['relu', 'leakyRelu', 'homogeneous'].includes(l.activation.kind);
    const gain = options.gain ?? (reluLike ? Math.SQRT2 : 1);
    const sd = gain / Math.sqrt(l.inputDim);
    w[l.kernel].forEach((v, i, arr) => (arr[i] = v * sd));
    if (l.bias >= 0) w[l.bias].forEach((v, i, arr) => (arr[i] = v * biasScale));
  }
  if (options.charge === undefined) return w;
  const target = checkNumber([fn, 'charge'], options.charge, { min: -Infinity });
  const r = setCharges(chain, w, { ...options, target, fn });
  if (r.status !== 'ok')
    throw new ParamSymmetryError(
      'NOT_CONVERGED',
      `${fn}(): could not set the charges to ${target} (residual ${r.residual.toExponential(2)} after ${r.iterations} sweeps)`,
      { fn },
    );
  return r.weights;
}

/**
 * A canonical representative of a weight list's orbit under the symmetries of its hidden layers:
 * balanced (rescaling), signs fixed for odd activations (each neuron's bias, or else its first incoming
 * weight, made non-negative), then neurons sorted by decreasing incoming norm. Two weight lists on the same
 * orbit of these groups map to the same canonical weights (up to round-off and ties). Linear layers are
 * canonicalised under diagonal rescaling, sign and permutation only (not the full GL(h)).
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for bad weights.
 * @example
 * ```ts
 * const c = canonicalize(set, w);
 * ```
 */
export function canonicalize(set: ChargeSet, weights: Weights64): Float64Array[] {
  const fn = 'canonicalize';
  const chain = set.chain;
  checkWeights64(fn, chain, weights);
  let w = setCharges(chain, weights, { target: 0, tol: 1e-14, maxIterations: 10000, fn }).weights;
  w = copyWeights64(w);
  chain.layers.slice(0, -1).forEach((a, l) => {
    const b = chain.layers[l + 1];
    const h = a.units;
    const ident = Array.from({ length: h }, (_, i) => i);
    if (isOdd(a)) {
      const signs = ident.map((i) => {
        const key =
          a.bias >= 0 && w[a.bias][i] !== 0
            ? w[a.bias][i]
            : firstNonZero(w[a.kernel], { h, rows: a.inputDim, i });
        return key < 0 ? -1 : 1;
      });
      applyPermutation(w, { a, b }, { perm: ident, signs });
    }
    const norms = ident.map((i) => {
      let s = a.bias >= 0 ? w[a.bias][i] ** 2 : 0;
      for (let r = 0; r < a.inputDim; r++) s += w[a.kernel][r * h + i] ** 2;
      return s;
    });
    const perm = ident.slice().sort((i, j) => norms[j] - norms[i] || i - j);
    applyPermutation(w, { a, b }, { perm });
  });
  return w;
}

function firstNonZero(K: Float64Array, at: { h: number; rows: number; i: number }): number {
  for (let r = 0; r < at.rows; r++) if (K[r * at.h + at.i] !== 0) return K[r * at.h + at.i];
  return 0;
}
