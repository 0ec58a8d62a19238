import { createRng } from '@noether/autodiff';
import { checkWeights64, copyWeights64, type Weights64 } from './dense-chain';
import { checkNumber, invalid } from './errors';
import { hungarian } from './hungarian';
import { isOdd, type ChargeSet } from './noether-charges';
import { permuteInPlace } from './symmetry-actions';

/** Options of {@link weightMatch}. */
export interface WeightMatchOptions {
  /** Sweeps of coordinate descent over the layers. Default 100. */
  maxIterations?: number;
  /** Seed of the layer order in sweeps after the first (which runs front to back). Default 0. */
  seed?: number;
  /** Also match signs on layers with odd activations (tanh, sin, linear). Default true. */
  signed?: boolean;
}

/** Result of {@link weightMatch}. */
export interface WeightMatchResult {
  /** Network B moved onto A's orbit point: same function as B, neurons aligned with A. */
  weights: Float64Array[];
  /** Per hidden layer: new neuron `i` of B is old neuron `permutations[l][i]`. */
  permutations: Int32Array[];
  /** Per hidden layer: the sign applied to each (new) neuron (all +1 when unsigned). */
  signs: Int8Array[];
  /** `sum_l <W_l^A, W_l^B'>` (kernels and biases) before and after. */
  similarityBefore: number;
  similarityAfter: number;
  /** Sweeps until no layer changed. */
  iterations: number;
  status: 'ok' | 'max-iterations';
}

/**
 * Weight matching (Git Re-Basin): per-hidden-layer permutations of network B that maximise
 * `sum_l <W_l^A, P_l W_l^B P_(l-1)^T>`, found by coordinate descent over the layers, each layer's
 * permutation solved exactly by the Hungarian algorithm given the others. The first sweep runs front to back on
 * incoming weights only, which recovers a permuted (and sign-flipped) copy exactly. With `signed` (default), layers
 * with odd activations also choose a sign per neuron (the score of a pair is `|S_ij|`, its sign the flip).
 * B's function is unchanged.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs.
 * @example
 * ```ts
 * const { weights } = weightMatch(set, wA, wB);
 * lossBarrier(set.chain, wA, weights, { data }).barrier; // lower than for wB
 * ```
 * @see S. K. Ainsworth, J. Hayase, S. Srinivasa, "Git Re-Basin", ICLR 2023.
 */
export function weightMatch(
  set: ChargeSet,
  pair: { a: Weights64; b: Weights64 },
  options: WeightMatchOptions = {},
): WeightMatchResult {
  const fn = 'weightMatch';
  const chain = set.chain;
  if (!pair || typeof pair !== 'object') invalid([fn, 'pair'], 'an object { a, b }', pair);
  const A = checkWeights64([fn, 'pair.a'], chain, pair.a);
  checkWeights64([fn, 'pair.b'], chain, pair.b);
  const maxIterations = checkNumber([fn, 'maxIterations'], options.maxIterations ?? 100, {
    min: 1,
    inclusive: true,
    integer: true,
  });
  const rng = createRng(
    checkNumber([fn, 'seed'], options.seed ?? 0, { min: 0, inclusive: true, integer: true }),
  );
  const rand = (): number => rng.uniform();
  const signed = options.signed ?? true;
  const B = copyWeights64(pair.b);
  const hidden = chain.layers
    .slice(0, -1)
    .map((a, l) => ({ a, b: chain.layers[l + 1], odd: signed && isOdd(a) }));
  const permutations = hidden.map(({ a }) => Int32Array.from({ length: a.units }, (_, i) => i));
  const signs = hidden.map(({ a }) => new Int8Array(a.units).fill(1));
  const similarity = (): number => {
    let s = 0;
    for (let i = 0; i < A.length; i++) for (let j = 0; j < A[i].length; j++) s += A[i][j] * B[i][j];
    return s;
  };
  const similarityBefore = similarity();
  let iterations = 0;
  let status: WeightMatchResult['status'] = 'max-iterations';
  for (let sweep = 1; sweep <= maxIterations; sweep++) {
    iterations = sweep;
    const order = hidden.map((_, l) => l);
    // First sweep front to back (each layer then sees aligned inputs), later sweeps in a seeded random order.
    for (let i = order.length - 1; i > 0 && sweep > 1; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let changed = false;
    for (const l of order) {
      const { a, b, odd } = hidden[l];
      const h = a.units;
      const S = new Float64Array(h * h);
      const K1a = A[a.kernel];
      const K1b = B[a.kernel];
      const K2a = A[b.kernel];
      const K2b = B[b.kernel];
      const o = b.units;
      for (let i = 0; i < h; i++)
        for (let j = 0; j < h; j++) {
          let s = 0;
          for (let r = 0; r < a.inputDim; r++) s += K1a[r * h + i] * K1b[r * h + j];
          if (a.bias >= 0) s += A[a.bias][i] * B[a.bias][j];
          // The first sweep matches on incoming weights only: the layer's inputs are aligned by then, so a
          // permuted copy is recovered exactly; later sweeps add the (by then aligned) outgoing weights.
          if (sweep > 1) for (let k = 0; k < o; k++) s += K2a[i * o + k] * K2b[j * o + k];
          S[i * h + j] = s;
        }
      const score = odd ? S.map(Math.abs) : S;
      const perm = hungarian(score, h);
      const sg = Int8Array.from({ length: h }, (_, i) => (odd && S[i * h + perm[i]] < 0 ? -1 : 1));
      let gain = 0;
      for (let i = 0; i < h; i++) gain += score[i * h + perm[i]] - S[i * h + i];
      if (gain <= 1e-12 * (1 + Math.abs(similarityBefore))) continue;
      changed = true;
      permuteInPlace(B, { a, b }, { perm, signs: sg });
      const oldP = permutations[l].slice();
      const oldS = signs[l].slice();
      for (let i = 0; i < h; i++) {
        permutations[l][i] = oldP[perm[i]];
        signs[l][i] = oldS[perm[i]] * sg[i];
      }
    }
    if (!changed) {
      status = 'ok';
      break;
    }
  }
  return {
    weights: B,
    permutations,
    signs,
    similarityBefore,
    similarityAfter: similarity(),
    iterations,
    status,
  };
}
