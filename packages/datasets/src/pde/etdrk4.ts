import FFT from 'fft.js';
import { DatasetsError } from '../errors';
import { failure, type PdeSolution } from './pde-solution';

/** Number of contour points of the Kassam–Trefethen coefficient evaluation. */
const CONTOUR_POINTS = 64;

/**
 * ETDRK4 coefficients for the diagonal linear operator L (complex, per Fourier mode) and step h, by the
 * Kassam–Trefethen contour integral: each phi-function is averaged over 64 points z = L h + e^{i theta} on
 * the unit circle around L h, which avoids the cancellation of the direct formulas for small |L h|.
 *   E = e^{Lh}, E2 = e^{Lh/2}, Q = h mean((e^{z/2} - 1)/z),
 *   f1 = h mean((-4 - z + e^z (4 - 3z + z^2))/z^3), f2 = h mean((2 + z + e^z (z - 2))/z^3),
 *   f3 = h mean((-4 - 3z - z^2 + e^z (4 - z))/z^3).
 * Arrays are interleaved complex (re, im), length 2 n.
 * @see A.-K. Kassam, L. N. Trefethen, "Fourth-order time-stepping for stiff PDEs", SIAM J. Sci. Comput. 26 (2005).
 * @see S. M. Cox, P. C. Matthews, "Exponential time differencing for stiff systems", J. Comput. Phys. 176 (2002).
 */
function etdrk4Coefficients(L: Float64Array, h: number) {
  const n = L.length / 2;
  const out = {
    E: new Float64Array(2 * n),
    E2: new Float64Array(2 * n),
    Q: new Float64Array(2 * n),
    f1: new Float64Array(2 * n),
    f2: new Float64Array(2 * n),
    f3: new Float64Array(2 * n),
  };
  for (let k = 0; k < n; k++) {
    const lr = L[2 * k]! * h;
    const li = L[2 * k + 1]! * h;
    const e = Math.exp(lr);
    out.E[2 * k] = e * Math.cos(li);
    out.E[2 * k + 1] = e * Math.sin(li);
    const e2 = Math.exp(lr / 2);
    out.E2[2 * k] = e2 * Math.cos(li / 2);
    out.E2[2 * k + 1] = e2 * Math.sin(li / 2);
    let qr = 0, qi = 0, ar = 0, ai = 0, br = 0, bi = 0, cr = 0, ci = 0; // prettier-ignore
    for (let m = 0; m < CONTOUR_POINTS; m++) {
      const th = (2 * Math.PI * (m + 0.5)) / CONTOUR_POINTS;
      const zr = lr + Math.cos(th);
      const zi = li + Math.sin(th);
      const ez = Math.exp(zr);
      const ezr = ez * Math.cos(zi);
      const ezi = ez * Math.sin(zi);
      const ez2m = Math.exp(zr / 2);
      const eh_r = ez2m * Math.cos(zi / 2) - 1;
      const eh_i = ez2m * Math.sin(zi / 2);
      // 1/z and 1/z^3
      const d = zr * zr + zi * zi;
      const izr = zr / d;
      const izi = -zi / d;
      const iz2r = izr * izr - izi * izi;
      const iz2i = 2 * izr * izi;
      const iz3r = iz2r * izr - iz2i * izi;
      const iz3i = iz2r * izi + iz2i * izr;
      qr += eh_r * izr - eh_i * izi;
      qi += eh_r * izi + eh_i * izr;
      const z2r = zr * zr - zi * zi;
      const z2i = 2 * zr * zi;
      // n1 = -4 - z + e^z (4 - 3z + z^2)
      const p1r = 4 - 3 * zr + z2r;
      const p1i = -3 * zi + z2i;
      const n1r = -4 - zr + ezr * p1r - ezi * p1i;
      const n1i = -zi + ezr * p1i + ezi * p1r;
      // n2 = 2 + z + e^z (z - 2)
      const n2r = 2 + zr + ezr * (zr - 2) - ezi * zi;
      const n2i = zi + ezr * zi + ezi * (zr - 2);
      // n3 = -4 - 3z - z^2 + e^z (4 - z)
      const n3r = -4 - 3 * zr - z2r + ezr * (4 - zr) + ezi * zi;
      const n3i = -3 * zi - z2i - ezr * zi + ezi * (4 - zr);
      ar += n1r * iz3r - n1i * iz3i;
      ai += n1r * iz3i + n1i * iz3r;
      br += n2r * iz3r - n2i * iz3i;
      bi += n2r * iz3i + n2i * iz3r;
      cr += n3r * iz3r - n3i * iz3i;
      ci += n3r * iz3i + n3i * iz3r;
    }
    const s = h / CONTOUR_POINTS;
    out.Q[2 * k] = s * qr;
    out.Q[2 * k + 1] = s * qi;
    out.f1[2 * k] = s * ar;
    out.f1[2 * k + 1] = s * ai;
    out.f2[2 * k] = s * br;
    out.f2[2 * k + 1] = s * bi;
    out.f3[2 * k] = s * cr;
    out.f3[2 * k + 1] = s * ci;
  }
  return out;
}

/** Angular wave numbers k_m = 2 pi m / length in FFT order (m = 0..n/2-1, -n/2..-1). */
export function waveNumbers(n: number, length: number): Float64Array {
  const k = new Float64Array(n);
  for (let m = 0; m < n; m++) k[m] = ((2 * Math.PI) / length) * (m < n / 2 ? m : m - n);
  return k;
}

