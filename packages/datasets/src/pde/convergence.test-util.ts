import type { PdeSolution } from './pde-solution';

/**
 * Difference at the final time between a coarse solution and a 3x finer one: max norm of point values at
 * aligned centres, or (average = true, finite volumes) the L1 norm against the averaged fine cells.
 */
function diff3(coarse: PdeSolution, fine: PdeSolution, average = false): number {
  const nc = coarse.x.length;
  const nf = fine.x.length;
  const kc = coarse.t.length - 1;
  const kf = fine.t.length - 1;
  let e = 0;
  for (let i = 0; i < nc; i++) {
    const f = average
      ? (fine.u[kf * nf + 3 * i]! + fine.u[kf * nf + 3 * i + 1]! + fine.u[kf * nf + 3 * i + 2]!) / 3
      : fine.u[kf * nf + 3 * i + 1]!;
    const d = Math.abs(coarse.u[kc * nc + i]! - f);
    e = average ? e + d / nc : Math.max(e, d);
  }
  return e;
}

/** Observed order from three solutions on n, 3n, 9n cells. */
export function observedOrder(solve: (n: number) => PdeSolution, n: number, average = false): number {
  const a = solve(n);
  const b = solve(3 * n);
  const c = solve(9 * n);
  return Math.log(diff3(a, b, average) / diff3(b, c, average)) / Math.log(3);
}
