import { minimize64, type MinimizeResult } from '@noether/optim';
import { checkWeights64, flatten64, unflatten64, type DenseChain, type Weights64 } from './dense-chain';
import { checkNumber } from './errors';
import { checkData64, lossAndGradUnchecked, type Data64 } from './mlp64';

/** Result of {@link fit64}. */
export interface Fit64Result {
  weights: Float64Array[];
  loss: number;
  iterations: number;
  /** The run status of `@noether/optim`'s L-BFGS (`'ok'`, `'max-iterations'`, ...). */
  status: MinimizeResult['status'];
}

/**
 * Fits a dense chain to float64 data with L-BFGS (`minimize64` of `@noether/optim`): a quick way to
 * get trained networks (e.g. two independently trained networks for {@link weightMatch} and
 * {@link lossBarrier}).
 *
 * @throws ParamSymmetryError `INVALID_ARGUMENT` / `SHAPE_MISMATCH` for bad inputs.
 * @example
 * ```ts
 * const { weights } = fit64(chain, initWeights64(chain, { seed: 1 }), { data, maxIterations: 300 });
 * ```
 */
export function fit64(
  chain: DenseChain,
  weights: Weights64,
  options: { data: Data64; maxIterations?: number },
): Fit64Result {
  const fn = 'fit64';
  checkWeights64(fn, chain, weights);
  checkData64(fn, chain, options?.data);
  const maxIterations = checkNumber([fn, 'maxIterations'], options.maxIterations ?? 500, {
    min: 1,
    inclusive: true,
    integer: true,
  });
  const r = minimize64(
    (x: Float64Array) => {
      const { loss, grads } = lossAndGradUnchecked(chain, unflatten64(chain, x), options.data);
      return { loss, grad: flatten64(grads) };
    },
    flatten64(weights),
    { maxIterations, gradTol: 1e-10 },
  );
  return { weights: unflatten64(chain, r.x), loss: r.loss, iterations: r.iterations, status: r.status };
}
