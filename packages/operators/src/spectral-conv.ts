import * as tf from '@tensorflow/tfjs';
import { complexDftTables, cornerFrequencies, realDftTables, tableTensor } from './dft-tables';
import { invalid, shapeMismatch } from './errors';

/** Float32 DFT tables of a 1D spectral convolution on `n` points (see {@link spectralTables1d}). */
export interface SpectralTables1d {
  readonly n: number;
  readonly modes: number;
  /** `[n, 2 modes]`: x ↦ [Re X | Im X]. */
  readonly forward: tf.Tensor2D;
  /** `[2 modes, n]`: [Re Y | Im Y] ↦ irfft(Y). */
  readonly inverse: tf.Tensor2D;
}

/** Float32 DFT tables of a 2D spectral convolution on `nx × ny` points (see {@link spectralTables2d}). */
export interface SpectralTables2d {
  readonly nx: number;
  readonly ny: number;
  /** Kept x frequencies (`0..m1-1` and `-m1..-1`). */
  readonly freqsX: readonly number[];
  /** Kept y modes `0..m2-1` (half spectrum). */
  readonly modesY: number;
  readonly forwardY: tf.Tensor2D;
  readonly inverseY: tf.Tensor2D;
  readonly forwardX: tf.Tensor2D;
  readonly inverseX: tf.Tensor2D;
}

/**
 * Precomputes the truncated real DFT of a 1D spectral convolution as two matrices (computed in float64,
 * stored as float32 tensors owned by the caller; dispose them with `tf.dispose(Object.values(t))`).
 *
 * @param n - grid points.
 * @param modes - kept Fourier modes `0..modes-1` (at most `floor(n/2) + 1`).
 * @throws {OperatorsError} `INVALID_ARGUMENT` for bad sizes.
 * @example
 * const t = spectralTables1d(256, 16);
 */
export function spectralTables1d(n: number, modes: number): SpectralTables1d {
  const t = realDftTables(n, modes);
  return {
    n,
    modes,
    forward: tableTensor(t.forward, [n, 2 * modes]),
    inverse: tableTensor(t.inverse, [2 * modes, n]),
  };
}

/**
 * Precomputes the tables of a 2D spectral convolution: a truncated real DFT along y (modes `0..m2-1`) and
 * a truncated complex DFT along x (frequencies `0..m1-1` and `-m1..-1`, the two corners FNO keeps).
 * Tensors owned by the caller.
 *
 * @throws {OperatorsError} `INVALID_ARGUMENT` for bad sizes (`2 m1 <= nx`, `m2 <= ny/2 + 1`).
 * @example
 * const t = spectralTables2d([64, 64], [12, 12]);
 */
export function spectralTables2d(
  size: readonly [number, number],
  modes: readonly [number, number],
): SpectralTables2d {
  const [nx, ny] = size;
  const [m1, m2] = modes;
  const ty = realDftTables(ny, m2);
  const freqsX = cornerFrequencies(nx, m1);
  const tx = complexDftTables(nx, freqsX);
  const K = freqsX.length;
  return {
    nx,
    ny,
    freqsX,
    modesY: m2,
    forwardY: tableTensor(ty.forward, [ny, 2 * m2]),
    inverseY: tableTensor(ty.inverse, [2 * m2, ny]),
    forwardX: tableTensor(tx.forward, [2 * nx, 2 * K]),
    inverseX: tableTensor(tx.inverse, [2 * K, 2 * nx]),
  };
}

/** `[[Wr, Wi], [-Wi, Wr]]` along the last two axes: `[..., 2 cin, 2 cout]`. */
function complexBlock(wr: tf.Tensor, wi: tf.Tensor): tf.Tensor {
  const r = wr.rank;
  return tf.concat([tf.concat([wr, wi], r - 1), tf.concat([tf.neg(wi), wr], r - 1)], r - 2);
}

/**
 * 1D spectral convolution (the Fourier layer's global part):
 * `y = irfft( W_k · rfft(x)_k for k < modes, 0 otherwise )`, per sample, mixing channels with complex
 * weights `W_k = wr_k + i wi_k` (`[cin, cout]` each). Written as matMuls against precomputed cos/sin tables,
 * so it runs on every backend and is differentiable to any order (exact gradients: no FFT op involved).
 *
 * @param x - `[batch, n, cin]`, borrowed.
 * @param weights - `{ wr, wi }`, each `[modes, cin, cout]`, borrowed.
 * @param tables - from {@link spectralTables1d}`(n, modes)`.
 * @returns `[batch, n, cout]`, owned by the caller.
 * @throws {OperatorsError} `SHAPE_MISMATCH` when shapes disagree.
 * @example
 * const y = spectralConv1d(x, { wr, wi }, spectralTables1d(256, 16));
 * @see Li et al., "Fourier Neural Operator for Parametric PDEs", ICLR 2021, eq. (4)–(5).
 */
