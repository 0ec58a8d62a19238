// One small live PINN on the 1D advection preset of PINN-Proj, with or without the projection layer.
// Pure training setup (no DOM): the panel drives `step()` and reads `evaluate()`.
import { createRng } from '@noether/autodiff';
import { solvePinnProjPreset, type PdeSolution } from '@noether/datasets';
import { adamOptimizer, createTrainer, lbfgsOptimizer, type Trainer } from '@noether/optim';
import { timeLevelsOf, withProjection, type Constraint, type ProjectedNet } from '@noether/pinn-proj';
import * as tf from '@tensorflow/tfjs';

/** Which integrals the projection enforces. */
export type ConstraintKind = 'linear' | 'quadratic' | 'joint';

/** Settings of a live run (both variants share them, so they train on identical data from identical weights). */
export interface PinnSettings {
  constraint: ConstraintKind;
  /** Hidden layers x width of the tanh MLP. */
  hidden: number;
  width: number;
  /** Training time levels (a subset of the reference's 100). */
  levels: number;
  /** Collocation points per training level. */
  pointsPerLevel: number;
  /** Adam (learning rate `learningRate`) or L-BFGS with strong-Wolfe line search (history 20). */
  optimizer: 'adam' | 'lbfgs';
  learningRate: number;
  seed: number;
}

export const defaultPinnSettings: PinnSettings = {
  constraint: 'joint',
  hidden: 3,
  width: 20,
  levels: 20,
  pointsPerLevel: 32,
  optimizer: 'lbfgs',
  learningRate: 5e-3,
  seed: 0,
};

/** The reference: u_t + 0.25 u_x = 0 on [0, 2], 128 cells, t = 0..0.99 (100 levels), exact translate, float64. */
export function advectionReference(): PdeSolution {
  return solvePinnProjPreset('advection', { solver: 'exact', points: 128 });
}

/** Metrics of one variant on the full 100-level reference grid, computed in float64 from float32 values. */
export interface PinnEvaluation {
  /** u on the grid `[100 * 128]`, level-major. */
  u: Float32Array;
  /** |I1(t_k) - c1| + |I2(t_k) - c2| of the enforced integral(s), per level. */
  levelError: Float64Array;
  maxLevelError: number;
  sumLevelError: number;
  /** ||u - u_ref|| / ||u_ref|| over the grid. */
  relL2: number;
}

/** A live training run of one variant. */
export interface PinnRun {
  readonly variant: 'pinn' | 'proj';
  readonly trainer: Trainer;
  /** Runs one optimiser step; returns the loss (the last loss once the optimiser has stopped). */
  step(): number;
  /** Whether the optimiser stopped on its own (L-BFGS converged or could not make progress). */
  readonly stopped: boolean;
  evaluate(): PinnEvaluation;
  dispose(): void;
}

function mlp(settings: PinnSettings) {
  const rng = createRng(settings.seed, 7);
  const sizes = [2, ...Array<number>(settings.hidden).fill(settings.width), 1];
  const vars: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [a, b] = [sizes[l], sizes[l + 1]];
    const std = Math.sqrt(2 / (a + b));
    const w0 = tf.tensor2d(
      Float32Array.from({ length: a * b }, () => std * rng.normal()),
      [a, b],
    );
    const b0 = tf.zeros([b]);
    vars.push(tf.variable(w0), tf.variable(b0));
    tf.dispose([w0, b0]); // the variables keep their own reference to the data
  }
  const apply = (xt: tf.Tensor2D): tf.Tensor2D =>
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

/** Float64 per-level integrals of a `[levels, n]` field with weights w. */
export function levelIntegrals(
  u: ArrayLike<number>,
  w: ArrayLike<number>,
): { I1: Float64Array; I2: Float64Array } {
  const n = w.length;
  const K = u.length / n;
  const I1 = new Float64Array(K);
  const I2 = new Float64Array(K);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < n; j++) {
      const v = u[k * n + j];
      I1[k] += w[j] * v;
      I2[k] += w[j] * v * v;
    }
  return { I1, I2 };
}

/**
 * Creates one variant's run: the same seeded network, collocation points (on shared time levels), initial and
 * boundary data for both; `proj` trains and evaluates u~ = projection of u onto the integral constraint(s)
 * (`withProjection` from @noether/pinn-proj), `pinn` the raw network. Adam from @noether/optim's trainer.
 */