/** A real periodic field transformed by fft.js (complex, interleaved). */
export interface SpectralSpace {
  readonly n: number;
  /** Forward FFT of a real array into `out` (interleaved complex). */
  forward(real: Float64Array, out: Float64Array): void;
  /** Inverse FFT (normalised) of interleaved complex into a real array. */
  inverse(spec: Float64Array, real: Float64Array): void;
}

/** Creates forward/inverse transforms of length n (a power of two) over fft.js. */
export function createSpectralSpace(fn: string, n: number): SpectralSpace {
  if (!Number.isInteger(n) || n < 4 || (n & (n - 1)) !== 0)
    throw new DatasetsError(
      'INVALID_ARGUMENT',
      `${fn}(): argument 'points' must be a power of two >= 4, got ${n}`,
    );
  const fft = new FFT(n);
  const cin = new Float64Array(2 * n);
  const cout = new Float64Array(2 * n);
  return {
    n,
    forward(real, out) {
      for (let i = 0; i < n; i++) {
        cin[2 * i] = real[i]!;
        cin[2 * i + 1] = 0;
      }
      fft.transform(out as unknown as number[], cin as unknown as number[]);
    },
    inverse(spec, real) {
      fft.inverseTransform(cout as unknown as number[], spec as unknown as number[]);
      for (let i = 0; i < n; i++) real[i] = cout[2 * i]!;
    },
  };
}

/**
 * Internal: integrates v_hat' = L v_hat + N(v_hat) with ETDRK4 (fixed step h per output interval),
 * storing real fields at the output times.
 */
export function etdrk4Outputs(spec: {
  fn: string;
  space: SpectralSpace;
  /** Linear operator per mode, interleaved complex. */
  L: Float64Array;
  /** Writes N(v_hat) (interleaved complex) given the spectrum and its real field. */
  nonlinear: (vHat: Float64Array, v: Float64Array, out: Float64Array) => void;
  u0: Float64Array;
  times: Float64Array;
  dtMax: number;
  throwOnFailure: boolean;
  onOutput: (k: number, u: Float64Array) => void;
}): { steps: number; status: PdeSolution['status'] } {
  const { space, L } = spec;
  const n = space.n;
  const c = () => new Float64Array(2 * n);
  const v = c(), Nv = c(), a = c(), Na = c(), b = c(), Nb = c(), cc = c(), Nc = c(), tmp = c(); // prettier-ignore
  const real = new Float64Array(n);
  space.forward(spec.u0, v);
  const cache = new Map<number, ReturnType<typeof etdrk4Coefficients>>();
  const N = (hat: Float64Array, out: Float64Array) => {
    space.inverse(hat, real);
    spec.nonlinear(hat, real, out);
  };
  // out = P * x + Qm * y   (complex, elementwise)
  const combine = (out: Float64Array, opts: [Float64Array, Float64Array, Float64Array, Float64Array]) => {
    const [P, x, Qm, y] = opts;
    for (let i = 0; i < 2 * n; i += 2) {
      const re = P[i]! * x[i]! - P[i + 1]! * x[i + 1]! + Qm[i]! * y[i]! - Qm[i + 1]! * y[i + 1]!;
      const im = P[i]! * x[i + 1]! + P[i + 1]! * x[i]! + Qm[i]! * y[i + 1]! + Qm[i + 1]! * y[i]!;
      out[i] = re;
      out[i + 1] = im;
    }
  };
  let t = 0;
  let steps = 0;
  for (let k = 0; k < spec.times.length; k++) {
    const target = spec.times[k]!;
    const span = target - t;
    const m = span > 0 ? Math.ceil(span / spec.dtMax - 1e-9) : 0;
    if (m > 0) {
      const h = span / m;
      const key = Math.round(h * 1e15);
      let co = cache.get(key);
      if (!co) {
        co = etdrk4Coefficients(L, h);
        cache.set(key, co);
      }
      const { E, E2, Q, f1, f2, f3 } = co;
      for (let s = 0; s < m; s++) {
        N(v, Nv);
        combine(a, [E2, v, Q, Nv]);
        N(a, Na);
        combine(b, [E2, v, Q, Na]);
        N(b, Nb);
        for (let i = 0; i < 2 * n; i++) tmp[i] = 2 * Nb[i]! - Nv[i]!;
        combine(cc, [E2, a, Q, tmp]);
        N(cc, Nc);
        let finite = true;
        for (let i = 0; i < 2 * n; i += 2) {
          const sr = Na[i]! + Nb[i]!;
          const si = Na[i + 1]! + Nb[i + 1]!;
          const re =
            E[i]! * v[i]! - E[i + 1]! * v[i + 1]! +
            f1[i]! * Nv[i]! - f1[i + 1]! * Nv[i + 1]! +
            2 * (f2[i]! * sr - f2[i + 1]! * si) +
            f3[i]! * Nc[i]! - f3[i + 1]! * Nc[i + 1]!; // prettier-ignore
          const im =
            E[i]! * v[i + 1]! + E[i + 1]! * v[i]! +
            f1[i]! * Nv[i + 1]! + f1[i + 1]! * Nv[i]! +
            2 * (f2[i]! * si + f2[i + 1]! * sr) +
            f3[i]! * Nc[i + 1]! + f3[i + 1]! * Nc[i]!; // prettier-ignore
          v[i] = re;
          v[i + 1] = im;
          if (re - re !== 0 || im - im !== 0) finite = false;
        }
        steps++;
        if (!finite) return { steps, status: failure(spec.fn, t + (s + 1) * h, spec.throwOnFailure) };
      }
    }
    t = target;
    space.inverse(v, real);
    spec.onOutput(k, real);
  }
  return { steps, status: 'ok' };
}
