import '@noether/autodiff'; // registers order-safe gradients (nested tf.grad through tanh)
import {
  pinnProjPresets,
  solvePinnProjPreset,
  type PdeSolution,
  type PinnProjPresetName,
} from '@noether/datasets';
import * as tf from '@tensorflow/tfjs';

/** The five PINN-Proj cases of the 2025 paper and the three workshop (2024) cases, by CLI name. */
export type CaseName =
  | 'advection'
  | 'wave'
  | 'kdv'
  | 'reaction-diffusion'
  | 'advection2d'
  | 'burgers'
  | 'kdv-periodic'
  | 'advection-periodic';

/** The paper's five case names in report order (the default report). */
export const caseNames: readonly CaseName[] = [
  'advection',
  'wave',
  'kdv',
  'reaction-diffusion',
  'advection2d',
];

/** The workshop version's cases (arXiv 2410.17445): Burgers, periodic KdV, periodic advection. */
const workshopCaseNames: readonly CaseName[] = ['burgers', 'kdv-periodic', 'advection-periodic'];

/** Every case name (paper, then workshop). */
export const allCaseNames: readonly CaseName[] = [...caseNames, ...workshopCaseNames];

/** A pointwise network u(xt): `[N, d + 1] -> [N, 1]`, time in the last column. */
export type Field = (xt: tf.Tensor2D) => tf.Tensor2D;

/** One reproduction case: its reference, spatial dimension and PDE residual(s). */
export interface PinnCase {
  readonly name: CaseName;
  readonly preset: PinnProjPresetName;
  readonly dim: 1 | 2;
  readonly equation: string;
  /**
   * Whether the box integrals of u and u^2 are invariants of the reference (targets constant, the t = 0
   * values) or not (targets follow the reference's c(t)): from the dataset preset.
   */
  readonly conserved: boolean;
  /** PDE residual at collocation points `xt` (borrowed) -> `[N, 1]` (owned). */
  residual(u: Field, xt: tf.Tensor2D): tf.Tensor2D;
  /** Extra initial condition on u_t(x, 0) (wave): residual `u_t` at `t = 0` points. */
  readonly initialVelocity: boolean;
  /**
   * Highest time derivative in the residual (the wave equation: 2). PINN-Proj's exact time-derivative mode
   * carries its Taylor jets to this order: higher orders cost more and never enter the loss.
   */
  readonly timeOrder: 1 | 2;
}

/** d/d(xt) of sum f(xt): per-row gradient `[N, d + 1]` (rows of f depend only on their own input row). */
function d1(f: (xt: tf.Tensor2D) => tf.Tensor, xt: tf.Tensor2D): tf.Tensor2D {
  return tf.grad((z: tf.Tensor) => tf.sum(f(z as tf.Tensor2D)))(xt) as tf.Tensor2D;
}

/** Column `c` of a `[N, k]` tensor as `[N, 1]`. */
function col(a: tf.Tensor2D, c: number): tf.Tensor2D {
  return tf.slice(a, [0, c], [a.shape[0], 1]);
}

/** d^k u / dx_i^k for k = 1..order along input column `i`: returns [u_i, u_ii, (u_iii)]. */
export function derivativesAlong(
  u: Field,
  xt: tf.Tensor2D,
  opts: { column: number; order: number },
): tf.Tensor2D[] {
  const fs: Field[] = [u];
  for (let k = 1; k <= opts.order; k++) {
    const prev = fs[k - 1];
    fs.push((z) => col(d1(prev, z), opts.column));
  }
  return fs.slice(1).map((f) => f(xt));
}

/** u_t + u u_x + 0.0025 u_xxx at `xt`. */
function kdvResidual(u: Field, xt: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const fs: Field[] = [u];
    for (let k = 1; k <= 3; k++) {
      const prev = fs[k - 1];
      fs.push((z) => col(d1(prev, z), 0));
    }
    const value = u(xt);
    const g = d1(u, xt);
    const uxxx = fs[3](xt);
    return tf.add(tf.add(col(g, 1), tf.mul(value, col(g, 0))), tf.mul(0.0025, uxxx));
  });
}

