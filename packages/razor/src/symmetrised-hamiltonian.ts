import * as tf from '@tensorflow/tfjs';
import { expm, type Rng } from '@noether/autodiff';
import { invalid } from './errors';
import { networkInputGradient, networkValue, type NetworkWeights } from './observable-network';

/**
 * The affine generators of K quadratic conserved quantities `C_k(x) = xᵀ A_k x / 2 + b_kᵀ x`, `A_k = W_k + W_kᵀ`,
 * on homogeneous coordinates (x, 1): `G_k = [[J A_k, J b_k], [0, 0]]`, `J = [[0, I], [-I, 0]]` (x = (q, p)).
 *
 * @param w - `[K, M, M]` free matrices W_k (borrowed).
 * @param b - `[K, M]` linear parts (borrowed).
 * @returns `[K, M + 1, M + 1]`, owned by the caller; differentiable in `w` and `b`.
 * @example const G = quadraticGenerators(tf.zeros([30, 4, 4]), tf.zeros([30, 4]));
 * @see van der Ouderaa et al., "Noether's Razor" (2024), section 4 (closed-form affine flows).
 */
export function quadraticGenerators(w: tf.Tensor3D, b: tf.Tensor2D): tf.Tensor3D {
  const [k, m, m2] = w.shape;
  if (m !== m2 || m % 2 !== 0 || b.shape[0] !== k || b.shape[1] !== m) {
    invalid(['quadraticGenerators', 'w, b'], '[K, M, M] and [K, M] with M even', [w.shape, b.shape]);
  }
  return tf.tidy(() => {
    const n = m / 2;
    const a = tf.add(w, tf.transpose(w, [0, 2, 1]));
    const ab = tf.concat([a, b.reshape([k, m, 1])], 2); // [K, M, M + 1]
    // J [u; v] = [v; -u] on the rows.
    const top = tf.slice(ab, [0, n, 0], [k, n, m + 1]);
    const bottom = tf.neg(tf.slice(ab, [0, 0, 0], [k, n, m + 1]));
    return tf.concat([top, bottom, tf.zeros([k, 1, m + 1])], 1) as tf.Tensor3D;
  });
}

/**
 * Draws the coefficients ε `[S, K]` of S flows: uniform in the unit ball of R^K (`'ball'`, the paper's choice
 * for several generators) or in the cube [-1, 1]^K (`'cube'`, one oscillator). With `antithetic`, samples come
 * in pairs (ε, −ε) (S even): terms of Ĥ linear in ε then cancel exactly within every step, which removes the
 * leading Monte-Carlo noise of the generators' gradient (both distributions are symmetric, so Ĥ's expectation
 * is unchanged).
 * @example const eps = sampleFlowCoefficients(createRng(0, step), [16, 30], { kind: 'ball', antithetic: true });
 */
export function sampleFlowCoefficients(
  rng: Rng,
  shape: readonly [samples: number, slots: number],
  options: { kind: 'ball' | 'cube'; antithetic?: boolean },
): Float32Array {
  const [samples, slots] = shape;
  const { kind, antithetic = false } = options;
  const out = new Float32Array(samples * slots);
  const drawn = antithetic ? Math.ceil(samples / 2) : samples;
  for (let s = 0; s < drawn; s++) {
    if (kind === 'cube') {
      for (let k = 0; k < slots; k++) out[s * slots + k] = 2 * rng.uniform() - 1;
    } else {
      let norm = 0;
      const v = Array.from({ length: slots }, () => {
        const z = rng.normal();
        norm += z * z;
        return z;
      });
      const radius = rng.uniform() ** (1 / slots) / Math.sqrt(norm);
      for (let k = 0; k < slots; k++) out[s * slots + k] = v[k] * radius;
    }
  }
  for (let s = drawn; s < samples; s++)
    for (let k = 0; k < slots; k++) out[s * slots + k] = -out[(s - drawn) * slots + k];
  return out;
}

/** S affine maps x -> L_s x + c_s: `linear` `[S, M, M]`, `shift` `[S, M]`. */
export interface Flows {
  readonly linear: tf.Tensor3D;
  readonly shift: tf.Tensor2D;
}

/**
 * The S group elements `expm(scale Σ_k ε_sk G_k) = [[L_s, c_s], [0, 1]]`: one batched matrix exponential for
 * all samples (differentiable in G).
 *
 * @param generators - `[K, m, m]` (borrowed), m = M + 1.
 * @param coefficients - `[S, K]` ε (borrowed).
 * @param scale - multiplies the exponent (the paper: π).
 * @returns {@link Flows}, owned by the caller.
 * @example const flows = sampleFlows(G, tf.tensor2d(eps, [16, 30]), Math.PI);
 */
