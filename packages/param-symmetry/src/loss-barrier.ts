import { checkWeights64, type DenseChain, type Weights64 } from './dense-chain';
import { checkNumber, invalid } from './errors';
import { checkData64, lossAndGradUnchecked, type Data64 } from './mlp64';

/** Result of {@link lossBarrier}. */
export interface LossBarrierResult {
  /** `max_t L((1 - t) A + t B) - ((1 - t) L(A) + t L(B))` over the grid. */
  barrier: number;
  /** The grid `t` and the loss along the path. */
  t: number[];
  losses: number[];
}

/**
 * The loss barrier along the linear path between two networks of the same chain: the largest excess of
 * the loss over the linear interpolation of the end losses, on an even grid of `points` values of `t`.
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs.
 * @example
 * ```ts
 * lossBarrier(chain, { a: wA, b: wB }, { data, points: 25 }).barrier;
 * ```
 * @see J. Frankle et al., "Linear mode connectivity and the lottery ticket hypothesis", ICML 2020.
 */
export function lossBarrier(
  chain: DenseChain,
  pair: { a: Weights64; b: Weights64 },
  options: { data: Data64; points?: number },
): LossBarrierResult {
  const fn = 'lossBarrier';
  if (!pair || typeof pair !== 'object') invalid([fn, 'pair'], 'an object { a, b }', pair);
  const A = checkWeights64([fn, 'pair.a'], chain, pair.a);
  const B = checkWeights64([fn, 'pair.b'], chain, pair.b);
  checkData64(fn, chain, options?.data);
  const points = checkNumber([fn, 'points'], options.points ?? 25, {
    min: 2,
    inclusive: true,
    integer: true,
  });
  const t: number[] = [];
  const losses: number[] = [];
  for (let k = 0; k < points; k++) {
    const s = k / (points - 1);
    const w = A.map((arr, i) => arr.map((v, j) => (1 - s) * v + s * B[i][j]));
    t.push(s);
    losses.push(lossAndGradUnchecked(chain, w, options.data).loss);
  }
  const [la, lb] = [losses[0], losses[points - 1]];
  const barrier = Math.max(...losses.map((l, k) => l - ((1 - t[k]) * la + t[k] * lb)));
  return { barrier, t, losses };
}
