import * as tf from '@tensorflow/tfjs';

/**
 * WebGL float precision: GLSL leaves the accuracy of `sin`/`cos` to the driver. On software WebGL
 * (SwiftShader, what headless Chromium runs) they are off by ~2e-4 while every other op tfjs uses is at
 * float32 round-off (~1e-7), which fails nested-gradient checks of every function built on sin or cos.
 * This module measures the error of tfjs's `Sin`/`Cos` on the webgl backend and, when it is above float32
 * level, registers replacement kernels: Cody–Waite range reduction by pi/2 (three-part constant) and Taylor
 * polynomials on [-pi/4, pi/4], all in plain float arithmetic that the GPU does exactly.
 */

/** Measured max |error| of sin and cos on the webgl backend, before and after the fix. */
export interface WebglPrecisionReport {
  before: { sin: number; cos: number };
  after: { sin: number; cos: number };
  /** Whether the accurate kernels were registered. */
  fixed: boolean;
}

/** Above this the built-in kernels are replaced (float32 round-off of sin on [-20, 20] is ~1e-6). */
const THRESHOLD = 4e-6;

const SNIPPET = `
  if (isnan(x)) return x;
  float k = floor(x * 0.63661977236758134 + 0.5);
  float r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.54978995489188216e-8;
  float r2 = r * r;
  float s = r + r * r2 * (-1.6666666666666666e-1 + r2 * (8.3333333333333332e-3 + r2 * (-1.9841269841269841e-4 + r2 * 2.7557319223985893e-6)));
  float c = 1.0 + r2 * (-0.5 + r2 * (4.1666666666666664e-2 + r2 * (-1.3888888888888889e-3 + r2 * (2.4801587301587302e-5 - r2 * 2.7557319223985888e-7))));
  float q = mod(k + QUADRANT_SHIFT, 4.0);
  if (q < 0.5) return s;
  if (q < 1.5) return c;
  if (q < 2.5) return -s;
  return -c;
`;

interface WebglBackendLike {
  runWebGLProgram(
    program: { variableNames: string[]; outputShape: number[]; userCode: string },
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
  ): tf.TensorInfo;
}

const accurateKernels = new Map<string, tf.KernelConfig>();

function accurateKernel(kernelName: 'Sin' | 'Cos'): tf.KernelConfig {
  const cached = accurateKernels.get(kernelName);
  if (cached) return cached;
  const shift = kernelName === 'Sin' ? '0.0' : '1.0';
  const userCode = `
    float unaryOperation(float x) {${SNIPPET.replace('QUADRANT_SHIFT', shift)}}
    void main() {
      float x = getAAtOutCoords();
      setOutput(unaryOperation(x));
    }`;
  const config: tf.KernelConfig = {
    kernelName,
    backendName: 'webgl',
    kernelFunc: ({ inputs, backend }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      const program = { variableNames: ['A'], outputShape: x.shape.slice(), userCode };
      return (backend as unknown as WebglBackendLike).runWebGLProgram(program, [x], x.dtype);
    },
  };
  accurateKernels.set(kernelName, config);
  return config;
}

function maxErrors(): { sin: number; cos: number } {
  const points = Array.from({ length: 4001 }, (_, i) => -20 + (40 * i) / 4000);
  const [s, c] = tf.tidy(() => {
    const x = tf.tensor1d(points);
    return [tf.sin(x).dataSync(), tf.cos(x).dataSync()];
  });
  let sin = 0;
  let cos = 0;
  points.forEach((p, i) => {
    const x32 = Math.fround(p);
    sin = Math.max(sin, Math.abs(s[i] - Math.sin(x32)));
    cos = Math.max(cos, Math.abs(c[i] - Math.cos(x32)));
  });
  return { sin, cos };
}

/**
 * On the webgl backend: measures sin/cos, replaces the kernels when they are worse than float32 level, and
 * measures again. Call with webgl active.
 */
export function fixWebglPrecision(): WebglPrecisionReport {
  const before = maxErrors();
  if (Math.max(before.sin, before.cos) <= THRESHOLD) return { before, after: before, fixed: false };
  useAccurateWebglTrig(true);
  return { before, after: maxErrors(), fixed: true };
}

const builtIn = new Map<string, tf.KernelConfig>();

/**
 * Switches the webgl `Sin`/`Cos` kernels between the page's accurate ones (`true`) and tfjs's built-in ones
 * (`false`, to show what the browser's WebGL gives). Returns whether the accurate kernels are now active.
 */
export function useAccurateWebglTrig(accurate: boolean): boolean {
  for (const name of ['Sin', 'Cos'] as const) {
    const current = tf.getKernel(name, 'webgl');
    if (current && !builtIn.has(name)) builtIn.set(name, current);
    const original = builtIn.get(name);
    if (!original) continue;
    const wanted = accurate ? accurateKernel(name) : original;
    if (current) tf.unregisterKernel(name, 'webgl');
    tf.registerKernel(wanted);
  }
  return accurate && builtIn.size === 2;
}
