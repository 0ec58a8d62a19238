import { createRng } from '@noether/autodiff';
import type { PdeSolution } from '@noether/datasets';
import * as tf from '@tensorflow/tfjs';
import type { Field } from './cases';

/** An MLP `in -> hidden x width tanh -> 1` with Xavier-normal weights and zero biases, as tfjs variables. */
export interface Mlp {
  readonly vars: tf.Variable[];
  /** u(xt): `[N, in] -> [N, 1]`. */
  readonly apply: Field;
}

/**
 * Creates the paper's network (default 8 hidden layers of 20 tanh units), seeded: W ~ N(0, 2 / (fan_in + fan_out)).
 * @see Glorot & Bengio, Understanding the difficulty of training deep feedforward neural networks (2010).
 */
export function createMlp(inputs: number, options: { seed: number; hidden?: number; width?: number }): Mlp {
  const rng = createRng(options.seed, 7);
  const sizes = [inputs, ...Array<number>(options.hidden ?? 8).fill(options.width ?? 20), 1];
  const vars: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [a, b] = [sizes[l], sizes[l + 1]];
    const std = Math.sqrt(2 / (a + b));
    const w = Float32Array.from({ length: a * b }, () => std * rng.normal());
    const w0 = tf.tensor2d(w, [a, b]);
    const b0 = tf.zeros([b]);
    vars.push(tf.variable(w0, true), tf.variable(b0, true));
    tf.dispose([w0, b0]);
  }
  const apply: Field = (xt) =>
    tf.tidy(() => {
      let h: tf.Tensor2D = xt;
      for (let i = 0; i < vars.length; i += 2) {
        h = tf.add(tf.matMul(h, vars[i] as tf.Tensor2D), vars[i + 1]) as tf.Tensor2D;
        if (i + 2 < vars.length) h = tf.tanh(h);
      }
      return h;
    });
  return { vars, apply };
}

/** Points with their time level index (levels are the reference's time levels). */
export interface LevelPoints {
  /** Row-major `[N, dim + 1]` coordinates, time last, float32 values. */
  readonly xt: Float32Array;
  /** Level of each point (index into the reference times). */
  readonly level: Int32Array;
  readonly count: number;
}

/**
 * Latin-hypercube collocation points on shared time levels: `perLevel` points at each of the reference's time
 * levels, stratified in every spatial coordinate (one point per stratum, strata shuffled per coordinate).
 */
export function sampleCollocation(
  ref: PdeSolution,
  options: { total: number; seed: number; levels: Int32Array },
): LevelPoints {
  const rng = createRng(options.seed, 11);
  const K = options.levels.length;
  const dim = ref.y ? 2 : 1;
  if (!Number.isInteger(options.total) || options.total < K)
    throw new Error(
      `sampleCollocation(): option 'points' must be an integer >= the ${K} training time levels, got ${options.total}`,
    );
  const perLevel = Math.round(options.total / K);
  const count = perLevel * K;
  const xt = new Float32Array(count * (dim + 1));
  const level = new Int32Array(count);
  const lo = 0;
  const hi = 2;
  for (let k = 0; k < K; k++) {
    const strata: number[][] = [];
    for (let d = 0; d < dim; d++) {
      const perm = Array.from({ length: perLevel }, (_, i) => i);
      for (let i = perLevel - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      strata.push(perm);
    }
    for (let p = 0; p < perLevel; p++) {
      const r = k * perLevel + p;
      for (let d = 0; d < dim; d++) {
        xt[r * (dim + 1) + d] = lo + ((hi - lo) * (strata[d][p] + rng.uniform())) / perLevel;
      }
      xt[r * (dim + 1) + dim] = ref.t[options.levels[k]];
      level[r] = k;
    }
  }
  return { xt, level, count };
}

/**
 * Initial/boundary data: `count` points drawn without replacement from the reference grid's initial slice
 * (t = 0) and its boundary nodes (first and last cell centres in each direction) at the training levels,
 * with the reference values as targets. `level` indexes into `options.levels` (first entry 0, i.e. t = 0).
 */
export function sampleData(
  ref: PdeSolution,
  options: { count: number; seed: number; levels: Int32Array },
): LevelPoints & { u: Float32Array } {
  const rng = createRng(options.seed, 13);
  const nx = ref.x.length;
  const ny = ref.y ? ref.y.length : 1;
  const dim = ref.y ? 2 : 1;
  const K = options.levels.length;
  const candidates: Array<[number, number, number]> = []; // [training level, i, j]
  for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) candidates.push([0, i, j]);
  for (let k = 1; k < K; k++)
    for (let i = 0; i < nx; i++)
      for (let j = 0; j < ny; j++) {
        const boundary = i === 0 || i === nx - 1 || (dim === 2 && (j === 0 || j === ny - 1));
        if (boundary) candidates.push([k, i, j]);
      }
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
  }
  const chosen = candidates.slice(0, Math.min(options.count, candidates.length));
  const xt = new Float32Array(chosen.length * (dim + 1));
  const u = new Float32Array(chosen.length);
  const level = new Int32Array(chosen.length);
  chosen.forEach(([k, i, j], r) => {
    xt[r * (dim + 1)] = ref.x[i];
    if (ref.y) xt[r * (dim + 1) + 1] = ref.y[j];
    const kr = options.levels[k];
    xt[r * (dim + 1) + dim] = ref.t[kr];
    u[r] = ref.u[(kr * nx + i) * ny + j];
    level[r] = k;
  });
  return { xt, u, level, count: chosen.length };
}

/** Points on the spatial grid at t = 0 (for the wave equation's u_t(x, 0) = 0 condition), at most `count`. */
export function initialPoints(ref: PdeSolution, count: number): LevelPoints {
  const n = ref.x.length;
  const stride = Math.max(1, Math.floor(n / count));
  const rows: number[] = [];
  for (let i = 0; i < n; i += stride) rows.push(i);
  const xt = new Float32Array(rows.length * 2);
  rows.forEach((i, r) => {
    xt[2 * r] = ref.x[i];
    xt[2 * r + 1] = 0;
  });
  return { xt, level: new Int32Array(rows.length), count: rows.length };
}

/** `count` evenly spaced reference level indices, starting at 0 (t = 0). @throws Error unless 1 <= count <= levels. */
export function levelSubset(ref: PdeSolution, count: number): Int32Array {
  const K = ref.t.length;
  if (!Number.isInteger(count) || count < 1 || count > K)
    throw new Error(`levelSubset(): argument 'count' must be an integer in [1, ${K}], got ${count}`);
  const m = count;
  return Int32Array.from({ length: m }, (_, i) => Math.round((i * K) / m));
}

/** The grid `[L * n, dim + 1]` at the given reference levels (default all), level-major, reference node order. */
export function evaluationGrid(ref: PdeSolution, nodes: Float64Array, levels?: Int32Array): Float32Array {
  const dim = ref.y ? 2 : 1;
  const n = nodes.length / dim;
  const lv = levels ?? Int32Array.from(ref.t, (_, k) => k);
  const K = lv.length;
  const out = new Float32Array(K * n * (dim + 1));
  for (let k = 0; k < K; k++)
    for (let j = 0; j < n; j++) {
      const r = k * n + j;
      for (let d = 0; d < dim; d++) out[r * (dim + 1) + d] = nodes[j * dim + d];
      out[r * (dim + 1) + dim] = ref.t[lv[k]];
    }
  return out;
}