export function spectralConv1d(
  x: tf.Tensor,
  weights: { wr: tf.Tensor; wi: tf.Tensor },
  tables: SpectralTables1d,
): tf.Tensor3D {
  const fn = 'spectralConv1d';
  if (!(x instanceof tf.Tensor) || x.rank !== 3) shapeMismatch([fn, 'x'], 'a tensor [batch, n, channels]', x);
  const [b, n, cin] = x.shape as [number, number, number];
  const m = tables.modes;
  if (n !== tables.n) shapeMismatch([fn, 'tables'], `tables for n = ${n}`, `tables for n = ${tables.n}`);
  const { wr, wi } = weights;
  if (wr?.rank !== 3 || wr.shape[0] !== m || wr.shape[1] !== cin || wi?.shape.join() !== wr.shape.join())
    shapeMismatch([fn, 'weights'], `{ wr, wi } of shape [${m}, ${cin}, cout]`, wr);
  const cout = wr.shape[2] as number;
  return tf.tidy(() => {
    const xt = tf.reshape(tf.transpose(x, [0, 2, 1]), [b * cin, n]);
    const X = tf.reshape(tf.matMul(xt, tables.forward), [b, cin, 2, m]); // [Re | Im]
    const Xm = tf.reshape(tf.transpose(X, [3, 0, 2, 1]), [m, b, 2 * cin]);
    const Y = tf.matMul(Xm, complexBlock(wr, wi)); // [m, b, 2 cout]
    const Yt = tf.reshape(tf.transpose(tf.reshape(Y, [m, b, 2, cout]), [1, 3, 2, 0]), [b * cout, 2 * m]);
    const y = tf.reshape(tf.matMul(Yt, tables.inverse), [b, cout, n]);
    return tf.transpose(y, [0, 2, 1]) as tf.Tensor3D;
  });
}

/**
 * 2D spectral convolution: `y = irfft2( W_{kx,ky} · rfft2(x)_{kx,ky} )` over the kept modes
 * (`kx ∈ {0..m1-1, -m1..-1}`, `ky ∈ 0..m2-1`), zero elsewhere; as matMuls against cos/sin tables.
 *
 * @param x - `[batch, nx, ny, cin]`, borrowed.
 * @param weights - `{ wr, wi }`, each `[2 m1 * m2, cin, cout]` (mode index `kxIndex * m2 + ky`), borrowed.
 * @param tables - from {@link spectralTables2d}.
 * @returns `[batch, nx, ny, cout]`, owned by the caller.
 * @throws {OperatorsError} `SHAPE_MISMATCH` when shapes disagree.
 * @example
 * const y = spectralConv2d(x, { wr, wi }, spectralTables2d([32, 32], [8, 8]));
 * @see Li et al., ICLR 2021.
 */
export function spectralConv2d(
  x: tf.Tensor,
  weights: { wr: tf.Tensor; wi: tf.Tensor },
  tables: SpectralTables2d,
): tf.Tensor4D {
  const fn = 'spectralConv2d';
  if (!(x instanceof tf.Tensor) || x.rank !== 4)
    shapeMismatch([fn, 'x'], 'a tensor [batch, nx, ny, channels]', x);
  const [b, nx, ny, cin] = x.shape as [number, number, number, number];
  if (nx !== tables.nx || ny !== tables.ny)
    shapeMismatch([fn, 'tables'], `tables for [${nx}, ${ny}]`, `tables for [${tables.nx}, ${tables.ny}]`);
  const K = tables.freqsX.length;
  const m2 = tables.modesY;
  const { wr, wi } = weights;
  if (wr?.rank !== 3 || wr.shape[0] !== K * m2 || wr.shape[1] !== cin || wi?.shape.join() !== wr.shape.join())
    shapeMismatch([fn, 'weights'], `{ wr, wi } of shape [${K * m2}, ${cin}, cout]`, wr);
  const cout = wr.shape[2] as number;
  if (!Number.isInteger(cout)) invalid([fn, 'weights'], 'integer channel counts', cout);
  return tf.tidy(() => {
    // real DFT along y: [b, c, nx, ny] -> [b, c, nx, 2, m2]
    const t = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * cin * nx, ny]);
    const A = tf.reshape(tf.matMul(t, tables.forwardY), [b, cin, nx, 2, m2]);
    // complex DFT along x: rows [Re a | Im a] of length 2 nx -> [b, c, m2, 2, K]
    const Ax = tf.reshape(tf.transpose(A, [0, 1, 4, 3, 2]), [b * cin * m2, 2 * nx]);
    const Z = tf.reshape(tf.matMul(Ax, tables.forwardX), [b, cin, m2, 2, K]);
    // mode mixing: [K, m2, b, 2, c] -> [K m2, b, 2 c]
    const Zm = tf.reshape(tf.transpose(Z, [4, 2, 0, 3, 1]), [K * m2, b, 2 * cin]);
    const Y = tf.reshape(tf.matMul(Zm, complexBlock(wr, wi)), [K, m2, b, 2, cout]);
    // inverse complex DFT along x: [b, cout, m2, 2, K] -> [b, cout, m2, 2, nx]
    const Yx = tf.reshape(tf.transpose(Y, [2, 4, 1, 3, 0]), [b * cout * m2, 2 * K]);
    const B = tf.reshape(tf.matMul(Yx, tables.inverseX), [b, cout, m2, 2, nx]);
    // inverse real DFT along y: [b, cout, nx, 2, m2] -> [b, cout, nx, ny]
    const By = tf.reshape(tf.transpose(B, [0, 1, 4, 3, 2]), [b * cout * nx, 2 * m2]);
    const y = tf.reshape(tf.matMul(By, tables.inverseY), [b, cout, nx, ny]);
    return tf.transpose(y, [0, 2, 3, 1]) as tf.Tensor4D;
  });
}
