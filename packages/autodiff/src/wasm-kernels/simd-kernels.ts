import { SIMD_MODULE_BASE64 } from './simd-module.generated';

/**
 * The functions of the SIMD module compiled from `wasm/kernels.c`. Pointers are byte offsets into
 * tfjs-backend-wasm's heap, counts are elements.
 */
export interface SimdKernels {
  tanh_f32(x: number, y: number, n: number): void;
  transpose_32(x: number, y: number, batch: number, rows: number, cols: number): void;
  sum_rows_f32(x: number, y: number, outer: number, inner: number): void;
  matvec_f32(a: number, b: number, y: number, m: number, k: number): void;
  gemm_f32(a: number, b: number, y: number, m: number, k: number, n: number): number;
  sums_of_products_f32(desc: number, outputs: number, n: number): void;
}

/** The parts of tfjs-backend-wasm's `BackendWasm` the SIMD kernels use. */
interface BackendWithHeap {
  wasm?: { asm?: { memory?: unknown } } | null;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

let compiled: WebAssembly.Module | undefined;

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(SIMD_MODULE_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Process-wide switch of the SIMD paths (benchmarks compare them with the fallbacks in one process). */
const SWITCH = Symbol.for('@noether/autodiff/simd-kernels-enabled');
const holder = globalThis as unknown as { [SWITCH]?: boolean };

/** Turns the SIMD module's kernels on (the default) or off (the kernels then take their fallback paths). */
export function setSimdKernelsEnabled(enabled: boolean): void {
  holder[SWITCH] = enabled;
}

/** Instances per backend (null: no usable heap, the kernels fall back); pending: being compiled async. */
const instances = new WeakMap<object, SimdKernels | null | Promise<void>>();

/**
 * tfjs-backend-wasm's heap when the module can import it: a non-shared `WebAssembly.Memory` (its
 * non-threaded build). The threaded build's shared memory (a cross-origin-isolated browser) is not used.
 */
function heapOf(backend: object): WebAssembly.Memory | undefined {
  const memory = (backend as BackendWithHeap).wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer)
    return undefined;
  return memory;
}

function exportsOf(instance: WebAssembly.Instance): SimdKernels {
  return instance.exports as unknown as SimdKernels;
}

/**
 * The SIMD kernels working on `backend`'s heap, or undefined (the caller falls back to its other path): the
 * heap is not importable, or the module is still compiling (browsers refuse synchronous compilation of
 * modules over 4 KiB on the main thread; {@link prepareSimdKernels} compiles it asynchronously).
 */
export function simdKernels(backend: unknown): SimdKernels | undefined {
  if (holder[SWITCH] === false) return undefined;
  const key = backend as object;
  const known = instances.get(key);
  if (known === null || known instanceof Promise) return undefined;
  if (known !== undefined) return known;
  const memory = heapOf(key);
  if (memory === undefined) {
    instances.set(key, null);
    return undefined;
  }
  try {
    compiled ??= new WebAssembly.Module(moduleBytes());
    const kernels = exportsOf(new WebAssembly.Instance(compiled, { env: { memory } }));
    instances.set(key, kernels);
    return kernels;
  } catch {
    void prepareSimdKernels(backend);
    return undefined;
  }
}

/** Compiles and instantiates the SIMD module for `backend` asynchronously (idempotent; never rejects). */
export async function prepareSimdKernels(backend: unknown): Promise<void> {
  if (typeof backend !== 'object' || backend === null) return; // wasm not started (or setBackend rerouted)
  const key = backend;
  const known = instances.get(key);
  if (known instanceof Promise) return known;
  if (known !== undefined) return;
  const memory = heapOf(key);
  if (memory === undefined) {
    instances.set(key, null);
    return;
  }
  const pending = (async () => {
    try {
      compiled ??= await WebAssembly.compile(moduleBytes());
      instances.set(key, exportsOf(await WebAssembly.instantiate(compiled, { env: { memory } })));
    } catch {
      instances.set(key, null);
    }
  })();
  instances.set(key, pending);
  return pending;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: unknown, dataId: object): number {
  const data = (backend as BackendWithHeap).dataIdMap.get(dataId);
  if (data === undefined) throw new Error('wasm tensor data not found');
  return data.memoryOffset;
}
