import * as tf from '@tensorflow/tfjs';
import { checkInt, invalid } from './errors';

/**
 * Float64 tables of the truncated real DFT along one axis of length `n`, keeping modes `0..modes-1`.
 *
 * - `forward` `[n, 2 * modes]`: `[cos(2π k j / n) | -sin(2π k j / n)]`, so `x · forward = [Re X_k | Im X_k]`
 *   with `X_k = Σ_j x_j e^{-2πi k j / n}`.
 * - `inverse` `[2 * modes, n]`: rows `c_k cos(2π k j / n) / n` then `-c_k sin(2π k j / n) / n` with
 *   `c_0 = 1`, `c_k = 2` for `0 < k < n/2`, `c_{n/2} = 1`, so `[Re Y | Im Y] · inverse` is the real inverse
 *   DFT (`irfft`) of a half spectrum that is zero above `modes` (the imaginary parts of `Y_0` and `Y_{n/2}`
 *   are ignored, as in `irfft`).
 */
export interface RealDftTables {
  n: number;
  modes: number;
  forward: Float64Array;
  inverse: Float64Array;
}

/** Builds {@link RealDftTables} in float64 (angles reduced mod n exactly, so no large-argument error). */
export function realDftTables(n: number, modes: number): RealDftTables {
  const fn = 'realDftTables';
  checkInt([fn, 'n'], n, 2);
  checkInt([fn, 'modes'], modes, 1);
  if (modes > Math.floor(n / 2) + 1)
    invalid([fn, 'modes'], `at most floor(n / 2) + 1 = ${Math.floor(n / 2) + 1}`, modes);
  const m2 = 2 * modes;
  const forward = new Float64Array(n * m2);
  const inverse = new Float64Array(m2 * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < modes; k++) {
      const a = (2 * Math.PI * ((k * j) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      forward[j * m2 + k] = c;
      forward[j * m2 + modes + k] = -s;
      const ck = k === 0 || 2 * k === n ? 1 : 2;
      inverse[k * n + j] = (ck * c) / n;
      inverse[(modes + k) * n + j] = (-ck * s) / n;
    }
  }
  return { n, modes, forward, inverse };
}

/**
 * Float64 tables of a truncated complex DFT along one axis of length `n` over the integer frequencies
 * `freqs` (negative allowed), acting on `[Re | Im]` row vectors of length `2n`:
 * `forward` `[2n, 2K]` maps `[Re a | Im a]` to `[Re Z | Im Z]`, `Z_k = Σ_j a_j e^{-2πi f_k j / n}`;
 * `inverse` `[2K, 2n]` maps `[Re Z | Im Z]` to `[Re b | Im b]`, `b_j = (1/n) Σ_k Z_k e^{+2πi f_k j / n}`.
 */
export interface ComplexDftTables {
  n: number;
  freqs: readonly number[];
  forward: Float64Array;
  inverse: Float64Array;
}

/** Builds {@link ComplexDftTables} in float64. */
export function complexDftTables(n: number, freqs: readonly number[]): ComplexDftTables {
  const K = freqs.length;
  const forward = new Float64Array(2 * n * 2 * K);
  const inverse = new Float64Array(2 * K * 2 * n);
  const cols = 2 * K;
  const colsInv = 2 * n;
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < K; k++) {
      const a = (2 * Math.PI * ((((freqs[k] * j) % n) + n) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      // Re Z += Re a cos + Im a sin ; Im Z += -Re a sin + Im a cos
      forward[j * cols + k] = c;
      forward[j * cols + K + k] = -s;
      forward[(n + j) * cols + k] = s;
      forward[(n + j) * cols + K + k] = c;
      // Re b += (Re Z cos - Im Z sin)/n ; Im b += (Re Z sin + Im Z cos)/n
      inverse[k * colsInv + j] = c / n;
      inverse[k * colsInv + n + j] = s / n;
      inverse[(K + k) * colsInv + j] = -s / n;
      inverse[(K + k) * colsInv + n + j] = c / n;
    }
  }
  return { n, freqs, forward, inverse };
}

/** The FNO frequency set along a full (complex) axis: `0..modes-1` and `-modes..-1`. */
export function cornerFrequencies(n: number, modes: number): number[] {
  if (2 * modes > n) invalid(['cornerFrequencies', 'modes'], `at most n / 2 = ${Math.floor(n / 2)}`, modes);
  const out: number[] = [];
  for (let k = 0; k < modes; k++) out.push(k);
  for (let k = -modes; k < 0; k++) out.push(k);
  return out;
}

/** A float64 table as a float32 tensor (caller owns it). */
export function tableTensor(values: Float64Array, shape: [number, number]): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(values), shape);
}
