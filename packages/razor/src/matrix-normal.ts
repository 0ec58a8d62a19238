import * as tf from '@tensorflow/tfjs';

/**
 * A matrix-normal posterior q(W) = MN(M, Σ_s, Σ_a) over one layer's weights `[rows, cols]`, with Cholesky-like
 * factors `Σ_s = L_s L_sᵀ`, `Σ_a = L_a L_aᵀ`: `L = strictlyLower(raw) + diag(exp(logDiag))`, so samples are
 * `W = M + L_s E L_aᵀ` with `E` standard normal. All fields are trainable variables.
 */
export interface MatrixNormalPosterior {
  readonly mean: tf.Variable;
  readonly rowRaw: tf.Variable;
  readonly rowLogDiag: tf.Variable;
  readonly colRaw: tf.Variable;
  readonly colLogDiag: tf.Variable;
}

/** The lower-triangular factor of a {@link MatrixNormalPosterior} side. */
function factor(raw: tf.Tensor, logDiag: tf.Tensor): tf.Tensor2D {
  const n = logDiag.shape[0];
  const strict = tf.sub(tf.linalg.bandPart(tf.ones([n, n]), -1, 0), tf.eye(n));
  return tf.add(tf.mul(raw, strict), tf.mul(tf.eye(n), tf.exp(logDiag))) as tf.Tensor2D;
}

/**
 * One weight sample `W = M + L_s E L_aᵀ` `[rows, cols]`, `E` standard normal from `seed`; differentiable in the
 * posterior's variables (the reparameterisation trick). Owned by the caller.
 * @example const w = sampleMatrixNormal(posterior, 7);
 * @see A. K. Gupta & D. K. Nagar, Matrix Variate Distributions (2000), ch. 2.
 */
export function sampleMatrixNormal(posterior: MatrixNormalPosterior, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [r, c] = posterior.mean.shape;
    const e = tf.randomNormal([r, c], 0, 1, 'float32', seed) as tf.Tensor2D;
    const ls = factor(posterior.rowRaw, posterior.rowLogDiag);
    const la = factor(posterior.colRaw, posterior.colLogDiag);
    return tf.add(posterior.mean, tf.matMul(tf.matMul(ls, e), tf.transpose(la))) as tf.Tensor2D;
  });
}

/** |L_s|_F^2 |L_a|_F^2 = tr(Σ_a ⊗ Σ_s), |M|_F^2 and the log-determinant of the covariance. */
function moments(posterior: MatrixNormalPosterior) {
  const [r, c] = posterior.mean.shape;
  const ls = factor(posterior.rowRaw, posterior.rowLogDiag);
  const la = factor(posterior.colRaw, posterior.colLogDiag);
  const trace = tf.mul(tf.sum(tf.square(ls)), tf.sum(tf.square(la)));
  const mean2 = tf.sum(tf.square(posterior.mean));
  // log det(Σ_a ⊗ Σ_s) = rows log det Σ_a + cols log det Σ_s, log det Σ = 2 Σ log L_ii.
  const logDet = tf.add(
    tf.mul(2 * c, tf.sum(posterior.rowLogDiag)),
    tf.mul(2 * r, tf.sum(posterior.colLogDiag)),
  );
  return { d: r * c, trace, mean2, logDet };
}

/**
 * The prior precision λ* that maximises the ELBO for a Gaussian prior N(0, I/λ) on one layer:
 * `1/λ* = (tr Σ + |M|_F²) / d`, `d = rows · cols`. Scalar, owned by the caller.
 * @example const lambda = optimalPriorPrecision(posterior);
 * @see D. J. C. MacKay, "Bayesian interpolation", Neural Computation 4 (1992) (evidence optimisation).
 */
export function optimalPriorPrecision(posterior: MatrixNormalPosterior): tf.Scalar {
  return tf.tidy(() => {
    const { d, trace, mean2 } = moments(posterior);
    return tf.div(d, tf.add(trace, mean2)) as tf.Scalar;
  });
}

/**
 * Closed-form KL(q ‖ p) of a matrix-normal posterior against the prior N(0, I/λ):
 * `½ [λ (|L_s|²|L_a|² + |M|²) − d − d log λ − d_a Σ log L_s,ii² − d_s Σ log L_a,jj²]`, with `λ` given or, by
 * default, at its optimum {@link optimalPriorPrecision} (then the first two terms cancel). Scalar, owned by the
 * caller; differentiable in the posterior's variables.
 * @example const kl = matrixNormalKl(posterior); // or matrixNormalKl(posterior, 1)
 * @see van der Ouderaa et al., "Noether's Razor" (2024), eq. for the layer-wise KL.
 */
export function matrixNormalKl(posterior: MatrixNormalPosterior, lambda?: number): tf.Scalar {
  return tf.tidy(() => {
    const { d, trace, mean2, logDet } = moments(posterior);
    const lam = lambda === undefined ? tf.div(d, tf.add(trace, mean2)) : tf.scalar(lambda);
    const quad = tf.mul(lam, tf.add(trace, mean2));
    return tf.mul(0.5, tf.sub(tf.sub(tf.sub(quad, d), tf.mul(d, tf.log(lam))), logDet)) as tf.Scalar;
  });
}

/** Options of {@link createMatrixNormal}. */
export interface MatrixNormalInit {
  /** Seed of the mean's initialisation. */
  seed: number;
  /** Standard deviation of the initial mean (default 1/sqrt(rows)). */
  meanStd?: number;
  /** Initial posterior standard deviation of every weight (default 1e-3): the diagonals start at sqrt of it. */
  std?: number;
  /** Prefix of the variables' names. */
  name: string;
}

/**
 * Creates the variables of a {@link MatrixNormalPosterior} `[rows, cols]`: mean normal with std
 * `meanStd`, factors diagonal with `L_s,ii L_a,jj = std`. The caller owns (and disposes) the variables.
 * @example const q = createMatrixNormal(3, 64, { seed: 1, name: 'layer0' });
 */
export function createMatrixNormal(
  rows: number,
  cols: number,
  init: MatrixNormalInit,
): MatrixNormalPosterior {
  const meanStd = init.meanStd ?? 1 / Math.sqrt(rows);
  const half = 0.5 * Math.log(init.std ?? 1e-3);
  // Each initial value is made inside a tidy, so only the variable outlives it.
  const variable = (make: () => tf.Tensor, name: string): tf.Variable =>
    tf.tidy(() => tf.variable(make(), true, `${init.name}/${name}`));
  return {
    mean: variable(() => tf.randomNormal([rows, cols], 0, meanStd, 'float32', init.seed), 'mean'),
    rowRaw: variable(() => tf.zeros([rows, rows]), 'rowRaw'),
    rowLogDiag: variable(() => tf.fill([rows], half), 'rowLogDiag'),
    colRaw: variable(() => tf.zeros([cols, cols]), 'colRaw'),
    colLogDiag: variable(() => tf.fill([cols], half), 'colLogDiag'),
  };
}
