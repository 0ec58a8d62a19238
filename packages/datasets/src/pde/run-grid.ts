import { rk4Outputs } from './method-of-lines';
import { failure, integrals, type PdeSolution } from './pde-solution';

/** Internal: runs RK4 method of lines on a grid state and packs a {@link PdeSolution}. */
export function runGrid(spec: {
  fn: string;
  name: string;
  scheme: string;
  x: Float64Array;
  y?: Float64Array;
  weights: Float64Array;
  times: Float64Array;
  /** State vector (u, or u followed by other components of the same size). */
  state0: Float64Array;
  /** Names of the extra components stored after u in the state, in order. */
  extra?: string[];
  rhs: (t: number, s: Float64Array, out: Float64Array) => void;
  dtMax: number;
  throwOnFailure: boolean;
  /** Additional monitored integrals of a state. */
  monitors?: Record<string, (s: Float64Array) => number>;
}): PdeSolution {
  const m = spec.weights.length;
  const nt = spec.times.length;
  const u = new Float64Array(nt * m).fill(NaN);
  const extra = spec.extra ?? [];
  const fields: Record<string, Float64Array> = {};
  for (const name of extra) fields[name] = new Float64Array(nt * m).fill(NaN);
  const monitors = spec.monitors ?? {};
  const conserved: Record<string, Float64Array> = {
    mass: new Float64Array(nt).fill(NaN),
    l2: new Float64Array(nt).fill(NaN),
  };
  for (const key of Object.keys(monitors)) conserved[key] = new Float64Array(nt).fill(NaN);
  const result = rk4Outputs(spec.rhs, spec.state0, {
    times: spec.times,
    dtMax: spec.dtMax,
    onOutput(k, s) {
      u.set(s.subarray(0, m), k * m);
      extra.forEach((name, c) => fields[name].set(s.subarray((c + 1) * m, (c + 2) * m), k * m));
      const [i1, i2] = integrals(u, k, spec.weights);
      conserved.mass[k] = i1;
      conserved.l2[k] = i2;
      for (const [key, f] of Object.entries(monitors)) conserved[key][k] = f(s);
    },
  });
  const status =
    result.failedAt === undefined ? 'ok' : failure(spec.fn, result.failedAt, spec.throwOnFailure);
  const shape = spec.y ? [nt, spec.x.length, spec.y.length] : [nt, m];
  return {
    name: spec.name,
    scheme: spec.scheme,
    x: spec.x,
    ...(spec.y ? { y: spec.y } : {}),
    t: spec.times,
    u,
    shape,
    weights: spec.weights,
    conserved,
    fields,
    steps: result.steps,
    status,
  };
}