export function createPinnRun(variant: 'pinn' | 'proj', ref: PdeSolution, settings: PinnSettings): PinnRun {
  const n = ref.x.length;
  const K = ref.t.length;
  const w = ref.weights;
  const c1 = ref.conserved.mass[0];
  const c2 = ref.conserved.l2[0];
  const constraint: Constraint =
    settings.constraint === 'linear'
      ? { type: 'linear', c1 }
      : settings.constraint === 'quadratic'
        ? { type: 'quadratic', c2 }
        : { type: 'joint', c1, c2 };
  const net = mlp(settings);
  const projected: ProjectedNet | null =
    variant === 'proj' ? withProjection(net.apply, { grid: ref.x, weights: w, constraint }) : null;

  // Points: collocation on `levels` shared time levels; data = u(x, 0) on every 2nd node and u = ref at both
  // walls on each training level.
  const rng = createRng(settings.seed, 11);
  const L = Math.min(settings.levels, K);
  const levelIdx = Array.from({ length: L }, (_, i) => Math.round((i * K) / L));
  const xt: number[] = [];
  const dataXt: number[] = [];
  const dataU: number[] = [];
  for (const k of levelIdx)
    for (let p = 0; p < settings.pointsPerLevel; p++)
      xt.push(2 * ((p + rng.uniform()) / settings.pointsPerLevel), ref.t[k]);
  for (let j = 0; j < n; j += 2) {
    dataXt.push(ref.x[j], 0);
    dataU.push(ref.u[j]);
  }
  for (const k of levelIdx.slice(1))
    for (const j of [0, n - 1]) {
      dataXt.push(ref.x[j], ref.t[k]);
      dataU.push(ref.u[k * n + j]);
    }
  const nColloc = xt.length / 2;
  const nData = dataU.length;
  // One point set (collocation then data) so the projection's grid pass runs once per loss.
  const all = tf.tensor2d(Float32Array.from([...xt, ...dataXt]), [nColloc + nData, 2]);
  const target = tf.tensor2d(Float32Array.from(dataU), [nData, 1]);
  const levels = timeLevelsOf(Float32Array.from([...xt, ...dataXt].filter((_, i) => i % 2 === 1)));

  const loss = () => {
    const field = projected ? projected.prepare(levels) : net.apply;
    const g = tf.grad((z: tf.Tensor) => tf.sum(field(z as tf.Tensor2D)))(all) as tf.Tensor2D;
    const colloc = tf.slice(g, [0, 0], [nColloc, 2]);
    const residual = tf.add(
      tf.slice(colloc, [0, 1], [nColloc, 1]),
      tf.mul(0.25, tf.slice(colloc, [0, 0], [nColloc, 1])),
    );
    const u = tf.slice(field(all), [nColloc, 0], [nData, 1]);
    return {
      residual: tf.mean(tf.square(residual)) as tf.Scalar,
      data: tf.mean(tf.square(tf.sub(u, target))) as tf.Scalar,
    };
  };
  const trainer = createTrainer({
    variables: net.vars,
    loss,
    optimizer:
      settings.optimizer === 'lbfgs'
        ? lbfgsOptimizer({ historySize: 20, gradTol: 1e-7, changeTol: 1e-10 })
        : adamOptimizer({ learningRate: settings.learningRate }),
  });
  const uRef = ref.u;

  return {
    variant,
    trainer,
    step() {
      if (trainer.status !== 'running') return trainer.history[trainer.history.length - 1]?.loss ?? NaN;
      return trainer.runStep().loss;
    },
    get stopped() {
      return trainer.status !== 'running';
    },
    evaluate() {
      const values = tf.tidy(() => {
        if (projected) return projected.gridValues(ref.t);
        const grid = new Float32Array(K * n * 2);
        for (let k = 0; k < K; k++)
          for (let j = 0; j < n; j++) {
            grid[2 * (k * n + j)] = ref.x[j];
            grid[2 * (k * n + j) + 1] = ref.t[k];
          }
        return net.apply(tf.tensor2d(grid, [K * n, 2]));
      });
      const u = Float32Array.from(values.dataSync());
      values.dispose();
      const { I1, I2 } = levelIntegrals(u, w);
      const levelError = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        if (settings.constraint !== 'quadratic') levelError[k] += Math.abs(I1[k] - c1);
        if (settings.constraint !== 'linear') levelError[k] += Math.abs(I2[k] - c2);
      }
      let num = 0;
      let den = 0;
      for (let i = 0; i < u.length; i++) {
        num += (u[i] - uRef[i]) ** 2;
        den += uRef[i] ** 2;
      }
      return {
        u,
        levelError,
        maxLevelError: Math.max(...levelError),
        sumLevelError: levelError.reduce((a, b) => a + b, 0),
        relL2: Math.sqrt(num / den),
      };
    },
    dispose() {
      trainer.dispose();
      tf.dispose([...net.vars, all, target]);
    },
  };
}