export function sampleFlows(generators: tf.Tensor3D, coefficients: tf.Tensor2D, scale: number): Flows {
  const [k, m] = generators.shape;
  if (coefficients.shape[1] !== k) {
    invalid(['sampleFlows', 'coefficients'], `a tensor [S, ${k}]`, coefficients);
  }
  const s = coefficients.shape[0];
  const exp = tf.tidy(() => {
    const z = tf.mul(tf.matMul(coefficients, generators.reshape([k, m * m])), scale).reshape([s, m, m]);
    return expm(z) as tf.Tensor3D;
  });
  const out = tf.tidy(() => ({
    linear: tf.slice(exp, [0, 0, 0], [s, m - 1, m - 1]) as tf.Tensor3D,
    shift: tf.slice(exp, [0, 0, m - 1], [s, m - 1, 1]).reshape([s, m - 1]) as tf.Tensor2D,
  }));
  exp.dispose();
  return out;
}

/** The identity flow (S = 1): the plain Hamiltonian network. */
export function identityFlows(dim: number): Flows {
  return tf.tidy(() => ({
    linear: tf.eye(dim).reshape([1, dim, dim]) as tf.Tensor3D,
    shift: tf.zeros([1, dim]) as tf.Tensor2D,
  }));
}

/** All S transformed copies of the batch, `[B * S, M]` ordered batch-major, in one matMul. */
function transformed(flows: Flows, x: tf.Tensor2D): tf.Tensor2D {
  const [s, m] = flows.linear.shape;
  const b = x.shape[0];
  // Lt[j, s M + i] = L[s, i, j]: y[b, s M + i] = Σ_j x[b, j] L[s, i, j] + c[s, i].
  const lt = tf.transpose(flows.linear, [2, 0, 1]).reshape([m, s * m]);
  return tf.add(tf.matMul(x, lt), flows.shift.reshape([1, s * m])).reshape([b * s, m]) as tf.Tensor2D;
}

/** A network symmetrised over S flows: weights, flows and the ELU parameter (default 1); all borrowed. */
export interface SymmetrisedNetwork {
  readonly weights: NetworkWeights;
  readonly flows: Flows;
  readonly alpha?: number;
}

/**
 * The symmetrised Hamiltonian `Ĥ(x) = (1/S) Σ_s F_θ(L_s x + c_s)` `[B]`: every point and flow in one batched
 * network pass. Ĥ is invariant under any group the flow set is closed under (and, averaged over flows, under
 * the group the generators span).
 *
 * @param net - weights, flows, alpha (borrowed).
 * @param x - `[B, M]` (borrowed).
 * @returns `[B]`, owned by the caller.
 * @example const H = symmetrisedHamiltonian({ weights, flows }, x);
 * @see van der Ouderaa et al., "Noether's Razor" (2024), eq. (symmetrised observable).
 */
export function symmetrisedHamiltonian(net: SymmetrisedNetwork, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const s = net.flows.linear.shape[0];
    const f = networkValue(net.weights, transformed(net.flows, x), net.alpha ?? 1);
    return tf.mean(f.reshape([x.shape[0], s]), 1) as tf.Tensor1D;
  });
}

/**
 * `∇_x Ĥ(x) = (1/S) Σ_s L_sᵀ ∇F(L_s x + c_s)` `[B, M]`: one network pass with its explicit input gradient over
 * all B·S points, then one matMul against the stacked L_s. Differentiable in the weights and the flows.
 *
 * @param net - weights, flows, alpha (borrowed).
 * @param x - `[B, M]` (borrowed).
 * @returns `[B, M]`, owned by the caller.
 * @example const g = symmetrisedGradient({ weights, flows }, x);
 */
export function symmetrisedGradient(net: SymmetrisedNetwork, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [s, m] = net.flows.linear.shape;
    const g = networkInputGradient(net.weights, transformed(net.flows, x), net.alpha ?? 1); // [B S, M]
    const stacked = net.flows.linear.reshape([s * m, m]); // row s M + i = L[s, i, :]
    return tf.mul(tf.matMul(g.reshape([x.shape[0], s * m]), stacked), 1 / s) as tf.Tensor2D;
  });
}

/**
 * Forward-Euler prediction of `x(t + dt)` under `dx/dt = J ∇Ĥ(x)` with `substeps` equal substeps, the same
 * flows at every substep. `[B, M]`, owned by the caller; differentiable in weights and flows.
 *
 * @param net - weights, flows, alpha (borrowed). @param x - `[B, M]` (borrowed).
 * @param options - `dt` (time of one transition), `substeps`.
 * @example const y = eulerPredict({ weights, flows }, x, { dt: 0.2, substeps: 5 });
 */
export function eulerPredict(
  net: SymmetrisedNetwork,
  x: tf.Tensor2D,
  options: { dt: number; substeps: number },
): tf.Tensor2D {
  return tf.tidy(() => {
    const m = x.shape[1];
    const n = m / 2;
    const h = options.dt / options.substeps;
    // (J g)ᵀ = gᵀ Jᵀ; h folded into the constant.
    const jt = new Float32Array(m * m);
    for (let i = 0; i < n; i++) {
      jt[(n + i) * m + i] = h; // J[i, n + i] = 1  -> Jᵀ[n + i, i]
      jt[i * m + n + i] = -h; // J[n + i, i] = -1 -> Jᵀ[i, n + i]
    }
    const hJt = tf.tensor2d(jt, [m, m]);
    let state = x;
    for (let k = 0; k < options.substeps; k++) {
      state = tf.add(state, tf.matMul(symmetrisedGradient(net, state), hJt));
    }
    return state;
  });
}
