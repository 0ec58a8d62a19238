import type { OnProgress, ProgressInfo, RunStatus } from '@noether/autodiff';
import { checkWeights64, copyWeights64, type DenseLayer, type Weights64 } from './dense-chain';
import { checkNumber, invalid } from './errors';
import { evaluateCharges, type ChargeValue } from './expected-charges';
import { checkData64, lossAndGradUnchecked, type Data64 } from './mlp64';
import { homogeneityDegree, type ChargeSet } from './noether-charges';
import { applyGL, rescaleInPlace } from './symmetry-actions';

/** Matrix exponential of a small square matrix (scaling and squaring with a degree-12 Taylor polynomial). */
export function expm(T: ArrayLike<number>, n: number): Float64Array {
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += Math.abs(T[i * n + j]);
    norm = Math.max(norm, row);
  }
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scale = 2 ** -s;
  const A = Float64Array.from(T, (v) => v * scale);
  const mul = (X: Float64Array, Y: Float64Array): Float64Array => {
    const Z = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const x = X[i * n + k];
        if (x === 0) continue;
        for (let j = 0; j < n; j++) Z[i * n + j] += x * Y[k * n + j];
      }
    return Z;
  };
  let E: Float64Array = new Float64Array(n * n);
  let term: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) E[i * n + i] = term[i * n + i] = 1;
  for (let k = 1; k <= 12; k++) {
    term = mul(term, A).map((v) => v / k);
    E = E.map((v, i) => v + term[i]);
  }
  for (let k = 0; k < s; k++) E = mul(E, E);
  return E;
}

/** Options of {@link teleport}. */
export interface TeleportOptions {
  /** The loss's data (float64). */
  data: Data64;
  /** Gradient-ascent steps on the orbit. Default 10. */
  steps?: number;
  /** Norm of each Lie-algebra step `T` (Frobenius, over all layers). Default 0.1. */
  stepSize?: number;
  /**
   * Cap on the gradient norm reached, as a multiple of the starting gradient norm: a step that would exceed
   * it is not taken (the orbit is non-compact; uncapped ascent diverges). Default 10.
   */
  maxGradNormRatio?: number;
}

/** Result of {@link teleport}. */
export interface TeleportResult {
  weights: Float64Array[];
  status: Extract<RunStatus, 'ok'>;
  /** Why the ascent ended: all steps taken, the gradient-norm cap, or no ascent direction left. */
  reason: 'steps' | 'grad-norm-cap' | 'stationary';
  /** Steps taken. */
  steps: number;
  lossBefore: number;
  /** Must equal `lossBefore` to round-off (the group acts along a level set of the loss). */
  lossAfter: number;
  gradNormBefore: number;
  gradNormAfter: number;
  chargesBefore: ChargeValue[];
  chargesAfter: ChargeValue[];
  /** Largest `|Q_after - Q_before| / mass_before` (the charge jump). */
  chargeJump: number;
}

interface Group {
  a: DenseLayer;
  b: DenseLayer;
  /** Rescaling exponent, or undefined for the GL(h) group of a linear layer. */
  alpha: number | undefined;
}

/** The continuous groups acting on hidden layers: GL(h) for linear layers, diagonal rescaling for homogeneous ones. */
function groupsOf(set: ChargeSet): Group[] {
  const L = set.chain.layers;
  return L.slice(0, -1)
    .map((a, i) => ({
      a,
      b: L[i + 1],
      alpha: a.activation.kind === 'linear' ? undefined : homogeneityDegree(a),
      ok: a.normalization === 'none' && homogeneityDegree(a) !== undefined,
    }))
    .filter((g) => g.ok)
    .map(({ a, b, alpha }) => ({ a, b, alpha }));
}

/**
 * The gradient of `|grad L(g . theta)|^2` with respect to the Lie-algebra element at `T = 0`, in closed
 * form from how the gradient transforms (`G1 -> A^-T G1`, `G2 -> G2 A^T`): `2 (G2^T G2 - G1 G1^T)` for GL,
 * its diagonal with `alpha` for rescaling.
 */
