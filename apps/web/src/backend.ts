import * as tf from '@tensorflow/tfjs';
import { fixWebglPrecision, type WebglPrecisionReport } from './webgl-precision';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Backends the page can run on, best first. */
export type WebBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const WEB_BACKENDS: readonly WebBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The chosen backend, why, and what it offers (SIMD, threads, float precision). */
export interface BackendInfo {
  name: WebBackend;
  /** `auto: ...` or `forced by ?backend=`, with the reason each better backend was skipped. */
  reason: string;
  /** Facts about the backend, e.g. `SIMD yes`, `threads 2`, `float32 textures`. */
  features: string[];
  /** WebGL only: sin/cos accuracy before and after the page's accurate kernels. */
  webglPrecision?: WebglPrecisionReport;
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<unknown> };
}

let webglReport: WebglPrecisionReport | undefined;

/** Loads the wasm backend with its binaries served by this page (no CDN), so it also works offline. */
async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // ?threads=N sets the wasm thread pool (tfjs's default is half the cores, at most 4).
  const threads = Number(new URLSearchParams(location.search).get('threads'));
  if (Number.isInteger(threads) && threads > 0) wasm.setThreadsCount(threads);
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
}

/** The GPU's name, e.g. `ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device ...))`. */
function rendererOf(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

/**
 * Tries one backend; returns null on success, else why it is unavailable. In auto mode (`forced` false) a
 * software WebGL (SwiftShader, llvmpipe: what headless Chromium without a GPU runs) counts as unavailable,
 * since wasm with SIMD is several times faster on the same CPU.
 */
async function tryBackend(name: WebBackend, forced = false): Promise<string | null> {
  try {
    if (name === 'webgpu') {
      const gpu = (navigator as unknown as GpuNavigator).gpu;
      if (!gpu) return 'navigator.gpu missing';
      if (!(await gpu.requestAdapter())) return 'no WebGPU adapter';
      await import('@tensorflow/tfjs-backend-webgpu');
    } else if (name === 'webgl') {
      const gl = document.createElement('canvas').getContext('webgl2');
      if (!gl) return 'no WebGL 2 context';
      const renderer = rendererOf(gl);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      if (!forced && /swiftshader|llvmpipe|software/i.test(renderer)) {
        return `software renderer '${renderer}', slower than wasm`;
      }
    } else if (name === 'wasm') {
      await loadWasm();
    }
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return `tf.setBackend('${name}') failed`;
    await tf.ready();
    if (name === 'webgl' && !webglReport) webglReport = fixWebglPrecision();
    return null;
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? String(error);
  }
}

const fmtE = (x: number) => x.toExponential(1);

/** The WebGL sin/cos precision report, once webgl has been loaded. */
export const webglPrecision = (): WebglPrecisionReport | undefined => webglReport;

/** What the active backend offers, for the page header. */
async function featuresOf(name: WebBackend): Promise<string[]> {
  const env = tf.env();
  if (name === 'wasm') {
    const simd = await env.getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    return [
      `SIMD ${simd ? 'yes' : 'no'}`,
      threads ? `threaded build, pool of ${wasm.getThreadsCount()}` : 'threads no',
      `crossOriginIsolated ${globalThis.crossOriginIsolated ? 'yes' : 'no'}`,
    ];
  }
  if (name === 'webgl') {
    const p = webglReport;
    const precision = p
      ? p.fixed
        ? `sin/cos error ${fmtE(Math.max(p.before.sin, p.before.cos))} replaced by accurate kernels: ${fmtE(Math.max(p.after.sin, p.after.cos))}`
        : `sin/cos error ${fmtE(Math.max(p.before.sin, p.before.cos))}`
      : 'precision not measured';
    return [
      `WebGL ${env.getNumber('WEBGL_VERSION')}`,
      env.getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'float32 textures' : 'float16 textures',
      precision,
    ];
  }
  return [];
}

/**
 * Picks the best TensorFlow.js backend this browser offers: WebGPU, else WebGL, else wasm (SIMD and threads
 * when the page is cross-origin isolated), else the pure-JS cpu backend. `forced` (from `?backend=`) picks one
 * and fails loudly when it cannot load.
 */
export async function pickBackend(forced?: string | null): Promise<BackendInfo> {
  if (forced) {
    if (!WEB_BACKENDS.includes(forced as WebBackend)) {
      throw new Error(`?backend= must be one of ${WEB_BACKENDS.join(', ')}, got '${forced}'`);
    }
    const failure = await tryBackend(forced as WebBackend, true);
    if (failure !== null) throw new Error(`backend '${forced}' cannot be loaded: ${failure}`);
    const name = forced as WebBackend;
    return {
      name,
      reason: 'forced by ?backend=',
      features: await featuresOf(name),
      webglPrecision: webglReport,
    };
  }
  const skipped: string[] = [];
  for (const name of WEB_BACKENDS) {
    const failure = await tryBackend(name);
    if (failure === null) {
      const reason = skipped.length ? `auto: ${skipped.join('; ')}` : 'auto: best available';
      return { name, reason, features: await featuresOf(name), webglPrecision: webglReport };
    }
    skipped.push(`${name} unavailable (${failure})`);
  }
  throw new Error(`no TensorFlow.js backend could be loaded: ${skipped.join('; ')}`);
}

/** Runs `body` on another backend (loading it if needed), then restores the previous one. */
export async function onBackend<T>(name: WebBackend, body: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  if (name !== previous) {
    const failure = await tryBackend(name, true);
    if (failure !== null) throw new Error(`backend '${name}' cannot be loaded: ${failure}`);
  }
  try {
    return await body();
  } finally {
    if (tf.getBackend() !== previous) await tf.setBackend(previous);
  }
}
