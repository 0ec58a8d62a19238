// A consumer of the packed @noether/* tarballs, as an npm user writes it. scripts/consumer-test.mjs installs
// the tarballs with only @tensorflow/tfjs next to them, type-checks this file under --strict without
// skipLibCheck, and runs it twice: compiled as ESM (consumer.mts) and as CommonJS (the same text as
// consumer.cts). No top-level await, so the same source is valid in both.
import * as tf from '@tensorflow/tfjs';
import { grad, initBackend, NoetherError } from '@noether/autodiff';
import { integrate, separable, type IntegrateResult } from '@noether/integrators';
import { decodeNpy, encodeNpy, generateTrajectories, harmonicOscillator } from '@noether/datasets';
import { minimize64 } from '@noether/optim';
import { integrals64, project64, quadrature } from '@noether/pinn-proj';

/** True when T is `any`: public types that do not resolve for a consumer degrade to `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`consumer: ${what}`);
}

async function main(): Promise<void> {
  const backend = await initBackend({ log: () => {} });
  check(['tensorflow', 'wasm', 'cpu'].includes(backend.name), `backend ${backend.name}`);

  // autodiff: a second derivative of tanh(x^2 sin x) at 1.2 (tfjs alone gets 0.5411).
  const f = (x: tf.Tensor) => tf.tanh(tf.mul(tf.square(x), tf.sin(x)));
  const d2 = grad(grad(f))(tf.scalar(1.2)).dataSync()[0]!;
  check(Math.abs(d2 - -2.635594) < 1e-3, `d2/dx2 tanh(x^2 sin x) at 1.2 = ${d2}`);

  // integrators: a harmonic oscillator over one period with leapfrog; the result's types must resolve.
  const ho = separable({
    dTdp: (p, out = new Float64Array(1)) => ((out[0] = p[0]!), out),
    dVdq: (q, out = new Float64Array(1)) => ((out[0] = q[0]!), out),
  });
  const r: IntegrateResult<Float64Array> = integrate('leapfrog', ho, {
    x0: Float64Array.of(1, 0),
    dt: (2 * Math.PI) / 1000,
    steps: 1000,
  });
  const xIsTyped: IsAny<typeof r.x> = false;
  const shapeIsTyped: IsAny<typeof r.x.shape> = false;
  check(!xIsTyped && !shapeIsTyped, 'types');
  check(Math.abs(r.final[0]! - 1) < 1e-5, `leapfrog after one period: q = ${r.final[0]}`);

  // datasets: seeded trajectories and an .npy round trip.
  const traj = generateTrajectories(harmonicOscillator(), { count: 2, samples: 11, sampleDt: 0.1, seed: 0 });
  const back = decodeNpy(encodeNpy({ data: traj.x, shape: [...traj.shape] }), 'memory');
  check(back.shape.join() === traj.shape.join(), `npy shape ${back.shape}`);

  // optim: L-BFGS in float64 on a quadratic.
  const min = minimize64(
    (x) => ({ loss: (x[0]! - 3) ** 2, grad: Float64Array.of(2 * (x[0]! - 3)) }),
    Float64Array.of(0),
  );
  check(Math.abs(min.x[0]! - 3) < 1e-6, `minimize64: ${min.x[0]}`);

  // pinn-proj: project values onto a fixed integral in float64.
  const grid = quadrature('uniform', [0, 1], 64);
  const values = Float64Array.from(grid.nodes, (x) => Math.sin(3 * x));
  const projected = project64(values, grid, { constraint: { type: 'linear', c1: 0.5 } });
  const I1 = integrals64(projected.values, grid).I1[0]!;
  check(Math.abs(I1 - 0.5) < 1e-12, `projected integral ${I1}`);

  check(new NoetherError('IO', 'x') instanceof Error, 'NoetherError');
  console.log(
    JSON.stringify({
      backend: backend.name,
      d2: +d2.toFixed(5),
      q: +r.final[0]!.toFixed(6),
      I1,
      lbfgs: min.x[0],
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