function algebraGradient(g: Group, grads: Weights64): Float64Array {
  const { a, b, alpha } = g;
  const h = a.units;
  const gK1 = grads[a.kernel];
  const gb = a.bias >= 0 ? grads[a.bias] : undefined;
  const gK2 = grads[b.kernel];
  const o = b.units;
  if (alpha !== undefined) {
    return Float64Array.from({ length: h }, (_, i) => {
      let gin = gb ? gb[i] ** 2 : 0;
      for (let r = 0; r < a.inputDim; r++) gin += gK1[r * h + i] ** 2;
      let gout = 0;
      for (let k = 0; k < o; k++) gout += gK2[i * o + k] ** 2;
      return 2 * (alpha * gout - gin);
    });
  }
  const out = new Float64Array(h * h);
  for (let i = 0; i < h; i++)
    for (let j = 0; j < h; j++) {
      let s = 0;
      for (let k = 0; k < o; k++) s += gK2[i * o + k] * gK2[j * o + k];
      for (let r = 0; r < a.inputDim; r++) s -= gK1[r * h + i] * gK1[r * h + j];
      if (gb) s -= gb[i] * gb[j];
      out[i * h + j] = 2 * s;
    }
  return out;
}

function norm2(ws: Weights64): number {
  let s = 0;
  for (const w of ws) for (const v of w) s += v * v;
  return s;
}

/**
 * Symmetry teleportation: moves `weights` along their symmetry orbit (same loss) to a point of larger
 * gradient norm, by a few capped gradient-ascent steps on `|grad L(g . theta)|^2` over the group element
 * `g = expm(T)` (GL(h) between linear layers, positive diagonal rescaling for homogeneous ones). The
 * ascent direction is exact and needs no double backward: the gradient transforms covariantly
 * (`G1 -> A^-T G1`, `G2 -> G2 A^T`), so `d |grad L|^2 / dT = 2 (G2^T G2 - G1 G1^T)` at `T = 0`. Opt-in:
 * evidence for speed-ups is mixed; after a teleport the caller must reset its optimiser state (momentum,
 * Adam moments), as {@link train64} does. The loss must not change beyond round-off (`lossAfter`).
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs.
 * @example
 * ```ts
 * const r = teleport(set, w, { data, steps: 10 });
 * r.gradNormAfter / r.gradNormBefore; // > 1
 * ```
 * @see B. Zhao et al., "Symmetry teleportation for accelerated optimization", NeurIPS 2022.
 */
