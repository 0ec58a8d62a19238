import * as tf from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-wasm's `BackendWasm` a composite kernel uses: it allocates outputs on the wasm heap
 * and frees intermediates, exactly as the backend's own kernels do.
 */
export interface WasmBackend {
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: Float32Array,
  ): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Arguments tfjs passes to a kernel function. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: unknown;
}

const STATE = Symbol.for('@noether/autodiff/wasm-kernels');

/** Process-wide state of the wasm kernel replacements (shared by every copy of this package). */
export interface WasmKernelState {
  /** tfjs-backend-wasm's own kernel configs, by kernel name, while replaced. */
  originals: Map<string, tf.KernelConfig>;
  /** engine.setBackend before the patch that re-installs the overrides when wasm becomes active. */
  setBackend?: (name: string) => Promise<boolean>;
  /** Names of the replacements in force (registered whenever tfjs-backend-wasm's kernels are). */
  enabled: string[];
}

/** The shared {@link WasmKernelState}. */
export function wasmKernelState(): WasmKernelState {
  const holder = globalThis as unknown as { [STATE]?: WasmKernelState };
  holder[STATE] ??= { originals: new Map(), enabled: [] };
  return holder[STATE];
}

/** Backends on which an original kernel's setup (binding its wasm function) has run. */
const setUp = new WeakMap<object, Set<string>>();

/**
 * Runs tfjs-backend-wasm's own kernel `kernelName`, the one a replacement falls back to. The backend runs
 * the setup of the kernels registered when it starts, which may have been the replacement, so the
 * original's setup is run here once per backend.
 */
export function runOriginal(kernelName: string, args: KernelArgs): tf.TensorInfo {
  const config = wasmKernelState().originals.get(kernelName);
  if (config === undefined) throw new Error(`wasm kernel '${kernelName}' is not replaced`);
  const backend = args.backend as object;
  let done = setUp.get(backend);
  if (done === undefined) setUp.set(backend, (done = new Set()));
  if (!done.has(kernelName)) {
    config.setupFunc?.(backend as never);
    done.add(kernelName);
  }
  return config.kernelFunc(args as never) as tf.TensorInfo;
}

type Inputs = Record<string, tf.TensorInfo>;

/**
 * Runs wasm kernels directly (below tfjs's engine: no tape, no tensor bookkeeping) and frees every
 * intermediate it made when {@link WasmComposite.free} is called. Used inside a kernel function only.
 */
export class WasmComposite {
  private readonly made: tf.TensorInfo[] = [];
  private readonly constants: tf.TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  /** Output of the wasm kernel `kernelName`; an intermediate, freed by {@link free} unless {@link keep}t. */
  run(kernelName: string, inputs: Inputs, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (kernel === undefined) throw new Error(`wasm kernel '${kernelName}' is not registered`);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend as never }) as tf.TensorInfo;
    this.made.push(out);
    return out;
  }

  /** A float32 scalar on the wasm heap, freed by {@link free} (never by {@link consume}). */
  constant(value: number): tf.TensorInfo {
    const out = this.backend.makeOutput([], 'float32', undefined, new Float32Array([value]));
    this.constants.push(out);
    return out;
  }

  /** Returns `result` after freeing those `operands` that are intermediates of this composite. */
  consume(result: tf.TensorInfo, ...operands: tf.TensorInfo[]): tf.TensorInfo {
    this.drop(...operands);
    return result;
  }

  /** Frees intermediates that are no longer needed (keeps the peak heap use of a composite low). */
  drop(...infos: tf.TensorInfo[]): void {
    for (const info of infos) {
      const at = this.made.indexOf(info);
      if (at < 0) continue;
      this.made.splice(at, 1);
      this.backend.disposeData(info.dataId);
    }
  }

  /** Removes `info` from the intermediates, so {@link free} keeps it (the kernel's output). */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const at = this.made.indexOf(info);
    if (at >= 0) this.made.splice(at, 1);
    return info;
  }

  /** Frees every intermediate and constant. */
  free(): void {
    for (const info of [...this.made, ...this.constants]) this.backend.disposeData(info.dataId);
    this.made.length = 0;
    this.constants.length = 0;
  }
}