const cases: Record<CaseName, PinnCase> = {
  advection: {
    name: 'advection',
    preset: 'advection',
    conserved: pinnProjPresets.advection.conserved,
    dim: 1,
    equation: 'u_t + 0.25 u_x = 0',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) =>
      tf.tidy(() => {
        const g = d1(u, xt);
        return tf.add(col(g, 1), tf.mul(0.25, col(g, 0)));
      }),
  },
  wave: {
    name: 'wave',
    preset: 'wave',
    conserved: pinnProjPresets.wave.conserved,
    dim: 1,
    equation: 'u_tt - 0.25^2 u_xx = 0, u_t(x, 0) = 0',
    initialVelocity: true,
    timeOrder: 2,
    residual: (u, xt) =>
      tf.tidy(() => {
        const [, uxx] = derivativesAlong(u, xt, { column: 0, order: 2 });
        const [, utt] = derivativesAlong(u, xt, { column: 1, order: 2 });
        return tf.sub(utt, tf.mul(0.0625, uxx));
      }),
  },
  kdv: {
    name: 'kdv',
    preset: 'kdv',
    conserved: pinnProjPresets.kdv.conserved,
    dim: 1,
    equation: 'u_t + u u_x + 0.0025 u_xxx = 0',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) => kdvResidual(u, xt),
  },
  'reaction-diffusion': {
    name: 'reaction-diffusion',
    preset: 'reactionDiffusion',
    conserved: pinnProjPresets.reactionDiffusion.conserved,
    dim: 1,
    equation: 'u_t - 0.1 u_xx - 0.5 u = 0',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) =>
      tf.tidy(() => {
        const g = d1(u, xt);
        const [, uxx] = derivativesAlong(u, xt, { column: 0, order: 2 });
        return tf.sub(tf.sub(col(g, 1), tf.mul(0.1, uxx)), tf.mul(0.5, u(xt)));
      }),
  },
  advection2d: {
    name: 'advection2d',
    preset: 'advection2d',
    conserved: pinnProjPresets.advection2d.conserved,
    dim: 2,
    equation: 'u_t + 0.25 (u_x + u_y) = 0',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) =>
      tf.tidy(() => {
        const g = d1(u, xt);
        return tf.add(col(g, 2), tf.mul(0.25, tf.add(col(g, 0), col(g, 1))));
      }),
  },
  burgers: {
    name: 'burgers',
    preset: 'burgers',
    conserved: pinnProjPresets.burgers.conserved,
    dim: 1,
    equation: 'u_t + u u_x - (0.01 / pi) u_xx = 0',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) =>
      tf.tidy(() => {
        const g = d1(u, xt);
        const [, uxx] = derivativesAlong(u, xt, { column: 0, order: 2 });
        return tf.sub(tf.add(col(g, 1), tf.mul(u(xt), col(g, 0))), tf.mul(0.01 / Math.PI, uxx));
      }),
  },
  'kdv-periodic': {
    name: 'kdv-periodic',
    preset: 'kdvPeriodic',
    conserved: pinnProjPresets.kdvPeriodic.conserved,
    dim: 1,
    equation: 'u_t + u u_x + 0.0025 u_xxx = 0, periodic on [0, 2], u0 = cos(pi x)',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) => kdvResidual(u, xt),
  },
  'advection-periodic': {
    name: 'advection-periodic',
    preset: 'advectionPeriodic',
    conserved: pinnProjPresets.advectionPeriodic.conserved,
    dim: 1,
    equation: 'u_t + 0.1 u_x = 0, periodic on [0, 2], u0 = sin(2 pi x)',
    initialVelocity: false,
    timeOrder: 1,
    residual: (u, xt) =>
      tf.tidy(() => {
        const g = d1(u, xt);
        return tf.add(col(g, 1), tf.mul(0.1, col(g, 0)));
      }),
  },
};

/** The case named `name`. @throws Error naming the known cases. */
export function getCase(name: string): PinnCase {
  const c = Object.hasOwn(cases, name) ? (cases as Record<string, PinnCase>)[name] : undefined;
  if (!c) throw new Error(`pinn: unknown case '${name}', expected one of ${allCaseNames.join(', ')}`);
  return c;
}

const referenceCache = new Map<CaseName, PdeSolution>();

/** The float64 reference of a case on its 100-level output grid (cached per process). */
export function referenceOf(c: PinnCase): PdeSolution {
  let ref = referenceCache.get(c.name);
  if (!ref) {
    ref = solvePinnProjPreset(c.preset);
    if (ref.status !== 'ok') throw new Error(`reference '${c.preset}' is ${ref.status}`);
    referenceCache.set(c.name, ref);
  }
  return ref;
}

/** Spatial grid nodes of a reference, row-major `[n, dim]` (2D: node i * ny + j is (x_i, y_j)). */
export function gridNodes(ref: PdeSolution): Float64Array {
  if (!ref.y) return Float64Array.from(ref.x);
  const nx = ref.x.length;
  const ny = ref.y.length;
  const out = new Float64Array(nx * ny * 2);
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < ny; j++) {
      out[2 * (i * ny + j)] = ref.x[i];
      out[2 * (i * ny + j) + 1] = ref.y[j];
    }
  return out;
}

/** Per-level targets c1(t_k), c2(t_k): the t = 0 integrals for conserved cases, the reference's otherwise. */
export function targetsOf(c: PinnCase, ref: PdeSolution): { c1: Float64Array; c2: Float64Array } {
  const mass = ref.conserved.mass;
  const l2 = ref.conserved.l2;
  const nt = ref.t.length;
  return c.conserved
    ? { c1: new Float64Array(nt).fill(mass[0]), c2: new Float64Array(nt).fill(l2[0]) }
    : { c1: Float64Array.from(mass), c2: Float64Array.from(l2) };
}