export function teleport(set: ChargeSet, weights: Weights64, options: TeleportOptions): TeleportResult {
  const fn = 'teleport';
  const chain = set.chain;
  checkWeights64(fn, chain, weights);
  if (!options || typeof options !== 'object') invalid([fn, 'options'], 'an object { data }', options);
  checkData64(fn, chain, options.data);
  const steps = checkNumber([fn, 'steps'], options.steps ?? 10, { min: 0, inclusive: true, integer: true });
  const stepSize = checkNumber([fn, 'stepSize'], options.stepSize ?? 0.1, { min: 0 });
  const cap = checkNumber([fn, 'maxGradNormRatio'], options.maxGradNormRatio ?? 10, {
    min: 1,
    inclusive: true,
  });
  const groups = groupsOf(set);
  let w = copyWeights64(weights);
  let cur = lossAndGradUnchecked(chain, w, options.data);
  const lossBefore = cur.loss;
  const g0 = Math.sqrt(norm2(cur.grads));
  let reason: TeleportResult['reason'] = 'steps';
  let taken = 0;
  for (let k = 0; k < steps; k++) {
    const dirs = groups.map((g) => algebraGradient(g, cur.grads));
    const total = Math.sqrt(dirs.reduce((s, d) => s + d.reduce((a, v) => a + v * v, 0), 0));
    if (!(total > 0)) {
      reason = 'stationary';
      break;
    }
    const next = copyWeights64(w);
    groups.forEach((g, l) => {
      const T = dirs[l].map((v) => (v * stepSize) / total);
      if (g.alpha !== undefined) rescaleInPlace(next, { a: g.a, b: g.b, alpha: g.alpha }, T.map(Math.exp));
      else {
        const h = g.a.units;
        applyGL(next, g, {
          A: expm(T, h),
          Ainv: expm(
            T.map((v) => -v),
            h,
          ),
        });
      }
    });
    const cand = lossAndGradUnchecked(chain, next, options.data);
    if (Math.sqrt(norm2(cand.grads)) > cap * g0) {
      reason = 'grad-norm-cap';
      break;
    }
    w = next;
    cur = cand;
    taken++;
  }
  const chargesBefore = evaluateCharges(set, weights);
  const chargesAfter = evaluateCharges(set, w);
  let chargeJump = 0;
  chargesAfter.forEach((c, k) =>
    c.value.forEach((v, i) => {
      chargeJump = Math.max(chargeJump, Math.abs(v - chargesBefore[k].value[i]) / chargesBefore[k].mass[i]);
    }),
  );
  return {
    weights: w,
    status: 'ok',
    reason,
    steps: taken,
    lossBefore,
    lossAfter: cur.loss,
    gradNormBefore: g0,
    gradNormAfter: Math.sqrt(norm2(cur.grads)),
    chargesBefore,
    chargesAfter,
    chargeJump,
  };
}

/** Progress of {@link train64}. */
export interface Train64Progress extends ProgressInfo {
  loss: number;
}

/** Options of {@link train64}. */
export interface Train64Options {
  data: Data64;
  /** `'gd'` (plain GD, follows the discrete law), `'momentum'` (heavy ball) or `'adam'`. Default `'gd'`. */
  optimizer?: 'gd' | 'momentum' | 'adam';
  /** Learning rate. */
  lr: number;
  steps: number;
  /** Coupled weight decay (added to the gradient). Default 0. */
  weightDecay?: number;
  /** Momentum coefficient (`'momentum'`) or Adam's beta1. Default 0.9. */
  momentum?: number;
  /** Adam's beta2. Default 0.999. */
  beta2?: number;
  /** Adam's denominator floor. Default 1e-8. */
  denominatorFloor?: number;
  /** Teleport every `every` steps (opt-in; resets the optimiser state after each teleport). */
  teleport?: Omit<TeleportOptions, 'data'> & { every: number };
  /** Called after each step; returning `false` stops with status `'stopped'`. */
  onProgress?: OnProgress<Train64Progress>;
}

/** Result of {@link train64}. */
export interface Train64Result {
  weights: Float64Array[];
  status: Extract<RunStatus, 'ok' | 'stopped' | 'non-finite'>;
  /** Loss before each step and after the last (`steps + 1` entries when not stopped early). */
  losses: number[];
  /** Charges at the start and the end. */
  chargesBefore: ChargeValue[];
  chargesAfter: ChargeValue[];
  /** Largest `|Q_end - Q_start| / mass_start`. */
  chargeDrift: number;
  /** One entry per teleport: the step and its result summary. */
  teleports: { step: number; lossChange: number; gradNormRatio: number; chargeJump: number }[];
}

/**
 * A float64 training loop for charge studies: plain GD, heavy-ball momentum or Adam on the float64 loss
 * of a dense chain, with opt-in teleportation ({@link teleport}) that resets the optimiser state.
 * Records the loss each step and the charge drift over the run.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` for bad options.
 * @example
 * ```ts
 * const r = train64(set, w, { data, optimizer: 'momentum', lr: 0.01, steps: 500 });
 * r.chargeDrift;
 * ```
 */
