/**
 * Classical fourth-order Runge–Kutta over a semi-discrete system du/dt = f(t, u), writing the state at
 * each requested output time. Each interval between outputs is split into equal steps no larger than
 * `dtMax`, so outputs are hit exactly. Internal helper of the grid solvers.
 */
export function rk4Outputs(
  rhs: (t: number, u: Float64Array, out: Float64Array) => void,
  u0: Float64Array,
  opts: { times: Float64Array; dtMax: number; onOutput: (k: number, u: Float64Array) => void },
): { steps: number; failedAt?: number } {
  const n = u0.length;
  const u = Float64Array.from(u0);
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  let t = 0;
  let steps = 0;
  for (let k = 0; k < opts.times.length; k++) {
    const target = opts.times[k];
    const span = target - t;
    const m = span > 0 ? Math.ceil(span / opts.dtMax - 1e-9) : 0;
    const h = m > 0 ? span / m : 0;
    for (let s = 0; s < m; s++) {
      rhs(t, u, k1);
      for (let i = 0; i < n; i++) tmp[i] = u[i] + 0.5 * h * k1[i];
      rhs(t + 0.5 * h, tmp, k2);
      for (let i = 0; i < n; i++) tmp[i] = u[i] + 0.5 * h * k2[i];
      rhs(t + 0.5 * h, tmp, k3);
      for (let i = 0; i < n; i++) tmp[i] = u[i] + h * k3[i];
      rhs(t + h, tmp, k4);
      let finite = true;
      for (let i = 0; i < n; i++) {
        const v = u[i] + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        u[i] = v;
        if (v - v !== 0) finite = false;
      }
      t = s === m - 1 ? target : t + h;
      steps++;
      if (!finite) return { steps, failedAt: t };
    }
    t = target;
    opts.onOutput(k, u);
  }
  return { steps };
}