export function train64(set: ChargeSet, weights: Weights64, options: Train64Options): Train64Result {
  const fn = 'train64';
  const chain = set.chain;
  checkWeights64(fn, chain, weights);
  if (!options || typeof options !== 'object')
    invalid([fn, 'options'], 'an object { data, lr, steps }', options);
  checkData64(fn, chain, options.data);
  const lr = checkNumber([fn, 'lr'], options.lr, { min: 0 });
  const steps = checkNumber([fn, 'steps'], options.steps, { min: 0, inclusive: true, integer: true });
  const wd = checkNumber([fn, 'weightDecay'], options.weightDecay ?? 0, { min: 0, inclusive: true });
  const beta1 = checkNumber([fn, 'momentum'], options.momentum ?? 0.9, { min: 0, inclusive: true });
  const beta2 = checkNumber([fn, 'beta2'], options.beta2 ?? 0.999, { min: 0, inclusive: true });
  const floor = checkNumber([fn, 'denominatorFloor'], options.denominatorFloor ?? 1e-8, { min: 0 });
  const opt = options.optimizer ?? 'gd';
  if (!['gd', 'momentum', 'adam'].includes(opt))
    invalid([fn, 'optimizer'], "'gd', 'momentum' or 'adam'", opt);
  const every = options.teleport
    ? checkNumber([fn, 'teleport.every'], options.teleport.every, { min: 1, inclusive: true, integer: true })
    : 0;
  let w = copyWeights64(weights);
  const zeros = (): Float64Array[] => w.map((a) => new Float64Array(a.length));
  let m = zeros();
  let v = zeros();
  let t = 0;
  const losses: number[] = [];
  const teleports: Train64Result['teleports'] = [];
  let status: Train64Result['status'] = 'ok';
  for (let k = 0; k < steps; k++) {
    if (every > 0 && k > 0 && k % every === 0) {
      const r = teleport(set, w, { ...options.teleport, data: options.data });
      w = r.weights;
      teleports.push({
        step: k,
        lossChange: Math.abs(r.lossAfter - r.lossBefore) / Math.max(Math.abs(r.lossBefore), 1e-300),
        gradNormRatio: r.gradNormAfter / r.gradNormBefore,
        chargeJump: r.chargeJump,
      });
      m = zeros();
      v = zeros();
      t = 0;
    }
    const { loss, grads } = lossAndGradUnchecked(chain, w, options.data);
    losses.push(loss);
    if (!Number.isFinite(loss)) {
      status = 'non-finite';
      break;
    }
    t++;
    w.forEach((arr, i) => {
      const g = grads[i];
      for (let j = 0; j < arr.length; j++) {
        const gj = g[j] + wd * arr[j];
        if (opt === 'gd') arr[j] -= lr * gj;
        else if (opt === 'momentum') {
          m[i][j] = beta1 * m[i][j] + gj;
          arr[j] -= lr * m[i][j];
        } else {
          m[i][j] = beta1 * m[i][j] + (1 - beta1) * gj;
          v[i][j] = beta2 * v[i][j] + (1 - beta2) * gj * gj;
          const mh = m[i][j] / (1 - beta1 ** t);
          const vh = v[i][j] / (1 - beta2 ** t);
          arr[j] -= (lr * mh) / (Math.sqrt(vh) + floor);
        }
      }
    });
    if (options.onProgress?.({ step: k + 1, total: steps, loss }) === false) {
      status = 'stopped';
      break;
    }
  }
  if (status === 'ok') losses.push(lossAndGradUnchecked(chain, w, options.data).loss);
  const chargesBefore = evaluateCharges(set, weights);
  const chargesAfter = evaluateCharges(set, w);
  let chargeDrift = 0;
  chargesAfter.forEach((c, k) =>
    c.value.forEach((q, i) => {
      chargeDrift = Math.max(chargeDrift, Math.abs(q - chargesBefore[k].value[i]) / chargesBefore[k].mass[i]);
    }),
  );
  return { weights: w, status, losses, chargesBefore, chargesAfter, chargeDrift, teleports };
}
